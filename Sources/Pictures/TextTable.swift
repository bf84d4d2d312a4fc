/// A table of strings with a header row, rendered twice: as HTML for
/// notebooks and as column-aligned plain text for `jupyter console` (the
/// `text/plain` twin of a display). A caption goes above it and a footer line
/// ("total parameters: 5,738") under it, in both forms.
public struct TextTable: Sendable, Equatable {
    public enum Alignment: Sendable, Equatable { case left, right }

    public var header: [String]
    public var rows: [[String]]
    /// One per column; nil right-aligns the columns whose cells all read as numbers.
    public var alignments: [Alignment]?
    /// A line above the table ("net: 9 layers, 29,226 parameters").
    public var caption: String?
    /// A line under the table: a `<tfoot>` row spanning every column, the last line of the text.
    public var footer: String?

    public init(
        header: [String], rows: [[String]], alignments: [Alignment]? = nil, caption: String? = nil, footer: String? = nil
    ) {
        self.header = header
        self.rows = rows
        self.alignments = alignments
        self.caption = caption
        self.footer = footer
    }

    private var columnCount: Int { max(header.count, rows.map(\.count).max() ?? 0) }

    private func cell(_ row: [String], _ column: Int) -> String { column < row.count ? row[column] : "" }

    /// Each column's alignment, given or inferred.
    public var resolvedAlignments: [Alignment] {
        (0..<columnCount).map { column in
            if let alignments, column < alignments.count { return alignments[column] }
            let cells = rows.map { cell($0, column) }.filter { !$0.isEmpty }
            return !cells.isEmpty && cells.allSatisfy(Self.looksNumeric) ? .right : .left
        }
    }

    /// "12", "-0.5", "1,234", "83.2%", "24x24x8" and "1e-3" read as numbers.
    static func looksNumeric(_ text: String) -> Bool {
        let core = text.trimming("%")
        return !core.isEmpty && core.first != "x" && core.allSatisfy { "0123456789.,-+eEx".contains($0) }
            && core.contains { $0.isNumber }
    }

    /// The table as an HTML fragment, every cell escaped.
    public func html() -> String {
        let align = resolvedAlignments
        func row(_ cells: [String], tag: String) -> String {
            "<tr>" + (0..<columnCount).map { c in
                "<\(tag) style=\"text-align: \(align[c] == .right ? "right" : "left")\">\(Markup.escape(cell(cells, c)))</\(tag)>"
            }.joined() + "</tr>"
        }
        var html = "<table>\n"
        if let caption { html += "<caption>\(Markup.escape(caption))</caption>\n" }
        html += "<thead>" + row(header, tag: "th") + "</thead>\n<tbody>\n"
        for r in rows { html += row(r, tag: "td") + "\n" }
        html += "</tbody>\n"
        if let footer { html += "<tfoot><tr><td colspan=\"\(columnCount)\">\(Markup.escape(footer))</td></tr></tfoot>\n" }
        return html + "</table>"
    }

    /// The table as plain text: columns padded to their widest cell, two
    /// spaces apart, a rule under the header, no trailing spaces.
    public func plainText() -> String {
        let align = resolvedAlignments
        let widths = (0..<columnCount).map { c in ([header] + rows).map { cell($0, c).count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            let padded = (0..<columnCount).map { c -> String in
                let text = cell(cells, c)
                let pad = String(repeating: " ", count: widths[c] - text.count)
                return align[c] == .right ? pad + text : text + pad
            }
            return String(padded.joined(separator: "  ").reversed().drop { $0 == " " }.reversed())
        }
        var lines = [String]()
        if let caption { lines.append(caption) }
        lines.append(line(header))
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        lines += rows.map(line)
        if let footer { lines.append(footer) }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func trimming(_ set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
