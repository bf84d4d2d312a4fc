import Foundation

/// An error a cell raises: the problem (a case with what its message needs) and
/// where it sits in the cell.
///
/// The problem's kind becomes the Jupyter `ename`, its message the `evalue`, and
/// the span the traceback's caret under the cell's line. The span is kept apart
/// from the cases so that an error raised deep inside a built-in can be placed at
/// the call that raised it (`placed(at:)`).
public struct LanguageError: Error, Sendable, Equatable {
    /// The Python-style exception name a notebook shows.
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
    }

    public var problem: Problem
    /// Where in the cell; nil for errors that belong to no place in it.
    public var span: SourceSpan?

    public init(_ problem: Problem, at span: SourceSpan? = nil) {
        self.problem = problem
        self.span = span
    }

    public var kind: Kind { problem.kind }
    public var message: String { problem.message }

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
