import JupyterProtocol
/// The `ExecutionContext` of one execute_request (or of one comm message's handlers): turns what the interpreter produces
/// into iopub messages parented to the request, and asks stdin for input.
final class CellContext: ExecutionContext {
    let request: Message
    let executionCount: Int
    let isSilent: Bool
    private let allowStdin: Bool
    private let iopub: MessageSink
    private let stdin: StdinChannel?
    private let session: Session
    private let cancellation: Cancellation
    private let pendingEvents: () -> Void

    init(
        request: Message, executionCount: Int, silent: Bool, allowStdin: Bool, iopub: MessageSink,
        stdin: StdinChannel?, session: Session, cancellation: Cancellation, pendingEvents: @escaping () -> Void
    ) {
        self.pendingEvents = pendingEvents
        self.request = request
        self.executionCount = executionCount
        self.isSilent = silent
        self.allowStdin = allowStdin
        self.iopub = iopub
        self.stdin = stdin
        self.session = session
        self.cancellation = cancellation
    }

    var isCancelled: Bool { cancellation.isCancelled }

    func waitUntilCancelled(seconds: Double) -> Bool {
        cancellation.wait(seconds: seconds)
    }

    func processPendingEvents() { pendingEvents() }

    private func publish(_ msgType: String, _ content: JSON) {
        // messaging.rst, execute_request: silent means no broadcast on iopub at all.
        guard !isSilent else { return }
        iopub.send(request.child(msgType, content, session: session))
    }

    func stream(_ name: StreamName, _ text: String) {
        guard !text.isEmpty else { return }
        publish("stream", ["name": .string(name.rawValue), "text": .string(text)])
    }

    func display(_ bundle: MimeBundle, displayID: String?, update: Bool) {
        var content: [String: JSON] = ["data": .object(bundle.data), "metadata": .object(bundle.metadata)]
        if let displayID { content["transient"] = ["display_id": .string(displayID)] }
        // update_display_data needs a display_id to say which output to replace.
        publish(update && displayID != nil ? "update_display_data" : "display_data", .object(content))
    }

    func clearOutput(wait: Bool) {
        publish("clear_output", ["wait": .bool(wait)])
    }

    func input(prompt: String, password: Bool) throws -> String {
        guard allowStdin, let stdin else { throw InputError.notAllowed }
        if cancellation.isCancelled { throw InputError.interrupted }
        // The input_request goes to the stdin socket of the front end that sent the cell (same identities).
        let ask = request.child(
            "input_request", ["prompt": .string(prompt), "password": .bool(password)], identities: request.identities,
            session: session)
        guard let reply = stdin.ask(ask, cancellation: cancellation) else { throw InputError.interrupted }
        return reply.content["value"]?.stringValue ?? ""
    }
}

/// A context that keeps nothing and shows nothing: user_expressions are evaluated with it.
final class QuietContext: ExecutionContext {
    let executionCount: Int
    private let cancellation: Cancellation

    init(executionCount: Int, cancellation: Cancellation) {
        self.executionCount = executionCount
        self.cancellation = cancellation
    }

    var isCancelled: Bool { cancellation.isCancelled }
    var isSilent: Bool { true }
    func waitUntilCancelled(seconds: Double) -> Bool { cancellation.wait(seconds: seconds) }
    func stream(_ name: StreamName, _ text: String) {}
    func display(_ bundle: MimeBundle, displayID: String?, update: Bool) {}
    func clearOutput(wait: Bool) {}
    func input(prompt: String, password: Bool) throws -> String { throw InputError.notAllowed }
}
