/// Where a piece of a cell sits: a half-open range of Unicode code-point offsets
/// (the unit Jupyter's cursor positions use), with the line and column of its start.
public struct SourceSpan: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Offset of the first code point, from the start of the cell.
    public var start: Int
    /// Offset just past the last code point.
    public var end: Int
    /// 1-based line of `start`.
    public var line: Int
    /// 1-based column of `start`, in code points.
    public var column: Int

    public init(start: Int, end: Int, line: Int, column: Int) {
        self.start = start
        self.end = end
        self.line = line
        self.column = column
    }

    /// The span from the start of `self` to the end of `other`.
    public func through(_ other: SourceSpan) -> SourceSpan {
        SourceSpan(start: start, end: max(end, other.end), line: line, column: column)
    }

    public var description: String { "line \(line), column \(column)" }
}
