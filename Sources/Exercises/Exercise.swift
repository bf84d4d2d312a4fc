/// What checking an answer says.
public enum Verdict: Sendable, Equatable {
    /// Right; the message says why, so a lucky guess still teaches something.
    case correct(message: String)
    /// Wrong, with a hint that does not give the answer away.
    case incorrect(hint: String)
    /// The answer is of the wrong kind for this question ("expects a volume like 24x24x8").
    case unexpected(message: String)

    /// True for `.correct`.
    public var isCorrect: Bool {
        if case .correct = self { return true }
        return false
    }

    /// The text to show the learner, whatever the case.
    public var message: String {
        switch self {
        case .correct(let message), .unexpected(let message): return message
        case .incorrect(let hint): return hint
        }
    }
}

/// One exercise of the bank.
public struct Exercise: Sendable {
    /// A stable id used in notebooks: "volume-cifar".
    public var id: String
    /// One line for `exercises()`.
    public var title: String
    /// The part of the chapter it belongs to ("Volumes", "Pooling").
    public var section: String
    /// The question, as plain text (may span lines).
    public var question: String
    /// The form of the expected answer, shown to the learner ("a volume, like 24x24x8").
    public var answerForm: String
    /// Decides on an answer.
    public var check: @Sendable (Answer) -> Verdict

    public init(
        id: String, title: String, section: String = "", question: String, answerForm: String,
        check: @escaping @Sendable (Answer) -> Verdict
    ) {
        self.id = id
        self.title = title
        self.section = section
        self.question = question
        self.answerForm = answerForm
        self.check = check
    }
}
