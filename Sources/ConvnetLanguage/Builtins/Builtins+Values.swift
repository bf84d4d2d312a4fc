import Foundation

// Numbers and lists: range, len, round, abs, min, max, str.
extension Builtins {
    static var values: [Builtin] {
        [
            Builtin(
                "range", [.required("start_or_stop"), .optional("stop", .none), .optional("step", 1)],
                family: .values,
                summary: "The whole numbers from start up to (not including) stop, as a list.",
                details: "range(4) is [0, 1, 2, 3]; range(2, 8, 2) is [2, 4, 6].",
                example: "for n in range(3):\n    print(n)"
            ) { args, cell throws(LanguageError) in
                var start = try args.int("start_or_stop")
                var stop = 0
                if let given = try args.optionalInt("stop") { stop = given } else { (start, stop) = (0, start) }
                let step = try args.int("step")
                guard step != 0 else { throw LanguageError(.zeroStep(builtin: "range"), at: args.spanOf("step")) }
                let count = max(0, (stop - start + step + (step > 0 ? -1 : 1)) / step)
                guard count <= cell.limits.maximumListCount else {
                    throw LanguageError(.rangeOverLimit(count: count, limit: cell.limits.maximumListCount))
                }
                return .list((0..<count).map { .number(Double(start + $0 * step)) })
            },
            Builtin(
                "len", [.required("value")], family: .values,
                summary: "How many items a list, string, volume or data set has.",
                example: "len(data.test)"
            ) { args, _ throws(LanguageError) in
                .number(Double(try Indexing.length(of: try args.value("value"), at: args.spanOf("value"))))
            },
            Builtin(
                "round", [.required("number"), .optional("digits", 0)], family: .values,
                summary: "The number rounded to a number of digits after the point.",
                example: "round(0.87654, 2)"
            ) { args, _ throws(LanguageError) in
                let scale = pow(10, Double(try args.int("digits", in: -15...15)))
                return .number((try args.number("number") * scale).rounded() / scale)
            },
            Builtin(
                "abs", [.required("number")], family: .values,
                summary: "The number without its sign.", example: "abs(-3)"
            ) { args, _ throws(LanguageError) in .number(abs(try args.number("number"))) },
            Builtin(
                "min", [.variadic("values")], family: .values,
                summary: "The smallest of some numbers, or of one list of numbers.", example: "min(3, 1, 2)"
            ) { args, _ throws(LanguageError) in try extreme(args, smallest: true) },
            Builtin(
                "max", [.variadic("values")], family: .values,
                summary: "The largest of some numbers, or of one list of numbers.", example: "max([0.81, 0.86, 0.84])"
            ) { args, _ throws(LanguageError) in try extreme(args, smallest: false) },
            Builtin(
                "str", [.required("value")], family: .values,
                summary: "The value as text.", example: "\"lr \" + str(0.01)"
            ) { args, _ throws(LanguageError) in .string(try args.value("value").text) },
        ]
    }

    private static func extreme(_ args: Arguments, smallest: Bool) throws(LanguageError) -> Value {
        var items = args.rest.map(\.value)
        if items.count == 1, case .list(let inner) = items[0] { items = inner }
        guard !items.isEmpty else {
            throw LanguageError(.needsANumber(builtin: args.builtin.name), at: args.span)
        }
        var best: Double?
        for item in items {
            guard case .number(let n) = item else {
                throw LanguageError(.comparesNumbers(builtin: args.builtin.name, actual: item.kindWithArticle), at: args.span)
            }
            if best == nil || (smallest ? n < best! : n > best!) { best = n }
        }
        return .number(best!)
    }
}
