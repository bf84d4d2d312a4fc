import Pictures

/// Rows and columns: what `summary`, `vars` and `evaluate` show, as text/html
/// with a text/plain twin laid out in columns for `jupyter console`. Drawn by
/// Pictures' `TextTable`; this is the language's value, with numeric columns by index.
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
        return TextTable(header: columns, rows: rows, alignments: alignments, caption: title, footer: footer)
    }

    /// The table in fixed-width columns.
    public var plainText: String { textTable.plainText() }

    /// The table as an HTML `<table>`, every cell escaped.
    public var html: String { textTable.html() }
}

/// Text made safe inside HTML elements and attributes (Pictures' one escaper).
func escapeHTML(_ text: String) -> String { Markup.escape(text) }
