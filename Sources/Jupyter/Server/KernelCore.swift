import Logging
import JupyterProtocol

/// The shell side of the kernel, without sockets: the handlers of every shell request,
/// the execution count, history and the abort-after-error queue. The interpreter only
/// answers; everything the protocol requires around it happens here (as xeus's
/// `xkernel_core`).
///
/// Used by one thread (the shell thread). Tests drive it with recording sinks.
public final class KernelCore {
    public let session: Session
    public let interpreter: Interpreter
    public let cancellation: Cancellation
    let info: InterpreterInfo
    let iopub: MessageSink
    let stdin: StdinChannel?
    let logger: Logger
    let dispatcher: Dispatcher
    /// The comm registry the interpreter was given at start (see KernelCore+Comms).
    public private(set) var comms: CommManager!

    /// Cells run with store_history so far (ipykernel's `execution_count`).
    public internal(set) var executionCount = 0
    public internal(set) var history = History()

    /// Returns the next shell request already waiting, without blocking (nil when none).
    /// After a failed cell with stop_on_error, the queued execute_requests are aborted.
    public var nextQueuedRequest: () -> Message? = { nil }

    /// Told when a shutdown_request arrives on shell (older clients send it there).
    public weak var lifecycle: KernelLifecycle?

    /// Requests taken off the socket when a cell failed with stop_on_error, to abort.
    var queuedBehindError: [Message]?
    var pendingShutdown: Bool?

    /// The request being handled: the parent of whatever comms publish (a cell, or a comm message).
    var currentParent: Message?
    /// Where replies of the request being handled go (comm messages handled mid-cell need it).
    var currentReplies: MessageSink?
    /// Requests taken off the socket by `processPendingEvents` that are not comm messages:
    /// handled, in arrival order, before the socket is read again.
    var deferred: [Message] = []
    /// Cells running (0 or 1) and comm handlers running: see KernelCore+Comms.
    var cellDepth = 0
    var commHandlerDepth = 0

    public init(
        interpreter: Interpreter, session: Session, iopub: MessageSink, stdin: StdinChannel?,
        cancellation: Cancellation = Cancellation(), logger: Logger = Logger(label: "jupyter.shell")
    ) {
        self.interpreter = interpreter
        self.session = session
        self.iopub = iopub
        self.stdin = stdin
        self.cancellation = cancellation
        self.logger = logger
        self.info = interpreter.info
        self.dispatcher = Dispatcher(channel: .shell, iopub: iopub, session: session, logger: logger)
        registerHandlers()
        comms = CommManager(transport: self)
        interpreter.connect(comms: comms)
    }

    private func registerHandlers() {
        // Handlers by exact msg_type; names as in messaging.rst.
        let table: [(String, Dispatcher.Handler)] = [
            ("execute_request", { [unowned self] in try self.executeRequest($0) }),
            ("kernel_info_request", { [unowned self] in self.kernelInfoRequest($0) }),
            ("complete_request", { [unowned self] in try self.completeRequest($0) }),
            ("inspect_request", { [unowned self] in try self.inspectRequest($0) }),
            ("is_complete_request", { [unowned self] in try self.isCompleteRequest($0) }),
            ("history_request", { [unowned self] in try self.historyRequest($0) }),
            ("comm_info_request", { [unowned self] in try self.commInfoRequest($0) }),
            ("comm_open", { [unowned self] in self.commOpen($0) }),
            ("comm_msg", { [unowned self] in self.commMsg($0) }),
            ("comm_close", { [unowned self] in self.commClose($0) }),
            ("shutdown_request", { [unowned self] in try self.shutdownRequest($0) }),
        ]
        for (msgType, handler) in table { dispatcher.on(msgType, handler) }
    }

