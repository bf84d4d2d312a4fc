import JupyterProtocol

/// What a built-in's body may reach of the cell it runs in: the session, the
/// output, the interrupt flag, the cell's variables and its undo steps. Not the
/// evaluator: a built-in cannot evaluate expressions or see the syntax tree.
public struct CellContext {
    private let evaluator: Evaluator

    init(_ evaluator: Evaluator) { self.evaluator = evaluator }

    /// The state kept between cells (limits, caches, exercise progress).
    public var session: LanguageSession { evaluator.session }
    /// Where output goes: streams, displays, input, and the interrupt flag.
    public var context: ExecutionContext { evaluator.context }
    public var limits: Limits { evaluator.session.limits }

    /// Whether the interrupt button asks the cell to stop (the engine's stop flag).
    public func shouldStop() -> Bool { evaluator.context.isCancelled }

    /// Throws a KeyboardInterrupt if the interrupt button was pressed.
    public func checkpoint() throws(LanguageError) { try evaluator.checkpoint(at: nil) }

    /// Registers a step that undoes a change to a shared object if the cell fails.
    public func onFailure(_ undo: @escaping () -> Void) { evaluator.onFailure(undo) }

    /// The variables as this cell sees them (its assignments so far included).
    public var variables: [String: Value] { evaluator.scope }

    /// `reset()`: the cell forgets every variable (committed when the cell succeeds).
    public func forgetVariables() { evaluator.clearScope() }
}
