// Checks that autograders count: check and todo. (exercises, exercise and answer
// join them when the exercise bank lands.)
extension Builtins {
    static var exercises: [Builtin] {
        [
            Builtin(
                "check", [.required("condition"), .optional("message", "check failed")], family: .exercises,
                summary: "Fails the cell with the message when the condition is false; shows nothing when it holds.",
                details: "What autograded test cells use: a failing check is an error output and an error reply;"
                    + " one that holds sends no result at all.",
                example: "check(shape(conv(8, 5x5), 28x28x1) == 24x24x8, \"5x5 filters on 28x28 give 24x24\")",
                isStatement: true
            ) { args, _ throws(LanguageError) in
                guard try args.value("condition").isTruthy else {
                    throw LanguageError(.checkFailed(try args.value("message").text), at: args.spanOf("condition"))
                }
                return .none
            },
            Builtin(
                "todo", [.optional("message", .none)], family: .exercises,
                summary: "Fails the cell like Python's NotImplementedError: the stub left where a solution goes.",
                details: "nbgrader replaces each solution region with this call (c.ClearSolutions.code_stub).",
                example: "net = todo()", isStatement: true
            ) { args, _ throws(LanguageError) in
                throw LanguageError(
                    .notImplemented(try args.has("message") ? try args.value("message").text : "replace todo() with your solution"))
            },
        ]
    }
}

import Exercises
import Foundation

// The exercise bank: exercises, exercise, answer.
extension Builtins {
    static var exerciseBank: [Builtin] {
        [
            Builtin(
                "exercises", [], family: .exercises,
                summary: "Lists the chapter's exercises, one line each, with your progress: [x] solved, [~] tried, [ ] not yet.",
                details: "Progress is saved in your home (~/.local/share/convnet-kernel/progress.json; CONVNET_PROGRESS moves it),"
                    + " so it survives a kernel restart.",
                example: "exercises()"
            ) { _, cell throws(LanguageError) in
                let lines = ExerciseBank.standard.listing(progress: savedProgress(cell))
                return .record(Record(kind: "exercise list", fields: [], summary: lines.joined(separator: "\n")))
            },
            Builtin(
                "exercise", [.required("id")], family: .exercises,
                summary: "Shows an exercise's question and the form its answer takes.",
                example: "exercise(\"volume-cifar\")"
            ) { args, _ throws(LanguageError) in
                let e = try findExercise(args)
                let text = "\(e.id): \(e.title)\n\n\(e.question)\n\nAnswer with answer(\"\(e.id)\", ...): \(e.answerForm)."
                return .record(Record(kind: "exercise", fields: [("id", .string(e.id)), ("title", .string(e.title))], summary: text))
            },
            Builtin(
                "answer", [.required("id"), .required("value")], family: .exercises,
                summary: "Checks your answer to an exercise: says why it is right, or gives a hint (never the answer).",
                details: "Volumes can be written 24x24x8 or [24, 24, 8]; numbers whole or decimal.",
                example: "answer(\"volume-cifar\", 26x26x20)", changesState: true
            ) { args, cell throws(LanguageError) in
                let e = try findExercise(args)
                let given = try answer(from: try args.value("value"), at: args.spanOf("value"))
                let verdict = e.check(given)
                var progress = savedProgress(cell)
                progress.record(id: e.id, verdict: verdict)
                cell.session.exerciseProgress = progress
                if let file = cell.session.progressFile {
                    let (merged, note) = file.save(progress)
                    cell.session.exerciseProgress = merged
                    if let note { noteOnce(note, cell) }
                }
                let (mark, correct): (String, Bool)
                switch verdict {
                case .correct: (mark, correct) = ("Correct", true)
                case .incorrect: (mark, correct) = ("Not yet", false)
                case .unexpected: (mark, correct) = ("Cannot check this answer", false)
                }
                return .record(Record(
                    kind: "verdict", fields: [("correct", .bool(correct)), ("message", .string(verdict.message))],
                    summary: verdict.message.lowercased().hasPrefix(mark.lowercased()) ? verdict.message : "\(mark): \(verdict.message)"))
            },
        ]
    }

    /// This session's progress with what the progress file holds (an earlier session's,
    /// or another notebook's of the same learner). A damaged file is set aside with a note.
    private static func savedProgress(_ cell: CellContext) -> ExerciseProgress {
        guard let file = cell.session.progressFile else { return cell.session.exerciseProgress }
        let (saved, note) = file.load()
        if let note { noteOnce(note, cell) }
        let progress = saved.merged(with: cell.session.exerciseProgress)
        cell.session.exerciseProgress = progress
        return progress
    }

    /// Shows a note about the progress file on stderr, once a session.
    private static func noteOnce(_ note: String, _ cell: CellContext) {
        guard cell.session.progressNotesShown.insert(note).inserted else { return }
        cell.context.stream(.stderr, note + "\n")
    }

    private static func findExercise(_ args: Arguments) throws(LanguageError) -> Exercise {
        let id = try args.string("id")
        do {
            return try ExerciseBank.standard.exercise(id: id)
        } catch let error as ExerciseError {
            throw LanguageError(.noSuchExercise(error.description), at: args.spanOf("id"))
        } catch {
            throw LanguageError(.noSuchExercise("\(error)"), at: args.spanOf("id"))
        }
    }

    /// A value as the bank reads answers: a volume and a list of whole numbers are both dimensions.
    static func answer(from value: Value, at span: SourceSpan, nested: Bool = false) throws(LanguageError) -> Answer {
        switch value {
        case .number(let n): return .number(n)
        case .bool(let b): return .bool(b)
        case .string(let s): return .text(s)
        case .volume(let dims): return .dimensions(dims)
        case .net(let net) where !nested:
            // Checked on this thread before answer() returns (see TrainedNet).
            return .net(TrainedNet(net.network))
        case .list(let items):
            var whole: [Int] = []
            for item in items {
                if case .number(let n) = item, n == n.rounded(), abs(n) < 1e9 { whole.append(Int(n)) }
            }
            if !nested && whole.count == items.count && (2...3).contains(whole.count) { return .dimensions(whole) }
            var answers: [Answer] = []
            for item in items { answers.append(try answer(from: item, at: span, nested: true)) }
            return .list(answers)
        case .image(let i) where i.volume.depth == 1:
            // A matrix written with kernel([[...]]): its rows.
            return .list((0..<i.volume.height).map { y in
                .list((0..<i.volume.width).map { x in .number(Value.double(i.values[y * i.volume.width + x])) })
            })
        default:
            throw LanguageError(.notAnAnswer(actual: value.kindWithArticle), at: span)
        }
    }
}

extension LanguageSession {
    /// A learner's session, as the kernel and `run` make it: limits from the environment,
    /// exercise progress kept in the learner's home (`ExerciseProgressFile`).
    public static func forLearner(environment: [String: String] = ProcessInfo.processInfo.environment) -> LanguageSession {
        let session = LanguageSession(limits: .fromEnvironment(environment))
        session.progressFile = ExerciseProgressFile(environment: environment)
        return session
    }
}
