/// Rows and columns: what `summary`, `vars` and `evaluate` show, as text/html
/// with a text/plain twin laid out in columns for `jupyter console`.
public struct Table: Equatable {
    public var title: String?
    public var columns: [String]
    public var rows: [[String]]
    /// A last line under the table ("total parameters: 5,738").
    public var footer: String?
    /// Columns aligned to the right (numbers).
    public var numericColumns: Set<Int>

    public init(title: String? = nil, columns: [String], rows: [[String]], footer: String? = nil, numericColumns: Set<Int> = []) {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.footer = footer
        self.numericColumns = numericColumns
    }

    /// The table in fixed-width columns.
    public var plainText: String {
        // Rows may be ragged: every line gets as many columns as the widest.
        let width = max(columns.count, rows.map(\.count).max() ?? 0)
        var widths = (columns + Array(repeating: "", count: width - columns.count)).map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
                return numericColumns.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        var lines: [String] = []
        if let title { lines.append(title) }
        lines.append(line(columns))
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        lines += rows.map(line)
        if let footer { lines.append(footer) }
        return lines.joined(separator: "\n")
    }

    /// The table as an HTML `<table>`, every cell escaped.
    public var html: String {
        var out = "<table class=\"convnet-table\">"
        if let title { out += "<caption>\(escapeHTML(title))</caption>" }
        out += "<thead><tr>" + columns.map { "<th>\(escapeHTML($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in rows {
            out += "<tr>"
            for (i, cell) in row.enumerated() {
                let align = numericColumns.contains(i) ? " style=\"text-align:right\"" : ""
                out += "<td\(align)>\(escapeHTML(cell))</td>"
            }
            out += "</tr>"
        }
        out += "</tbody>"
        if let footer { out += "<tfoot><tr><td colspan=\"\(columns.count)\">\(escapeHTML(footer))</td></tr></tfoot>" }
        return out + "</table>"
    }
}

func escapeHTML(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(c)
        }
    }
    return out
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
