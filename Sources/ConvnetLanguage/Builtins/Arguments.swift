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
    /// Every declared parameter but a variadic one: the argument given, or its default.
    private var bound: [String: Item] = [:]
    /// What a variadic parameter collected.
    public private(set) var rest: [Item] = []

    /// Binds `positional` then `keyword` arguments to `builtin`'s parameters, and
    /// each parameter left out (or given `none`) to its declared default.
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
                throw LanguageError(
                    .tooManyArguments(builtin: builtin.name, takes: positionalParameters.map(\.name), given: positional.count),
                    at: item.span)
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
            guard let parameter = builtin.parameter(label), !parameter.isVariadic else {
                let guess = suggestion(for: label, among: builtin.keywordNames)
                throw LanguageError(
                    .unknownKeyword(builtin: builtin.name, label: label, suggestion: guess, accepted: builtin.keywordNames),
                    at: item.span)
            }
            guard bound[parameter.name] == nil else {
                throw LanguageError(.repeatedKeyword(builtin: builtin.name, label: label), at: item.span)
            }
            bound[parameter.name] = item
        }
        for parameter in builtin.parameters where !parameter.isVariadic {
            if let given = bound[parameter.name] {
                // `none` stands for the default, as leaving the argument out does.
                if case .none = given.value, let fallback = parameter.defaultValue {
                    bound[parameter.name] = Item(value: fallback.boundValue, span: given.span)
                }
            } else if let fallback = parameter.defaultValue {
                bound[parameter.name] = Item(value: fallback.boundValue, span: span)
            } else {
                throw LanguageError(
                    .missingArgument(builtin: builtin.name, parameter: parameter.name, signature: builtin.signature), at: span)
            }
        }
    }

    /// The argument bound to `name`.
    /// - Throws: a RuntimeError naming the built-in when it reads a parameter it does not
    ///   declare (a slip in the built-in, caught by BuiltinDeclarationTests).
    private func item(_ name: String) throws(LanguageError) -> Item {
        if let item = bound[name] { return item }
        throw LanguageError(.undeclaredParameter(builtin: builtin.name, parameter: name))
    }

    /// Whether `name` has a value other than `none` (given, or by its default).
    public func has(_ name: String) throws(LanguageError) -> Bool {
        if case .none = try item(name).value { return false }
        return true
    }

    /// The value bound to `name`: the argument given, or the declared default.
    public func value(_ name: String) throws(LanguageError) -> Value { try item(name).value }

    /// Where the argument for `name` was written (the whole call when it was left out).
    public func spanOf(_ name: String) -> SourceSpan { bound[name]?.span ?? span }

    func mismatch(_ name: String, expected: String, _ value: Value) -> LanguageError {
        LanguageError(.wrongKind(subject: subject(name), expected: expected, actual: value.kindWithArticle), at: spanOf(name))
    }

    /// "conv(): 'size'", as errors name an argument.
    func subject(_ name: String) -> String { "\(builtin.name)(): '\(name)'" }

    public func number(_ name: String) throws(LanguageError) -> Double {
        switch try value(name) {
        case .number(let n): return n
        case .bool(let b): return b ? 1 : 0
        case let other: throw mismatch(name, expected: "a number", other)
        }
    }

    /// A whole number within `range`.
    public func int(_ name: String, in range: ClosedRange<Int> = Int.min...Int.max) throws(LanguageError) -> Int {
        let n = try number(name)
        guard n == n.rounded(), abs(n) < 1e15 else {
            throw LanguageError(.notWhole(subject: subject(name), value: Value.format(n)), at: spanOf(name))
        }
        let i = Int(n)
        guard range.contains(i) else {
            let bounds =
                range.upperBound == Int.max ? "at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
            throw LanguageError(.outOfRange(subject: subject(name), bounds: bounds, value: i), at: spanOf(name))
        }
        return i
    }

    /// A whole number, or nil for `none` (a parameter whose default is none or computed).
    public func optionalInt(_ name: String, in range: ClosedRange<Int> = Int.min...Int.max) throws(LanguageError) -> Int? {
        try has(name) ? try int(name, in: range) : nil
    }

    public func string(_ name: String) throws(LanguageError) -> String {
        switch try value(name) {
        case .string(let s): return s
        case let other: throw mismatch(name, expected: "a string", other)
        }
    }

    /// A string, or nil for `none`.
    public func optionalString(_ name: String) throws(LanguageError) -> String? {
        try has(name) ? try string(name) : nil
    }

    public func bool(_ name: String) throws(LanguageError) -> Bool {
        switch try value(name) {
        case .bool(let b): return b
        case let other: throw mismatch(name, expected: "true or false", other)
        }
    }

    /// Sizes of a volume, written `28x28x1`, `5x5`, `[28, 28, 1]` or, for a square, `5`.
    public func sizes(_ name: String) throws(LanguageError) -> [Int] {
        try Arguments.sizes(of: try value(name), what: "\(builtin.name)(): '\(name)'", at: spanOf(name))
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
                    throw LanguageError(.wrongKind(subject: what, expected: "a volume like 28x28x1", actual: "a list holding \(item.kindWithArticle)"), at: span)
                }
                dims.append(Int(n))
            }
            sizes = dims
        default:
            throw LanguageError(.wrongKind(subject: what, expected: "a volume like 28x28x1", actual: value.kindWithArticle), at: span)
        }
        guard sizes.allSatisfy({ $0 >= 1 }) else {
            throw LanguageError(.volumeSizesBelowOne(subject: what), at: span)
        }
        // Sizes whose product overflows are refused here, before any arithmetic on them.
        guard sizes.reduce(1.0, { $0 * Double($1) }) <= Double(1 << 40) else {
            throw LanguageError(.volumeFarTooLarge(subject: what, volume: Value.volumeText(sizes)), at: span)
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
            throw LanguageError(.notSquare(subject: subject(name), volume: Value.volumeText(dims)), at: spanOf(name))
        }
        return dims[0]
    }
}
