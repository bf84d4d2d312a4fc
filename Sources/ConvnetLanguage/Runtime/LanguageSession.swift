import Convnet
import Exercises
import Foundation
import JupyterProtocol

/// The state a notebook builds up: its variables (until `reset()`), the built-ins,
/// the limits, and the exercise progress. One per kernel.
public final class LanguageSession {
    /// The names a learner defined, with their values.
    public internal(set) var variables: [String: Value] = [:]
    /// Names in the order they were first defined, for `vars()`.
    public internal(set) var definitionOrder: [String] = []
    /// Every built-in by name.
    public let builtins: [String: Builtin]
    public var limits: Limits
    /// Data sets loaded by `dataset(...)`, by name and folder: a second call is instant.
    var loadedDataSets: [DataSetKey: DataSets] = [:]
    /// Which exercises this session has answered, for exercises().
    var exerciseProgress = ExerciseProgress()
    /// Where exercise progress is kept between sessions; nil keeps it in memory only.
    public var progressFile: ExerciseProgressFile?
    /// Notes about the progress file already shown on stderr (each once a session).
    var progressNotesShown: Set<String> = []
    /// The widgets, the live views and the reads being recorded (LanguageSession+Widgets).
    let widgetState = SessionWidgets()

    public init(limits: Limits = .fromEnvironment()) {
        self.limits = limits
        var table: [String: Builtin] = [:]
        for builtin in Builtins.all { table[builtin.name] = builtin }
        builtins = table
    }

    /// Runs one cell. The variables change only when the whole cell succeeds.
    /// - Returns: the value of a final bare expression (nil after a statement, or when it is none),
    ///   or the first error.
    public func run(_ code: String, context: ExecutionContext) -> Result<Value?, LanguageError> {
        let statements: [Statement]
        do {
            statements = try Parser.parse(code)
        } catch {
            return .failure(error)
        }
        let evaluator = Evaluator(session: self, context: context, code: code)
        do {
            let result = try evaluator.runCell(statements)
            commit(evaluator.scope, assigned: evaluator.assignedNames)
            return .success(result)
        } catch {
            evaluator.rollBack()
            return .failure(error)
        }
    }

    /// Evaluates one expression against the variables, changing nothing: no assignment
    /// can be written, built-ins that change state are refused, and the variables are
    /// never committed (user_expressions).
    public func evaluate(expression code: String, context: ExecutionContext) -> Result<Value, LanguageError> {
        let evaluator = Evaluator(session: self, context: context, code: code, changesNothing: true)
        defer { evaluator.rollBack() }
        do {
            let expression = try Parser.parseExpression(code)
            try evaluator.checkpoint(at: expression.span)
            return .success(try evaluator.evaluate(expression))
        } catch {
            return .failure(error)
        }
    }

    /// Names a learner can use: variables, then built-ins.
    public var allNames: [String] { Array(variables.keys) + Array(builtins.keys) }

    private func commit(_ scope: [String: Value], assigned: [String]) {
        var order = definitionOrder.filter { scope[$0] != nil }
        for name in assigned where scope[name] != nil && !order.contains(name) { order.append(name) }
        definitionOrder = order
        variables = scope
    }
}

/// A data set as `dataset(name, folder: ...)` names it.
struct DataSetKey: Hashable {
    var name: String
    var folder: String?
}

/// Caps that keep one learner's mistake from taking the machine down.
public struct Limits: Sendable, Equatable {
    /// Bytes a net or tensor may need before it is refused (parameters, gradients,
    /// optimizer state and activations for a batch). CONVNET_MEMORY_LIMIT sets it:
    /// bytes, or with a unit (`512MB`, `4GB`); by default 4 GB, or half the cgroup's limit when lower.
    public var memoryBytes: Int
    /// The most items a list or range may have.
    public var maximumListCount: Int
    /// The longest string `+` may build, in UTF-8 bytes.
    public var maximumStringLength: Int

    public init(memoryBytes: Int = Network.defaultMemoryLimit, maximumListCount: Int = 1_000_000, maximumStringLength: Int = 16 << 20) {
        self.memoryBytes = memoryBytes
        self.maximumListCount = maximumListCount
        self.maximumStringLength = maximumStringLength
    }

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        -> Limits
    {
        // Under a cgroup memory limit (a hub's per-student limit) the default stays below it.
        var limits = Limits(memoryBytes: MemoryLimit.netCap(default: Limits().memoryBytes))
        if let text = environment["CONVNET_MEMORY_LIMIT"], let bytes = parseBytes(text) {
            limits.memoryBytes = bytes
        }
        return limits
    }

    /// `4GB`, `512 MB`, `1000000`.
    static func parseBytes(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, Double)] = [("GB", 1_073_741_824), ("G", 1_073_741_824), ("MB", 1_048_576), ("M", 1_048_576), ("KB", 1024), ("K", 1024), ("B", 1)]
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            // "1e300GB", "inf" and "nan" parse as Doubles; Int(_:) would trap on them.
            guard let n = Double(trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), n > 0,
                n * scale < Double(Int.max)
            else {
                return nil
            }
            return Int(n * scale)
        }
        return Int(trimmed).flatMap { $0 > 0 ? $0 : nil }
    }
}
