/// A wrong answer that learners are likely to give, and the hint it deserves.
///
/// Mistakes are computed from the same formulas as the answer ("the size without
/// padding", "one more than the truth"), so each question gets hints that fit it.
public struct Mistake<Value: Sendable>: Sendable {
    public var value: Value
    public var hint: String

    public init(_ value: Value, hint: String) {
        self.value = value
        self.hint = hint
    }
}

/// Builders for `Exercise.check`: each reads the answer in the form it needs,
/// says correct with an explanation, matches known mistakes to their hints, and
/// falls back to a general hint. No hint contains the answer.
public enum Checker {
    /// Checks a volume or shape such as 24x24x8.
    /// - Parameters:
    ///   - expected: the right dimensions, width first.
    ///   - explanation: why it is right, shown after "Correct".
    ///   - mistakes: likely wrong answers and their hints (any equal to `expected` are ignored).
    ///   - hint: the hint for any other wrong answer.
    public static func volume(
        _ expected: [Int], explanation: String, mistakes: [Mistake<[Int]>] = [], hint: String
    ) -> @Sendable (Answer) -> Verdict {
        let mistakes = mistakes.filter { $0.value != expected }
        return { answer in
            guard let given = answer.dimensions else {
                return .unexpected(message: "This question expects a volume like \(exampleVolume(expected.count)), not \(answer.kindDescription).")
            }
            if given == expected {
                return .correct(message: "Correct: \(volumeText(expected)). \(explanation)")
            }
            if let mistake = mistakes.first(where: { $0.value == given }) {
                return .incorrect(hint: mistake.hint)
            }
            if given.count == expected.count - 1, Array(expected.prefix(given.count)) == given {
                return .incorrect(hint: "Width and height are right, but a volume has a depth too: write it as W x H x D.")
            }
            if given.count == expected.count, expected.count == 3 {
                let spatialRight = given[0] == expected[0] && given[1] == expected[1]
                if spatialRight { return .incorrect(hint: "Width and height are right; the depth is not. \(hint)") }
                if given[2] == expected[2] { return .incorrect(hint: "The depth is right; width and height are not. \(hint)") }
            }
            if given.count != expected.count {
                return .incorrect(hint: "Give \(expected.count) numbers, like \(exampleVolume(expected.count)). \(hint)")
            }
            return .incorrect(hint: hint)
        }
    }

    /// Checks a number, within `tolerance` (absolute) of `expected`.
    public static func number(
        _ expected: Double, tolerance: Double = 1e-6, explanation: String,
        mistakes: [Mistake<Double>] = [], hint: String
    ) -> @Sendable (Answer) -> Verdict {
        let mistakes = mistakes.filter { abs($0.value - expected) > tolerance }
        return { answer in
            guard let given = answer.number else {
                return .unexpected(message: "This question expects a number, not \(answer.kindDescription).")
            }
            if abs(given - expected) <= tolerance {
                return .correct(message: "Correct: \(numberText(expected)). \(explanation)")
            }
            if let mistake = mistakes.first(where: { abs($0.value - given) <= tolerance }) {
                return .incorrect(hint: mistake.hint)
            }
            return .incorrect(hint: hint)
        }
    }

    /// Checks the side of a square (a receptive field, a filter): `5`, `5x5` and
    /// `[5, 5]` all mean the same.
    public static func squareSide(
        _ expected: Int, explanation: String, mistakes: [Mistake<Int>] = [], hint: String
    ) -> @Sendable (Answer) -> Verdict {
        let mistakes = mistakes.filter { $0.value != expected }
        return { answer in
            guard let dims = answer.dimensions, dims.count <= 2, let side = dims.first, dims.allSatisfy({ $0 == side })
            else {
                return .unexpected(message: "This question expects a square size like 3x3 (or just 3), not \(answer.kindDescription).")
            }
            if side == expected {
                return .correct(message: "Correct: \(expected)x\(expected). \(explanation)")
            }
            if let mistake = mistakes.first(where: { $0.value == side }) {
                return .incorrect(hint: mistake.hint)
            }
            return .incorrect(hint: hint)
        }
    }

    /// Checks a matrix of numbers written as a list of rows, `[[6, 8], [3, 4]]`.
    public static func matrix(
        _ expected: [[Double]], explanation: String, mistakes: [Mistake<[[Double]]>] = [], hint: String
    ) -> @Sendable (Answer) -> Verdict {
        let mistakes = mistakes.filter { $0.value != expected }
        let rows = expected.count
        let columns = expected.first?.count ?? 0
        return { answer in
            guard let given = answer.matrix else {
                return .unexpected(message: "This question expects a list of rows, like [[1, 2], [3, 4]], not \(answer.kindDescription).")
            }
            if given == expected {
                return .correct(message: "Correct. \(explanation)")
            }
            if let mistake = mistakes.first(where: { $0.value == given }) {
                return .incorrect(hint: mistake.hint)
            }
            if given.count != rows || given[0].count != columns {
                return .incorrect(hint: "The result has \(rows) rows of \(columns) numbers: one per window. \(hint)")
            }
            let wrong = zip(given.joined(), expected.joined()).filter { $0 != $1 }.count
            return .incorrect(hint: "\(wrong) of \(rows * columns) numbers are wrong. \(hint)")
        }
    }

    /// An example of the answer form with `count` numbers that gives nothing away.
    static func exampleVolume(_ count: Int) -> String {
        switch count {
        case 1: return "7"
        case 2: return "5x5"
        default: return "10x10x4"
        }
    }
}
