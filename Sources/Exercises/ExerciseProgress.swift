import Foundation

/// What a learner has done: which exercises they answered correctly and how many
/// tries each took. The language keeps one per session, and `ExerciseProgressFile`
/// keeps it between sessions.
public struct ExerciseProgress: Sendable, Equatable {
    /// Where one exercise stands.
    public enum Status: Sendable, Equatable {
        case notTried
        case tried(attempts: Int)
        case solved(attempts: Int)
    }

    private var attempts: [String: Int] = [:]
    private var solvedIDs: Set<String> = []

    public init() {}

    /// Records one answer and its verdict. An `.unexpected` verdict (an answer of
    /// the wrong kind) does not count as a try; a solved exercise stays solved.
    public mutating func record(id: String, verdict: Verdict) {
        if case .unexpected = verdict { return }
        attempts[id, default: 0] += 1
        if verdict.isCorrect { solvedIDs.insert(id) }
    }

    public func status(of id: String) -> Status {
        let tries = attempts[id] ?? 0
        if solvedIDs.contains(id) { return .solved(attempts: tries) }
        return tries == 0 ? .notTried : .tried(attempts: tries)
    }

    public func isSolved(_ id: String) -> Bool { solvedIDs.contains(id) }

    /// The exercises tried or solved, with their tries.
    public var entries: [(id: String, attempts: Int, solved: Bool)] {
        Set(attempts.keys).union(solvedIDs).sorted().map { ($0, attempts[$0] ?? 0, solvedIDs.contains($0)) }
    }

    /// Progress from saved entries.
    public init(entries: [(id: String, attempts: Int, solved: Bool)]) {
        for entry in entries {
            if entry.attempts > 0 { attempts[entry.id] = entry.attempts }
            if entry.solved { solvedIDs.insert(entry.id) }
        }
    }

    /// Both records in one, as when two notebooks of one learner saved at once: an exercise
    /// solved in either is solved, and it keeps the larger count of tries.
    public func merged(with other: ExerciseProgress) -> ExerciseProgress {
        var result = self
        result.attempts.merge(other.attempts, uniquingKeysWith: max)
        result.solvedIDs.formUnion(other.solvedIDs)
        return result
    }

    /// How many of `bank`'s exercises are solved.
    public func solvedCount(in bank: ExerciseBank) -> Int {
        bank.exercises.filter { solvedIDs.contains($0.id) }.count
    }
}

extension ExerciseBank {
    /// One line per exercise with the learner's progress, for `exercises()`'s text form:
    /// `[x] volume-cifar  A colour image through 20 filters`.
    public func listing(progress: ExerciseProgress) -> [String] {
        let width = exercises.map(\.id.count).max() ?? 0
        let lines = exercises.map { exercise -> String in
            let mark: String
            switch progress.status(of: exercise.id) {
            case .solved: mark = "[x]"
            case .tried: mark = "[~]"
            case .notTried: mark = "[ ]"
            }
            let padded = exercise.id.padding(toLength: width, withPad: " ", startingAt: 0)
            return "\(mark) \(padded)  \(exercise.title)"
        }
        return lines + ["\(progress.solvedCount(in: self)) of \(exercises.count) solved. exercise(id) shows one; answer(id, value) checks it."]
    }
}