    /// Handles one shell request (busy, handler, idle), then aborts what was queued behind
    /// a failed cell. `replies` goes back to the shell socket.
    ///
    /// Requests a running cell took off the socket while it handled its comm messages
    /// (`deferred`) are handled next, in the order they arrived.
    public func handle(_ message: Message, replies: MessageSink) {
        var next: Message? = message
        while let current = next {
            dispatch(current, replies: replies)
            if let queue = queuedBehindError {
                queuedBehindError = nil
                abortQueue(queue, replies: replies)
            }
            // Shutdown starts after idle is published, so the front end sees the whole exchange.
            if let restart = pendingShutdown {
                pendingShutdown = nil
                deferred.removeAll()
                lifecycle?.shutdown(restart: restart)
                return
            }
            next = deferred.isEmpty ? nil : deferred.removeFirst()
        }
    }

    /// One request through the dispatcher (busy, handler, idle), as the parent of what comms publish meanwhile.
    func dispatch(_ message: Message, replies: MessageSink) {
        let (outerParent, outerReplies) = (currentParent, currentReplies)
        (currentParent, currentReplies) = (message, replies)
        defer { (currentParent, currentReplies) = (outerParent, outerReplies) }
        dispatcher.dispatch(message, replies: replies)
    }

    /// Publishes `status: starting`, once, when the kernel comes up.
    public func publishStarting() {
        iopub.send(session.message("status", ["execution_state": "starting"]))
        // A subscriber that connects late never sees it: the log is how a test can.
        logger.debug("iopub: status starting")
    }

    // MARK: - Handlers

    func kernelInfoRequest(_ request: Request) {
        request.reply(KernelInfo.content(info))
    }

    func completeRequest(_ request: Request) throws(RequestError) {
        let code = try request.string("code")
        let cursor = try request.int("cursor_pos", default: code.unicodeScalars.count)
        let completion = interpreter.completeRequest(code: code, cursorPosition: cursor)
        request.reply([
            "status": "ok",
            "matches": .array(completion.matches.map(JSON.string)),
            "cursor_start": .number(Double(completion.cursorStart)),
            "cursor_end": .number(Double(completion.cursorEnd)),
            "metadata": .object(completion.metadata),
        ])
    }

    func inspectRequest(_ request: Request) throws(RequestError) {
        let code = try request.string("code")
        let cursor = try request.int("cursor_pos", default: code.unicodeScalars.count)
        let detail = try request.int("detail_level", default: 0)
        if let bundle = interpreter.inspectRequest(code: code, cursorPosition: cursor, detailLevel: detail) {
            request.reply(["status": "ok", "found": true, "data": .object(bundle.data), "metadata": .object(bundle.metadata)])
        } else {
            request.reply(["status": "ok", "found": false, "data": [:], "metadata": [:]])
        }
    }

    func isCompleteRequest(_ request: Request) throws(RequestError) {
        let code = try request.string("code")
        switch interpreter.isCompleteRequest(code: code) {
        case .complete: request.reply(["status": "complete"])
        case .incomplete(let indent): request.reply(["status": "incomplete", "indent": .string(indent)])
        case .invalid: request.reply(["status": "invalid"])
        case .unknown: request.reply(["status": "unknown"])
        }
    }

    func historyRequest(_ request: Request) throws(RequestError) {
        let output = try request.bool("output", default: false)
        let accessType = request.content["hist_access_type"]?.stringValue ?? "tail"
        let entries: [History.Entry]
        switch accessType {
        case "tail":
            entries = history.tail(try request.int("n", default: 10))
        case "range":
            let stop = request.content["stop"].flatMap(\.intValue)
            entries = history.range(
                session: try request.int("session", default: 0), start: try request.int("start", default: 1),
                stop: stop)
        case "search":
            let n = request.content["n"].flatMap(\.intValue)
            entries = history.search(
                pattern: request.content["pattern"]?.stringValue ?? "*", n: n,
                unique: try request.bool("unique", default: false))
        default:
            throw RequestError.invalid("history_request: unknown hist_access_type \"\(accessType)\"")
        }
        request.reply(["status": "ok", "history": History.json(entries, output: output)])
    }

    func shutdownRequest(_ request: Request) throws(RequestError) {
        let restart = try request.bool("restart", default: false)
        request.reply(["status": "ok", "restart": .bool(restart)])
        pendingShutdown = restart
    }
}
