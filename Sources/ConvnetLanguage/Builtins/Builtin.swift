/// A function the language provides, declared once: its name, its parameters with
/// their defaults, its doc text and its body. `help()`, Shift-Tab inspection,
/// completion, docs/language.md and the call itself all read this one declaration,
/// so they cannot disagree: the body reads a defaulted argument with
/// `args.number("lr")` and gets the default declared here.
///
///     Builtin(
///         "sgd", [.keyword("lr", 0.01), .keyword("momentum", 0)], family: .training,
///         summary: "Stochastic gradient descent.", example: "sgd(lr: 0.01)"
///     ) { args, cell throws(LanguageError) in
///         .optimizer(.sgd(learningRate: Float(try args.number("lr")), ...))
///     }
///
/// Reading a name the declaration lacks is an error, and BuiltinDeclarationTests
/// checks that the body reads every optional parameter declared.
public final class Builtin {
    /// One parameter of the signature.
    public struct Parameter {
        /// How a call may pass it.
        public enum Passing: Sendable {
            /// By position or by keyword.
            case positional
            /// Only by keyword (`epochs: 1`), never by position.
            case keywordOnly
            /// Takes every remaining positional argument (`sequential(input, layers...)`).
            case variadic
        }

        public var name: String
        /// nil when the argument is required (and for a variadic one).
        public var defaultValue: Default?
        public var passing: Passing

        public var isVariadic: Bool { passing == .variadic }
        public var isKeywordOnly: Bool { passing == .keywordOnly }
        public var isRequired: Bool { defaultValue == nil && passing != .variadic }

        public static func required(_ name: String) -> Parameter {
            Parameter(name: name, defaultValue: nil, passing: .positional)
        }
        public static func optional(_ name: String, _ defaultValue: Default) -> Parameter {
            Parameter(name: name, defaultValue: defaultValue, passing: .positional)
        }
        public static func keyword(_ name: String, _ defaultValue: Default) -> Parameter {
            Parameter(name: name, defaultValue: defaultValue, passing: .keywordOnly)
        }
        public static func variadic(_ name: String) -> Parameter {
            Parameter(name: name, defaultValue: nil, passing: .variadic)
        }
    }

    /// What an argument left out stands for.
    public enum Default: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral,
        ExpressibleByStringLiteral
    {
        /// A value of the language, bound when the call leaves the argument out
        /// (or passes `none`) and shown in the signature as the language writes it.
        case value(Value)
        /// Worked out by the body from the other arguments (a pooling stride is the
        /// window's size); the argument reads as `none`, the signature shows the words.
        case computed(String)

        /// The language's `none`: the argument is optional and has no value.
        public static var none: Default { .value(.none) }

        public init(integerLiteral value: Int) { self = .value(.number(Double(value))) }
        public init(floatLiteral value: Double) { self = .value(.number(value)) }
        public init(booleanLiteral value: Bool) { self = .value(.bool(value)) }
        public init(stringLiteral value: String) { self = .value(.string(value)) }

        /// The value bound when the argument is left out.
        var boundValue: Value {
            if case .value(let v) = self { return v }
            return .none
        }

        /// As the signature shows it: `0.01`, `"softmax"`, `none`, `sgd(lr: 0.01, momentum: 0.9)`.
        public var text: String {
            switch self {
            case .value(let v): return v.repr
            case .computed(let words): return words
            }
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
        case widgets = "Widgets and live pictures"
    }

    /// The body: the call's arguments, bound to the parameters (defaults filled in),
    /// and the cell it runs in (the session, the output, the interrupt flag).
    public typealias Body = (Arguments, CellContext) throws(LanguageError) -> Value

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
    /// It changes the session, a net or a file (train, add, save, reset, answer, input),
    /// so a user expression, which must change nothing, may not call it.
    public let changesState: Bool
    let body: Body

    public init(
        _ name: String, _ parameters: [Parameter], family: Family, summary: String, details: String = "",
        example: String, isStatement: Bool = false, changesState: Bool = false, body: @escaping Body
    ) {
        precondition(Set(parameters.map(\.name)).count == parameters.count, "\(name)() declares a parameter twice")
        self.name = name
        self.parameters = parameters
        self.family = family
        self.summary = summary
        self.details = details
        self.example = example
        self.isStatement = isStatement
        self.changesState = changesState
        self.body = body
    }

    /// `conv(filters, size, stride: 1, pad: 0)`.
    public var signature: String {
        let parts = parameters.map { p -> String in
            if p.isVariadic { return p.name + "..." }
            if let d = p.defaultValue { return "\(p.name): \(d.text)" }
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

    /// The declared parameter called `name`.
    func parameter(_ name: String) -> Parameter? { parameters.first { $0.name == name } }
}
