/// A function the language provides, with the doc text that `help()`, Shift-Tab
/// inspection, completion and docs/language.md all read.
public final class Builtin {
    /// One parameter of the signature.
    public struct Parameter: Equatable, Sendable {
        public var name: String
        /// The default as written in the signature ("1", "none"); nil when required.
        public var defaultText: String?
        /// Takes every remaining positional argument (`sequential(input, layers...)`).
        public var isVariadic: Bool
        /// Only by keyword (`epochs: 1`), never by position.
        public var isKeywordOnly: Bool

        public static func required(_ name: String) -> Parameter {
            Parameter(name: name, defaultText: nil, isVariadic: false, isKeywordOnly: false)
        }
        public static func optional(_ name: String, _ defaultText: String) -> Parameter {
            Parameter(name: name, defaultText: defaultText, isVariadic: false, isKeywordOnly: false)
        }
        public static func keyword(_ name: String, _ defaultText: String) -> Parameter {
            Parameter(name: name, defaultText: defaultText, isVariadic: false, isKeywordOnly: true)
        }
        public static func variadic(_ name: String) -> Parameter {
            Parameter(name: name, defaultText: nil, isVariadic: true, isKeywordOnly: false)
        }
    }

    /// The group the built-in belongs to in help() and the docs.
    public enum Family: String, CaseIterable, Sendable {
        case data = "Data and images"
        case layers = "Layers and nets"
        case training = "Training and evaluation"
        case inspection = "Looking inside a net"
        case demos = "The chapter's demos"
        case exercises = "Exercises and checks"
        case session = "Session and output"
        case values = "Numbers and lists"
    }

    public typealias Body = (inout Arguments, Evaluator) throws(LanguageError) -> Value

    public let name: String
    public let parameters: [Parameter]
    public let family: Family
    /// One sentence: what it does.
    public let summary: String
    /// More detail (may be empty).
    public let details: String
    /// A line of the language that uses it.
    public let example: String
    /// A call that is a statement: as a cell's last line it sends no execute_result
    /// (train, check, print, show...), though its value can still be assigned.
    public let isStatement: Bool
    let body: Body

    public init(
        _ name: String, _ parameters: [Parameter], family: Family, summary: String, details: String = "",
        example: String, isStatement: Bool = false, body: @escaping Body
    ) {
        self.name = name
        self.parameters = parameters
        self.family = family
        self.summary = summary
        self.details = details
        self.example = example
        self.isStatement = isStatement
        self.body = body
    }

    /// `conv(filters, size, stride: 1, pad: 0)`.
    public var signature: String {
        let parts = parameters.map { p -> String in
            if p.isVariadic { return p.name + "..." }
            if let d = p.defaultText { return "\(p.name): \(d)" }
            return p.name
        }
        return "\(name)(\(parts.joined(separator: ", ")))"
    }

    /// The doc text: signature, summary, details, example.
    public var doc: String {
        var text = signature + "\n\n" + summary
        if !details.isEmpty { text += "\n\n" + details }
        text += "\n\nExample:\n    " + example.replacingOccurrences(of: "\n", with: "\n    ")
        return text
    }

    /// Names that can be given by keyword.
    public var keywordNames: [String] { parameters.filter { !$0.isVariadic }.map(\.name) }
}

import Foundation
