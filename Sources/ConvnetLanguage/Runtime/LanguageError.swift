import Foundation

/// An error a cell raises: what kind, a message a learner can act on, and where.
///
/// The kind becomes the Jupyter `ename`, the message the `evalue`, and the span
/// the traceback's caret under the cell's line.
public struct LanguageError: Error, Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The cell does not parse.
        case syntax = "SyntaxError"
        /// A name that is not defined.
        case name = "NameError"
        /// A value of the wrong kind, or a call with the wrong arguments.
        case type = "TypeError"
        /// A value of the right kind that does not make sense (a negative size).
        case value = "ValueError"
        /// An index outside a list or data set.
        case index = "IndexError"
        /// An attribute a value does not have.
        case attribute = "AttributeError"
        case zeroDivision = "ZeroDivisionError"
        /// A net whose volumes do not fit (from the engine).
        case volume = "VolumeError"
        /// More memory than the session's cap allows.
        case memory = "MemoryError"
        /// Nesting deeper than the parser or evaluator allows.
        case recursion = "RecursionError"
        /// The cell was interrupted (the interrupt button, SIGINT).
        case interrupted = "KeyboardInterrupt"
        /// `check(condition, message)` found the condition false.
        case check = "CheckFailed"
        /// `todo()`: the stub nbgrader leaves in a solution cell.
        case notImplemented = "NotImplementedError"
        /// A file could not be read or written, or a data set is missing.
        case io = "IOError"
        /// `fail("text")` or an engine failure without a finer kind.
        case runtime = "RuntimeError"
        /// A cell that ran longer than the evaluator's time budget (the fuzz test's guard).
        case timeout = "TimeoutError"
    }

    public var kind: Kind
    public var message: String
    /// Where in the cell; nil for errors that belong to no place in it.
    public var span: SourceSpan?

    public init(_ kind: Kind, _ message: String, at span: SourceSpan? = nil) {
        self.kind = kind
        self.message = message
        self.span = span
    }

    /// The same error, placed at `span` unless it already has a place.
    func placed(at span: SourceSpan) -> LanguageError {
        var copy = self
        if copy.span == nil { copy.span = span }
        return copy
    }

    /// The traceback lines Jupyter shows: where, the line itself, a caret under
    /// the column, then `Kind: message`.
    public func traceback(in code: String) -> [String] {
        var lines: [String] = []
        if let span {
            let sourceLines = code.split(separator: "\n", omittingEmptySubsequences: false)
            lines.append("Cell line \(span.line), column \(span.column)")
            if span.line - 1 < sourceLines.count {
                var scalars = Array(String(sourceLines[span.line - 1]).unicodeScalars)
                var column = span.column - 1
                // A very long line is shown as a window around the column, so a traceback stays readable.
                let window = 100
                var prefixMark = "", suffixMark = ""
                if scalars.count > window {
                    let start = max(0, min(column - window / 2, scalars.count - window))
                    let end = min(scalars.count, start + window)
                    prefixMark = start > 0 ? "..." : ""
                    suffixMark = end < scalars.count ? "..." : ""
                    scalars = Array(scalars[start..<end])
                    column = column - start + prefixMark.count
                    scalars = Array(prefixMark.unicodeScalars) + scalars + Array(suffixMark.unicodeScalars)
                }
                let text = String(String.UnicodeScalarView(scalars))
                lines.append("    " + text.replacingTabs())
                // The caret sits under the span's first code point: count the
                // characters before it so combined characters do not shift it.
                let prefix = String(String.UnicodeScalarView(scalars.prefix(max(0, column))))
                let pad = prefix.replacingTabs().count
                let width = max(1, min(span.end - span.start, scalars.count - suffixMark.count - column))
                lines.append("    " + String(repeating: " ", count: pad) + String(repeating: "^", count: min(width, 60)))
            }
        }
        lines.append("\(kind.rawValue): \(message)")
        return lines
    }
}

extension String {
    fileprivate func replacingTabs() -> String { replacingOccurrences(of: "\t", with: "    ") }
}
