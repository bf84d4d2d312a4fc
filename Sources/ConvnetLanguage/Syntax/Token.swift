/// One token of a cell, as the lexer hands it to the parser.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case number(Double)
        case string(String)
        /// `28x28x1`, `5x5`: the chapter's way of writing volumes, one token.
        case volume([Int])
        case name(String)
        case keyword(Keyword)
        case symbol(Symbol)
        /// The end of a logical line (newlines inside brackets are not lines).
        case newline
        /// A block opens: the line is indented deeper than the one before.
        case indent
        /// A block closes.
        case dedent
        case end
    }

    public var kind: Kind
    public var span: SourceSpan

    public init(_ kind: Kind, _ span: SourceSpan) {
        self.kind = kind
        self.span = span
    }

    /// How the token reads in an error message ("')'", "end of line").
    public var display: String {
        switch kind {
        case .number(let n): return "number \(Value.format(n))"
        case .string(let s): return "string \"\(s)\""
        case .volume(let dims): return "volume \(dims.map(String.init).joined(separator: "x"))"
        case .name(let n): return "name '\(n)'"
        case .keyword(let k): return "'\(k.rawValue)'"
        case .symbol(let s): return "'\(s.rawValue)'"
        case .newline: return "end of line"
        case .indent: return "an indented line"
        case .dedent: return "the end of the block"
        case .end: return "end of cell"
        }
    }
}

/// Words the language reserves.
public enum Keyword: String, Sendable, CaseIterable {
    case `for`, `in`, `if`, `elif`, `else`, and, or, not, pass
    case `true`, `false`, none
    // Python's spellings, so a learner's habits work.
    case True, False, None
}

public enum Symbol: String, Sendable, CaseIterable {
    case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
    case comma = ",", colon = ":", dot = "."
    case assign = "=", equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">",
        greaterEqual = ">="
    case plus = "+", minus = "-", star = "*", slash = "/", percent = "%"
}
