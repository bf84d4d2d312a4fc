import Pictures

/// Rows and columns: what `summary`, `vars` and `evaluate` show, as text/html
/// with a text/plain twin laid out in columns for `jupyter console`. Drawn by
/// Pictures' `TextTable`; this adds the footer line the language's tables carry.
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

    private var textTable: TextTable {
        // Ragged rows are padded by TextTable: every line gets as many columns as the widest.
        let columnCount = max(columns.count, rows.map(\.count).max() ?? 0)
        let alignments = (0..<columnCount).map { numericColumns.contains($0) ? TextTable.Alignment.right : .left }
        return TextTable(header: columns, rows: rows, alignments: alignments, caption: title)
    }

    /// The table in fixed-width columns.
    public var plainText: String {
        let text = textTable.plainText()
        guard let footer else { return text }
        return text + "\n" + footer
    }

    /// The table as an HTML `<table>`, every cell escaped.
    public var html: String {
        let html = textTable.html()
        guard let footer else { return html }
        // TextTable has no footer: it goes in a <tfoot> before the closing tag.
        let columnCount = max(columns.count, rows.map(\.count).max() ?? 0)
        return String(html.dropLast("</table>".count))
            + "<tfoot><tr><td colspan=\"\(columnCount)\">\(escapeHTML(footer))</td></tr></tfoot>\n</table>"
    }
}

/// Text made safe inside HTML elements and attributes.
func escapeHTML(_ text: String) -> String { TextTable.escapeHTML(text) }
