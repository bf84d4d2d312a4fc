import JupyterProtocol
/// execute_request (messaging.rst, "Execute"), and the abort of queued cells after an error.
extension KernelCore {
    func executeRequest(_ request: Request) throws(RequestError) {
        let code = try request.string("code")
        let silent = try request.bool("silent", default: false)
        // silent forces store_history off (messaging.rst, execute_request).
        let storeHistory = silent ? false : try request.bool("store_history", default: true)
        let allowStdin = try request.bool("allow_stdin", default: false)
        let stopOnError = try request.bool("stop_on_error", default: true)
        let userExpressions = request.content["user_expressions"]?.objectValue ?? [:]
        let started = Identifiers.now()
        // Cleared before execute_input goes out: an interrupt sent by a front end that has seen
        // this cell start must reach it (one sent while the kernel was idle is dropped).
        cancellation.reset()

        // As IPython counts: the counter moves for stored cells only; other cells report the current one.
        if storeHistory {
            executionCount += 1
            history.record(line: executionCount, input: code)
        }
        let count = executionCount
        let message = request.message
        if !silent {
            iopub.send(message.child("execute_input", ["code": .string(code), "execution_count": .number(Double(count))], session: session))
        }

        let context = CellContext(
            request: message, executionCount: count, silent: silent, allowStdin: allowStdin, iopub: iopub,
            stdin: stdin, session: session, cancellation: cancellation,
            pendingEvents: { [unowned self] in self.processPendingEvents() })
        cellDepth += 1
        let outcome = interpreter.executeRequest(code: code, context: context)
        cellDepth -= 1

        var reply: [String: JSON] = ["execution_count": .number(Double(count))]
        switch outcome {
        case .ok(let result):
            if let result {
                if !silent {
                    iopub.send(
                        message.child(
                            "execute_result",
                            [
                                "execution_count": .number(Double(count)), "data": .object(result.data),
                                "metadata": .object(result.metadata),
                            ], session: session))
                }
                if storeHistory, let text = result.data["text/plain"]?.stringValue {
                    history.recordOutput(line: count, output: text)
                }
            }
            reply["status"] = "ok"
            reply["user_expressions"] = .object(evaluate(userExpressions, count: count))
            reply["payload"] = []
        case .error(let ename, let evalue, let traceback):
            let error: [String: JSON] = [
                "ename": .string(ename), "evalue": .string(evalue), "traceback": .array(traceback.map(JSON.string)),
            ]
            if !silent { iopub.send(message.child("error", .object(error), session: session)) }
            reply.merge(error) { _, new in new }
            reply["status"] = "error"
            reply["user_expressions"] = [:]
            reply["payload"] = []
            // "Already queued" means sent before the front end could see this error:
            // take them off the socket now, before the reply goes out, so a request
            // sent in answer to the reply is never aborted by a race.
            if !silent && stopOnError { queuedBehindError = takeQueuedRequests() }
        }
        let status = reply["status"] ?? "ok"
        request.reply(.object(reply), metadata: ["started": .string(started), "status": status])
    }

    /// user_expressions: each evaluated by the interpreter as an expression, quietly and
    /// changing nothing, giving a mime bundle or an error (messaging.rst, "Execute": user_expressions).
    func evaluate(_ expressions: [String: JSON], count: Int) -> [String: JSON] {
        var results: [String: JSON] = [:]
        for (name, expression) in expressions {
            guard let code = expression.stringValue else {
                results[name] = ExpressionOutcome.error(
                    ename: "TypeError", evalue: "user expression \"\(name)\" is not a string", traceback: []
                ).json
                continue
            }
            let context = QuietContext(executionCount: count, cancellation: cancellation)
            results[name] = interpreter.userExpression(code: code, context: context).json
        }
        return results
    }

    /// Every shell request already waiting (deferred by the cell, then on the socket), in arrival order.
    func takeQueuedRequests() -> [Message] {
        var queue = deferred
        deferred.removeAll()
        while let queued = nextQueuedRequest() { queue.append(queued) }
        return queue
    }

    /// After a failed cell with stop_on_error, every execute_request already waiting is
    /// answered "aborted" without running, each inside its own busy/idle; other requests
    /// queued with them are handled as usual (ipykernel's `_abort_queues`).
    func abortQueue(_ queue: [Message], replies: MessageSink) {
        for queued in queue {
            guard queued.msgType == "execute_request" else {
                dispatch(queued, replies: replies)
                continue
            }
            logger.info("aborting \(queued.header.msgID): a previous cell failed")
            dispatcher.publishStatus("busy", parent: queued)
            let content: JSON = ["status": "aborted", "execution_count": .number(Double(executionCount))]
            replies.send(queued.reply(content, metadata: ["status": "aborted"], session: session))
            dispatcher.publishStatus("idle", parent: queued)
        }
    }
}
