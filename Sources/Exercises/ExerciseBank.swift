import Convnet

// The contract between the exercise bank and the language. The language turns a
// learner's value into an `Answer`, asks the bank, and shows the `Verdict`.
// The bank itself (the exercises and their checking) is built out in this module.

/// A learner's answer, in the forms the language can produce.
public enum Answer: Sendable {
    case number(Double)
    /// A volume or a shape: `24x24x8`, `[24, 24, 8]`, `5x5`.
    case dimensions([Int])
    case list([Answer])
    case text(String)
    case bool(Bool)
    // A trained net (for "train a net to a stated accuracy") is added as a case
    // once the engine's net type exists.
}

/// What checking an answer says.
public enum Verdict: Sendable, Equatable {
    case correct(message: String)
    /// Wrong, with a hint that does not give the answer away.
    case incorrect(hint: String)
    /// The answer is of the wrong kind for this question ("expects a volume like 24x24x8").
    case unexpected(message: String)
}

/// One exercise of the bank.
public struct Exercise: Sendable {
    /// A stable id used in notebooks: "volume-cifar".
    public var id: String
    /// One line for `exercises()`.
    public var title: String
    /// The question, as plain text (may span lines).
    public var question: String
    /// The form of the expected answer, shown to the learner ("a volume, like 24x24x8").
    public var answerForm: String
    /// Decides on an answer.
    public var check: @Sendable (Answer) -> Verdict

    public init(
        id: String, title: String, question: String, answerForm: String,
        check: @escaping @Sendable (Answer) -> Verdict
    ) {
        self.id = id
        self.title = title
        self.question = question
        self.answerForm = answerForm
        self.check = check
    }
}
