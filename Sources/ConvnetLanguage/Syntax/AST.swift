/// The syntax tree of a cell. Every node keeps its span for error messages.
public indirect enum Expression: Sendable, Equatable {
    case number(Double, SourceSpan)
    case string(String, SourceSpan)
    case bool(Bool, SourceSpan)
    case none(SourceSpan)
    case volume([Int], SourceSpan)
    case name(String, SourceSpan)
    case list([Expression], SourceSpan)
    /// `-x`, `not x`.
    case unary(UnaryOperator, Expression, SourceSpan)
    /// `a + b`, `a == b`, `a and b`; the span is the operator's.
    case binary(BinaryOperator, Expression, Expression, SourceSpan)
    /// `f(a, b, key: c)`; the span covers the whole call.
    case call(Expression, [CallArgument], SourceSpan)
    /// `data.test`; the span is the attribute name's.
    case attribute(Expression, String, SourceSpan)
    /// `xs[3]`.
    case index(Expression, Expression, SourceSpan)
    /// `xs[0:32]`, `xs[:10]`, `xs[5:]`.
    case slice(Expression, Expression?, Expression?, SourceSpan)

    /// Where the expression is in the cell. A binary expression spans both operands
    /// (its node keeps the operator's own span for errors the operator raises).
    public var span: SourceSpan {
        switch self {
        case .binary(_, let left, let right, _):
            return left.span.through(right.span)
        case .number(_, let s), .string(_, let s), .bool(_, let s), .none(let s), .volume(_, let s),
            .name(_, let s), .list(_, let s), .unary(_, _, let s),
            .call(_, _, let s), .attribute(_, _, let s), .index(_, _, let s), .slice(_, _, _, let s):
            return s
        }
    }
}

/// One argument of a call: positional (`label` nil) or keyword (`pad: 2` or `pad=2`).
public struct CallArgument: Sendable, Equatable {
    public var label: String?
    public var value: Expression
    public var span: SourceSpan
}

public enum UnaryOperator: String, Sendable {
    case negate = "-", not
}

public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case and, or
}

/// A statement of a cell.
public indirect enum Statement: Sendable, Equatable {
    /// An expression on its own line; the last one of a cell is its result.
    case expression(Expression)
    /// `name = value`.
    case assign(String, Expression, SourceSpan)
    /// `for name in sequence:` with an indented block.
    case forLoop(String, Expression, [Statement], SourceSpan)
    /// `if c: ... elif c: ... else: ...` as a list of (condition, block) and an else block.
    case conditional([(Expression, [Statement])], [Statement]?, SourceSpan)
    /// `pass`: an empty block's body.
    case pass(SourceSpan)

    public var span: SourceSpan {
        switch self {
        case .expression(let e): return e.span
        case .assign(_, _, let s), .forLoop(_, _, _, let s), .conditional(_, _, let s), .pass(let s): return s
        }
    }

    public static func == (a: Statement, b: Statement) -> Bool {
        switch (a, b) {
        case (.expression(let x), .expression(let y)): return x == y
        case (.assign(let n, let x, let s), .assign(let m, let y, let t)): return n == m && x == y && s == t
        case (.forLoop(let n, let x, let b1, let s), .forLoop(let m, let y, let b2, let t)):
            return n == m && x == y && b1 == b2 && s == t
        case (.conditional(let c1, let e1, let s), .conditional(let c2, let e2, let t)):
            return c1.count == c2.count && zip(c1, c2).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 } && e1 == e2
                && s == t
        case (.pass(let s), .pass(let t)): return s == t
        default: return false
        }
    }
}
