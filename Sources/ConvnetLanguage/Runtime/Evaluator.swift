import Foundation
import JupyterProtocol

/// Runs one cell's statements against a scratch copy of the session's variables.
///
/// The session commits the copy only when the whole cell succeeds, so a failing
/// cell leaves no half-done assignment behind; built-ins that change a shared
/// object (`add` on a net) register an undo step for the same reason.
final class Evaluator {
    /// Expressions nest at most this deep at run time.
    static let maximumDepth = 200
    /// Lists inside lists at most this deep.
    static let maximumListDepth = 100

    let session: LanguageSession
    let context: ExecutionContext
    /// The cell's text, for messages.
    let code: String
    /// The variables as this cell sees them.
    internal(set) var scope: [String: Value]
    /// Names assigned by this cell, in order.
    private(set) var assignedNames: [String] = []
    private var undoSteps: [() -> Void] = []
    private var depth = 0
    /// Evaluating a user expression: built-ins that change state are refused.
    private let changesNothing: Bool

    init(session: LanguageSession, context: ExecutionContext, code: String, changesNothing: Bool = false) {
        self.session = session
        self.context = context
        self.code = code
        self.changesNothing = changesNothing
        self.scope = session.variables
    }

    /// Registers a step that undoes a change to a shared object if the cell fails.
    func onFailure(_ undo: @escaping () -> Void) { undoSteps.append(undo) }

    func rollBack() {
        for undo in undoSteps.reversed() { undo() }
        undoSteps.removeAll()
    }

    /// Empties the scope: `reset()`.
    func clearScope() {
        scope.removeAll()
        assignedNames.removeAll()
    }

    /// The value of the cell's final bare expression, if it has one and it is not a statement call.
    func runCell(_ statements: [Statement]) throws(LanguageError) -> Value? {
        for (i, statement) in statements.enumerated() {
            let isLast = i == statements.count - 1
            if isLast, case .expression(let expression) = statement {
                try checkpoint(at: expression.span)
                let value = try evaluate(expression)
                if case .none = value { return nil }
                if isStatementCall(expression) { return nil }
                return value
            }
            try execute(statement)
        }
        return nil
    }

    /// Throws a KeyboardInterrupt when the interrupt button asks the cell to stop.
    func checkpoint(at span: SourceSpan?) throws(LanguageError) {
        if context.isCancelled {
            throw LanguageError(.interrupted, at: span)
        }
    }

    /// A call of a built-in marked as a statement (train, check, print): no execute_result.
    private func isStatementCall(_ expression: Expression) -> Bool {
        guard case .call(.name(let name, _), _, _) = expression, scope[name] == nil,
            let builtin = session.builtins[name]
        else { return false }
        return builtin.isStatement
    }

    // MARK: - Statements

    func execute(_ statement: Statement) throws(LanguageError) {
        try checkpoint(at: statement.span)
        switch statement {
        case .expression(let expression):
            _ = try evaluate(expression)
        case .assign(let name, let expression, _):
            let value = try evaluate(expression)
            assign(name, value)
        case .pass:
            break
        case .forLoop(let variable, let sequenceExpression, let body, _):
            let sequence = try evaluate(sequenceExpression)
            let count = try iterationCount(of: sequence, at: sequenceExpression.span)
            // A string's i-th character is found by walking from its start: split it once.
            let characters: [Character]? = if case .string(let text) = sequence { Array(text) } else { nil }
            for i in 0..<count {
                try checkpoint(at: sequenceExpression.span)
                if let characters {
                    assign(variable, .string(String(characters[i])))
                } else {
                    assign(variable, try element(of: sequence, at: i, span: sequenceExpression.span))
                }
                for inner in body { try execute(inner) }
            }
        case .conditional(let branches, let otherwise, _):
            for (condition, body) in branches where try evaluate(condition).isTruthy {
                for inner in body { try execute(inner) }
                return
            }
            for inner in otherwise ?? [] { try execute(inner) }
        }
    }

    func assign(_ name: String, _ value: Value) {
        scope[name] = value
        if !assignedNames.contains(name) { assignedNames.append(name) }
    }

    // MARK: - Expressions

