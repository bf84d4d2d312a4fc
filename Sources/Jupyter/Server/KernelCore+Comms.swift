import JupyterProtocol

/// Comms (messaging.rst, "Custom Messages"): the four comm messages, routed to the
/// `CommManager` the interpreter was given, and the comm messages that arrive while a
/// cell runs.
///
/// Comm messages have no reply; each is bracketed by busy/idle with itself as parent
/// (the widget front end waits for that idle before it sends a widget's next update),
/// and whatever its handler publishes carries it as parent too (`currentParent`).
/// Bad input (a missing or wrongly typed comm_id, an unknown comm) is logged and dropped:
/// nothing is answered, nothing is thrown.
///
/// While a cell runs: the cell calls `ExecutionContext.processPendingEvents()` between
/// steps (a training loop, between batches). That takes every request waiting on shell;
/// comm messages are handled there and then, each in its own busy/idle, everything else
/// is kept in `deferred` and handled in arrival order once the cell is done, before the
/// socket is read again. So comm messages overtake queued cells (a button acts during a
/// long cell), while the shell requests among themselves keep their order. All of it runs
/// on the shell thread: the interpreter, its comm handlers and this routing never race;
/// a handler runs between two batches, never inside one.
extension KernelCore: CommTransport {
    static let commMessageTypes: Set<String> = ["comm_open", "comm_msg", "comm_close"]
    /// At most this many requests are taken per `processPendingEvents` call, so a flood of
    /// updates cannot stall the cell that calls it; the rest wait for the next call.
    static let pendingEventsPerCall = 64

    public func publish(_ msgType: String, content: JSON, metadata: [String: JSON], buffers: [[UInt8]]) {
        iopub.send(
            Message(
                header: session.header(msgType), parentHeader: currentParent?.header.json ?? [:],
                metadata: metadata, content: content, buffers: buffers))
    }

    /// See the type's comment: comm messages now, everything else deferred in order.
    func processPendingEvents() {
        guard commHandlerDepth == 0, let replies = currentReplies else { return }
        for _ in 0..<Self.pendingEventsPerCall {
            guard let next = nextQueuedRequest() else { return }
            if Self.commMessageTypes.contains(next.msgType) {
                dispatch(next, replies: replies)
            } else {
                deferred.append(next)
            }
        }
    }

    func commInfoRequest(_ request: Request) throws(RequestError) {
        var target: String?
        if let given = request.content["target_name"], given != .null {
            guard let name = given.stringValue else {
                throw RequestError.wrongType(msgType: "comm_info_request", field: "target_name", expected: "a string")
            }
            target = name
        }
        request.reply(["status": "ok", "comms": .object(comms.info(target: target))])
    }

    /// messaging.rst, "Opening a Comm": a comm_open for a target the kernel does not have
    /// is answered with comm_close on iopub.
    func commOpen(_ request: Request) {
        guard let commID = commID(of: request) else { return }
        guard let target = request.content["target_name"]?.stringValue else {
            logger.warning("comm_open \(commID) without a target_name string; closing it")
            publish("comm_close", content: ["comm_id": .string(commID), "data": [:]], metadata: [:], buffers: [])
            return
        }
        let outcome = runHandler(request) { context in
            comms.receiveOpen(commID: commID, target: target, message: commMessage(request), context: context)
        }
        switch outcome {
        case .opened, nil:
            break
        case .unknownTarget:
            logger.info("comm_open for unknown target \"\(target)\"; closing it")
            publish("comm_close", content: ["comm_id": .string(commID), "data": [:]], metadata: [:], buffers: [])
        case .duplicateID:
            logger.warning("comm_open for \(commID), which is already open; ignored")
        case .refused(let reason):
            logger.warning("comm_open for target \"\(target)\" refused: \(reason)")
        }
    }

    func commMsg(_ request: Request) {
        guard let commID = commID(of: request) else { return }
        let known = runHandler(request) { context in
            try comms.receiveMessage(commID: commID, message: commMessage(request), context: context)
        }
        if known == false { logger.warning("comm_msg for unknown comm \(commID); ignored") }
    }

    func commClose(_ request: Request) {
        guard let commID = commID(of: request) else { return }
        let known = runHandler(request) { context in
            try comms.receiveClose(commID: commID, message: commMessage(request), context: context)
        }
        if known == false { logger.info("comm_close for unknown comm \(commID); ignored") }
    }

    // MARK: - Helpers

    private func commID(of request: Request) -> String? {
        guard let id = request.content["comm_id"]?.stringValue, !id.isEmpty else {
            logger.warning("\(request.message.msgType) without a comm_id string; ignored")
            return nil
        }
        return id
    }

    private func commMessage(_ request: Request) -> CommMessage {
        let data = request.content["data"] ?? [:]
        return CommMessage(
            data: data == .null ? [:] : data, metadata: request.message.metadata, buffers: request.message.buffers,
            messageID: request.message.header.msgID)
    }

    /// Runs a comm handler with a context parented to the comm message; what it throws is
    /// logged (nil is returned), never answered.
    private func runHandler<T>(_ request: Request, _ body: (ExecutionContext) throws -> T) -> T? {
        // Outside a cell, an interrupt left over from an earlier cell must not cancel this handler.
        if cellDepth == 0 { cancellation.reset() }
        let context = CellContext(
            request: request.message, executionCount: executionCount, silent: false, allowStdin: false, iopub: iopub,
            stdin: nil, session: session, cancellation: cancellation, pendingEvents: {})
        commHandlerDepth += 1
        defer { commHandlerDepth -= 1 }
        do {
            return try body(context)
        } catch {
            logger.error("\(request.message.msgType) handler for \(request.content["comm_id"]?.stringValue ?? "?") failed: \(error)")
            return nil
        }
    }
}
