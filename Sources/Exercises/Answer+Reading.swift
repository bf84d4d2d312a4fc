import Foundation

// Reading an answer generously: the same value written in any reasonable form.
// A checker asks for the form it needs (`dimensions`, `number`, `matrix`) and gets
// nil when the answer cannot be read that way.

extension Answer {
    /// The answer as whole numbers: `24x24x8`, `[24, 24, 8]`, a list of numbers
    /// that are whole, the text "24 x 24 x 8" or "(24, 24, 8)", or one whole number.
    public var dimensions: [Int]? {
        switch self {
        case .dimensions(let dims):
            return dims
        case .number(let value):
            return Answer.wholeNumber(value).map { [$0] }
        case .list(let items):
            var dims: [Int] = []
            for item in items {
                guard let value = item.number, let whole = Answer.wholeNumber(value) else { return nil }
                dims.append(whole)
            }
            return dims.isEmpty ? nil : dims
        case .text(let text):
            return Answer.parseDimensions(text)
        case .bool, .net:
            return nil
        }
    }

    /// The answer as one number: a number, a one-element list or volume, or text
    /// such as "4608", "4,608" or "0.5".
    public var number: Double? {
        switch self {
        case .number(let value):
            return value
        case .dimensions(let dims):
            return dims.count == 1 ? Double(dims[0]) : nil
        case .list(let items):
            return items.count == 1 ? items[0].number : nil
        case .text(let text):
            let cleaned = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
                .replacingOccurrences(of: "_", with: "")
            return Double(cleaned)
        case .bool, .net:
            return nil
        }
    }

    /// The answer as rows of numbers: `[[6, 8], [3, 4]]`, whether the inner lists
    /// came as numbers or as whole-number dimensions.
    public var matrix: [[Double]]? {
        guard case .list(let rows) = self, !rows.isEmpty else { return nil }
        var result: [[Double]] = []
        for row in rows {
            switch row {
            case .list(let items):
                var values: [Double] = []
                for item in items {
                    guard let value = item.number else { return nil }
                    values.append(value)
                }
                result.append(values)
            case .dimensions(let dims):
                result.append(dims.map(Double.init))
            default:
                return nil
            }
        }
        let width = result[0].count
        return result.allSatisfy({ $0.count == width }) && width > 0 ? result : nil
    }

    /// A short description of what the learner gave, for messages about its kind.
    public var kindDescription: String {
        switch self {
        case .number: return "a number"
        case .dimensions(let dims): return dims.count == 1 ? "a number" : "a volume"
        case .list: return "a list"
        case .text: return "text"
        case .bool: return "true or false"
        case .net: return "a net"
        }
    }

    /// `value` as an Int when it is whole (within rounding), else nil.
    static func wholeNumber(_ value: Double) -> Int? {
        guard value.isFinite, abs(value) < 1e15 else { return nil }
        let rounded = value.rounded()
        return abs(value - rounded) < 1e-9 ? Int(rounded) : nil
    }

    /// Parses "24x24x8", "24 x 24 x 8", "24×24×8", "[24, 24, 8]", "(24,24,8)", "24 24 8".
    static func parseDimensions(_ text: String) -> [Int]? {
        var trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        for (open, close) in [("[", "]"), ("(", ")")] where trimmed.hasPrefix(open) && trimmed.hasSuffix(close) {
            trimmed = String(trimmed.dropFirst().dropLast())
        }
        let separators = CharacterSet(charactersIn: "xX×*,; \t")
        let parts = trimmed.components(separatedBy: separators).filter { !$0.isEmpty }
        guard !parts.isEmpty else { return nil }
        var dims: [Int] = []
        for part in parts {
            guard let value = Int(part) else { return nil }
            dims.append(value)
        }
        return dims
    }
}

/// `24x24x8`: dimensions written as the chapter writes them.
func volumeText(_ dims: [Int]) -> String {
    dims.map(String.init).joined(separator: "x")
}

/// A number without a trailing ".0" when it is whole.
func numberText(_ value: Double) -> String {
    if let whole = Answer.wholeNumber(value) { return String(whole) }
    return String(value)
}

/// `3,617,280`: a count with its thousands grouped, as the chapter writes numbers.
func groupedThousands(_ value: Int) -> String {
    let digits = Array(String(abs(value)))
    var out = ""
    for (i, digit) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
        out.append(digit)
    }
    return (value < 0 ? "-" : "") + out
}