    func evaluate(_ expression: Expression) throws(LanguageError) -> Value {
        depth += 1
        defer { depth -= 1 }
        if depth > Evaluator.maximumDepth {
            throw LanguageError(.expressionNestsTooDeeply, at: expression.span)
        }
        switch expression {
        case .number(let n, _): return .number(n)
        case .string(let s, _): return .string(s)
        case .bool(let b, _): return .bool(b)
        case .none: return .none
        case .volume(let dims, let span):
            guard dims.allSatisfy({ $0 >= 1 && $0 < 1 << 24 }) else {
                throw LanguageError(.volumeLiteralOutOfRange(limit: 1 << 24), at: span)
            }
            return .volume(dims)
        case .name(let name, let span):
            return try lookup(name, at: span)
        case .list(let items, let span):
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for item in items {
                let value = try evaluate(item)
                // `x = [x]` in a loop would nest lists until printing or freeing them overflows the stack.
                if case .list = value, value.listDepth(upTo: Evaluator.maximumListDepth) >= Evaluator.maximumListDepth {
                    throw LanguageError(.listsNestTooDeeply(limit: Evaluator.maximumListDepth), at: span)
                }
                values.append(value)
            }
            return .list(values)
        case .unary(let op, let operand, let span):
            let value = try evaluate(operand)
            switch op {
            case .not: return .bool(!value.isTruthy)
            case .negate:
                guard case .number(let n) = value else {
                    throw LanguageError(.cannotNegate(kind: value.kindWithArticle), at: span)
                }
                return .number(-n)
            }
        case .binary(.and, let left, let right, _):
            let l = try evaluate(left)
            return l.isTruthy ? try evaluate(right) : l
        case .binary(.or, let left, let right, _):
            let l = try evaluate(left)
            return l.isTruthy ? l : try evaluate(right)
        case .binary(let op, let left, let right, let span):
            return try Operators.apply(op, try evaluate(left), try evaluate(right), limits: session.limits, at: span)
        case .call(let callee, let arguments, let span):
            return try call(callee, arguments, span: span)
        case .attribute(let base, let name, let span):
            return try Attributes.get(name, of: try evaluate(base), at: span)
        case .index(let base, let index, let span):
            return try Indexing.index(try evaluate(base), try evaluate(index), at: span, indexSpan: index.span)
        case .slice(let base, let lower, let upper, let span):
            let value = try evaluate(base)
            let l = try lower.map { e throws(LanguageError) in try evaluate(e) }
            let u = try upper.map { e throws(LanguageError) in try evaluate(e) }
            return try Indexing.slice(value, l, u, at: span)
        }
    }

    func lookup(_ name: String, at span: SourceSpan) throws(LanguageError) -> Value {
        if let value = scope[name] { return value }
        if let builtin = session.builtins[name] { return .builtin(builtin) }
        let guess = suggestion(for: name, among: Array(scope.keys) + Array(session.builtins.keys))
        throw LanguageError(.undefinedName(name, suggestion: guess), at: span)
    }

    private func call(_ calleeExpression: Expression, _ arguments: [CallArgument], span: SourceSpan) throws(LanguageError)
        -> Value
    {
        let callee = try evaluate(calleeExpression)
        guard case .builtin(let builtin) = callee else {
            throw LanguageError(.notCallable(kind: callee.kindWithArticle), at: calleeExpression.span)
        }
        if changesNothing && builtin.changesState {
            throw LanguageError(.changesStateInExpression(builtin: builtin.name), at: calleeExpression.span)
        }
        if builtin.name == "live" { return try liveCall(arguments, span: span) }
        var positional: [Arguments.Item] = []
        var keyword: [(String, Arguments.Item)] = []
        for argument in arguments {
            let item = Arguments.Item(value: try evaluate(argument.value), span: argument.value.span)
            // The parser has made sure no positional argument follows a keyword one.
            if let label = argument.label {
                keyword.append((label, item))
            } else {
                positional.append(item)
            }
        }
        let bound = try Arguments(builtin: builtin, positional: positional, keyword: keyword, span: span)
        do {
            return try builtin.body(bound, CellContext(self))
        } catch {
            throw error.placed(at: span)
        }
    }

    // MARK: - Loops

    private func iterationCount(of sequence: Value, at span: SourceSpan) throws(LanguageError) -> Int {
        switch sequence {
        case .list(let items): return items.count
        case .volume(let dims): return dims.count
        case .string(let s): return s.count
        case .dataset(let d): return d.count
        default:
            throw LanguageError(.notIterable(kind: sequence.kindWithArticle), at: span)
        }
    }

    private func element(of sequence: Value, at i: Int, span: SourceSpan) throws(LanguageError) -> Value {
        try Indexing.index(sequence, .number(Double(i)), at: span, indexSpan: span)
    }
}
