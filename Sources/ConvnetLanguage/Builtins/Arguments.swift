import Convnet

/// The arguments of one call, bound to a built-in's parameters by position and
/// keyword, with typed accessors whose errors name the call and the parameter.
public struct Arguments {
    public struct Item {
        public var value: Value
        public var span: SourceSpan
    }

    public let builtin: Builtin
    /// The whole call, for errors that belong to no single argument.
    public let span: SourceSpan
    private var bound: [String: Item] = [:]
    /// What a variadic parameter collected.
    public private(set) var rest: [Item] = []

    /// Binds `positional` then `keyword` arguments to `builtin`'s parameters.
    /// - Throws: `TypeError` for too many arguments, an unknown or repeated keyword, or a missing one.
    init(
        builtin: Builtin, positional: [Item], keyword: [(String, Item)], span: SourceSpan
    ) throws(LanguageError) {
        self.builtin = builtin
        self.span = span
        let positionalParameters = builtin.parameters.filter { !$0.isKeywordOnly }
        var index = 0
        for item in positional {
            guard index < positionalParameters.count else {
                let names = positionalParameters.map(\.name).joined(separator: ", ")
                throw LanguageError(
                    .type,
                    "\(builtin.name)() takes \(positionalParameters.count) positional argument"
                        + (positionalParameters.count == 1 ? "" : "s")
                        + (names.isEmpty ? "" : " (\(names))") + ", but got \(positional.count)", at: item.span)
            }
            let parameter = positionalParameters[index]
            if parameter.isVariadic {
                rest.append(item)
            } else {
                bound[parameter.name] = item
                index += 1
            }
        }
        for (label, item) in keyword {
            guard let parameter = builtin.parameters.first(where: { $0.name == label && !$0.isVariadic }) else {
                var message = "\(builtin.name)() has no argument '\(label)'"
                if let guess = suggestion(for: label, among: builtin.keywordNames) {
                    message += "; did you mean '\(guess)'?"
                } else if !builtin.keywordNames.isEmpty {
                    message += "; it takes " + builtin.keywordNames.joined(separator: ", ")
                }
                throw LanguageError(.type, message, at: item.span)
            }
            guard bound[parameter.name] == nil else {
                throw LanguageError(.type, "\(builtin.name)() got '\(label)' twice", at: item.span)
            }
            bound[parameter.name] = item
        }
        for parameter in builtin.parameters where parameter.defaultText == nil && !parameter.isVariadic {
            if bound[parameter.name] == nil {
                throw LanguageError(
                    .type, "\(builtin.name)() needs the argument '\(parameter.name)': \(builtin.signature)", at: span)
            }
        }
    }

    /// Whether `name` was given a value other than `none`.
    public func has(_ name: String) -> Bool {
        if let item = bound[name], case .none = item.value { return false }
        return bound[name] != nil
    }

    /// The value given for `name` (`.none` when absent).
    public func value(_ name: String) -> Value { bound[name]?.value ?? .none }

    public func spanOf(_ name: String) -> SourceSpan { bound[name]?.span ?? span }

    func mismatch(_ name: String, expected: String, _ value: Value) -> LanguageError {
        LanguageError(
            .type, "\(builtin.name)(): '\(name)' must be \(expected), not \(value.kindWithArticle)", at: spanOf(name))
    }

    public func number(_ name: String, default fallback: Double? = nil) throws(LanguageError) -> Double {
        switch value(name) {
        case .number(let n): return n
        case .bool(let b): return b ? 1 : 0
        case .none where fallback != nil: return fallback!
        case let other: throw mismatch(name, expected: "a number", other)
        }
    }

    /// A whole number within `range`.
    public func int(_ name: String, default fallback: Int? = nil, in range: ClosedRange<Int> = Int.min...Int.max)
        throws(LanguageError) -> Int
    {
        if case .none = value(name), let fallback { return fallback }
        let n = try number(name)
        guard n == n.rounded(), abs(n) < 1e15 else {
            throw LanguageError(
                .type, "\(builtin.name)(): '\(name)' must be a whole number, not \(Value.format(n))", at: spanOf(name))
        }
        let i = Int(n)
        guard range.contains(i) else {
            let bounds =
                range.upperBound == Int.max ? "at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
            throw LanguageError(.value, "\(builtin.name)(): '\(name)' must be \(bounds), not \(i)", at: spanOf(name))
        }
        return i
    }

    public func string(_ name: String, default fallback: String? = nil) throws(LanguageError) -> String {
        switch value(name) {
        case .string(let s): return s
        case .none where fallback != nil: return fallback!
        case let other: throw mismatch(name, expected: "a string", other)
        }
    }

    public func bool(_ name: String, default fallback: Bool? = nil) throws(LanguageError) -> Bool {
        switch value(name) {
        case .bool(let b): return b
        case .none where fallback != nil: return fallback!
        case let other: throw mismatch(name, expected: "true or false", other)
        }
    }

    /// Sizes of a volume, written `28x28x1`, `5x5`, `[28, 28, 1]` or, for a square, `5`.
    public func sizes(_ name: String) throws(LanguageError) -> [Int] {
        try Arguments.sizes(of: value(name), what: "\(builtin.name)(): '\(name)'", at: spanOf(name))
    }

    static func sizes(of value: Value, what: String, at span: SourceSpan) throws(LanguageError) -> [Int] {
        let sizes: [Int]
        switch value {
        case .volume(let dims): sizes = dims
        case .number(let n) where n == n.rounded() && abs(n) < 1e9: sizes = [Int(n), Int(n)]
        case .list(let items) where (2...3).contains(items.count):
            var dims: [Int] = []
            for item in items {
                guard case .number(let n) = item, n == n.rounded(), abs(n) < 1e9 else {
                    throw LanguageError(.type, "\(what) must be a volume like 28x28x1", at: span)
                }
                dims.append(Int(n))
            }
            sizes = dims
        default:
            throw LanguageError(.type, "\(what) must be a volume like 28x28x1, not \(value.kindWithArticle)", at: span)
        }
        guard sizes.allSatisfy({ $0 >= 1 }) else {
            throw LanguageError(.value, "\(what): every size of a volume must be at least 1", at: span)
        }
        // Sizes whose product overflows are refused here, before any arithmetic on them.
        guard sizes.reduce(1.0, { $0 * Double($1) }) <= Double(1 << 40) else {
            throw LanguageError(.memory, "\(what): a volume of \(Value.volumeText(sizes)) is far too large", at: span)
        }
        return sizes
    }

    /// A 3-D volume; `28x28` means depth 1.
    public func volume(_ name: String) throws(LanguageError) -> Volume {
        let dims = try sizes(name)
        return Volume(dims[0], dims[1], dims.count > 2 ? dims[2] : 1)
    }

    /// A square window size: `5x5`, `5` or `[5, 5]`.
    public func square(_ name: String) throws(LanguageError) -> Int {
        let dims = try sizes(name)
        guard dims.count == 2 || dims[2] == 1, dims[0] == dims[1] else {
            throw LanguageError(
                .value, "\(builtin.name)(): '\(name)' must be a square window like 5x5, not \(Value.volumeText(dims))",
                at: spanOf(name))
        }
        return dims[0]
    }
}
