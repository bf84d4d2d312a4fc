/// Arithmetic and comparisons on values.
enum Operators {
    /// `limits` caps what `+` may build: joining a list or string to itself in a loop
    /// doubles it each time and would take the machine's memory in a few dozen steps.
    static func apply(_ op: BinaryOperator, _ left: Value, _ right: Value, limits: Limits, at span: SourceSpan)
        throws(LanguageError) -> Value
    {
        switch op {
        case .equal: return .bool(left == right)
        case .notEqual: return .bool(left != right)
        case .less, .lessEqual, .greater, .greaterEqual:
            return .bool(try compare(op, left, right, at: span))
        case .add:
            switch (left, right) {
            case (.number(let a), .number(let b)): return .number(a + b)
            case (.string(let a), .string(let b)): return .string(try joined(a, b, limits: limits, at: span))
            case (.list(let a), .list(let b)):
                guard a.count + b.count <= limits.maximumListCount else {
                    throw LanguageError(
                        .listJoinOverLimit(left: a.count, right: b.count, limit: limits.maximumListCount), at: span)
                }
                return .list(a + b)
            case (.string(let a), _): return .string(try joined(a, right.text, limits: limits, at: span))
            default: throw mismatch(op, left, right, at: span)
            }
        case .subtract, .multiply, .divide, .remainder:
            guard case .number(let a) = left, case .number(let b) = right else {
                throw mismatch(op, left, right, at: span)
            }
            switch op {
            case .subtract: return .number(a - b)
            case .multiply: return .number(a * b)
            case .divide:
                guard b != 0 else { throw LanguageError(.divisionByZero, at: span) }
                return .number(a / b)
            default:
                guard b != 0 else { throw LanguageError(.remainderByZero, at: span) }
                // Python's sign convention: the result has the divisor's sign.
                let r = a.truncatingRemainder(dividingBy: b)
                return .number(r != 0 && (r < 0) != (b < 0) ? r + b : r)
            }
        case .and, .or:
            preconditionFailure("and/or short-circuit in the evaluator")
        }
    }

    private static func joined(_ a: String, _ b: String, limits: Limits, at span: SourceSpan) throws(LanguageError)
        -> String
    {
        let length = a.utf8.count + b.utf8.count
        guard length <= limits.maximumStringLength else {
            throw LanguageError(.stringJoinOverLimit(bytes: length, limit: limits.maximumStringLength), at: span)
        }
        return a + b
    }

    private static func compare(_ op: BinaryOperator, _ left: Value, _ right: Value, at span: SourceSpan)
        throws(LanguageError) -> Bool
    {
        switch (left, right) {
        case (.number(let a), .number(let b)): return ordered(op, a, b)
        case (.string(let a), .string(let b)): return ordered(op, a, b)
        default:
            throw LanguageError(
                .cannotCompare(left: left.kindWithArticle, right: right.kindWithArticle, op: op.rawValue), at: span)
        }
    }

    private static func ordered<T: Comparable>(_ op: BinaryOperator, _ a: T, _ b: T) -> Bool {
        switch op {
        case .less: return a < b
        case .lessEqual: return a <= b
        case .greater: return a > b
        default: return a >= b
        }
    }

    private static func mismatch(_ op: BinaryOperator, _ left: Value, _ right: Value, at span: SourceSpan)
        -> LanguageError
    {
        let verb: String
        switch op {
        case .add: verb = "add"
        case .subtract: verb = "subtract"
        case .multiply: verb = "multiply"
        case .divide: verb = "divide"
        default: verb = "take the remainder of"
        }
        return LanguageError(
            .cannotCombine(verb: verb, left: left.kindWithArticle, right: right.kindWithArticle, op: op.rawValue), at: span)
    }
}
