/// The chapter's exercises, in the order the chapter meets them, and the lookups
/// the language's `exercises()`, `exercise(id)` and `answer(id, value)` use.
public struct ExerciseBank: Sendable {
    /// Every exercise, in order; ids are unique.
    public let exercises: [Exercise]

    public init(_ exercises: [Exercise]) {
        var seen = Set<String>()
        for exercise in exercises {
            precondition(seen.insert(exercise.id).inserted, "duplicate exercise id \(exercise.id)")
        }
        self.exercises = exercises
    }

    /// The chapter's bank.
    public static let standard = ExerciseBank(
        NeuronExercises.all + ConvExercises.all + PoolingExercises.all + ParameterExercises.all
            + ReceptiveFieldExercises.all + CompositionExercises.all + DeepNetExercises.all
            + TrainingExercises.all)

    /// The exercise with this id.
    /// - Throws: `ExerciseError.unknownExercise` with the closest id, when there is no such exercise.
    public func exercise(id: String) throws -> Exercise {
        if let found = exercises.first(where: { $0.id == id }) { return found }
        throw ExerciseError.unknownExercise(id: id, suggestion: closestID(to: id))
    }

    /// Checks `answer` against exercise `id`.
    /// - Throws: `ExerciseError.unknownExercise` when there is no such exercise.
    public func check(id: String, answer: Answer) throws -> Verdict {
        try exercise(id: id).check(answer)
    }

    /// The id nearest to a mistyped one, by edit distance, when it is close enough to be a typo.
    func closestID(to id: String) -> String? {
        let scored = exercises.map { ($0.id, editDistance($0.id, id)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(2, id.count / 3) ? best.0 : nil
    }
}

/// Errors a learner can act on.
public enum ExerciseError: Error, Equatable, CustomStringConvertible {
    case unknownExercise(id: String, suggestion: String?)

    public var description: String {
        switch self {
        case .unknownExercise(let id, let suggestion?):
            return "There is no exercise \"\(id)\". Did you mean \"\(suggestion)\"? exercises() lists them all."
        case .unknownExercise(let id, nil):
            return "There is no exercise \"\(id)\". exercises() lists them all."
        }
    }
}
