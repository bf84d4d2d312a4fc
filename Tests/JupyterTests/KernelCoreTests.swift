import XCTest
import Foundation
@testable import Jupyter
import JupyterProtocol

/// The server core without sockets: a scripted interpreter, recording sinks for
/// iopub and replies, and a fake queue of waiting shell requests (xeus-style).
final class KernelCoreTests: XCTestCase {
    private var interpreter: ScriptedInterpreter!
    private var iopub: RecordingSink!
    private var replies: RecordingSink!
    private var queue: [Message] = []
    private var core: KernelCore!
    private let client = Session(id: "client", username: "test")

    override func setUp() {
        interpreter = ScriptedInterpreter()
        iopub = RecordingSink()
        replies = RecordingSink()
        queue = []
        core = KernelCore(interpreter: interpreter, session: Session(id: "kernel"), iopub: iopub, stdin: nil)
        core.nextQueuedRequest = { [unowned self] in queue.isEmpty ? nil : queue.removeFirst() }
    }

    private func request(_ msgType: String, _ content: JSON = [:]) -> Message {
        client.message(msgType, content, identities: [Array("front-end".utf8)])
    }

    private func execute(_ code: String, _ extra: [String: JSON] = [:]) -> Message {
        var content: [String: JSON] = ["code": .string(code)]
        content.merge(extra) { _, new in new }
        return request("execute_request", .object(content))
    }

    /// iopub traffic as "type" or "status:state", for messages whose parent is `parent`.
    private func published(for parent: Message) -> [String] {
        iopub.messages.filter { $0.parentHeader["msg_id"]?.stringValue == parent.header.msgID }.map { m in
            m.msgType == "status" ? "status:\(m.content["execution_state"]?.stringValue ?? "?")" : m.msgType
        }
    }

    func testKernelInfo_isBracketedByBusyAndIdle() {
        let r = request("kernel_info_request")
        core.handle(r, replies: replies)
        XCTAssertEqual(published(for: r), ["status:busy", "status:idle"])
        let reply = replies.messages.single
        XCTAssertEqual(reply?.msgType, "kernel_info_reply")
        XCTAssertEqual(reply?.content["protocol_version"], "5.5")
        XCTAssertEqual(reply?.content["language_info"]?["name"], "scripted")
        XCTAssertEqual(reply?.content["language_info"]?["file_extension"], ".scr")
        XCTAssertEqual(reply?.identities, r.identities)
        XCTAssertEqual(reply?.parentHeader["msg_id"]?.stringValue, r.header.msgID)
    }

    func testStarting_isPublishedWithoutParent() {
        core.publishStarting()
        XCTAssertEqual(iopub.messages.single?.content["execution_state"], "starting")
        XCTAssertEqual(iopub.messages.single?.parentHeader, [:])
    }

    func testExecute_publishesInOrderAndIdleComesLast() {
        interpreter.script["x"] = { context in
            context.stream(.stdout, "out")
            context.display(.text("shown"), displayID: "d1", update: false)
            context.display(.text("again"), displayID: "d1", update: true)
            context.clearOutput(wait: true)
            return .ok(result: .text("42"))
        }
        let r = execute("x")
        core.handle(r, replies: replies)
        XCTAssertEqual(
            published(for: r),
            ["status:busy", "execute_input", "stream", "display_data", "update_display_data", "clear_output", "execute_result", "status:idle"])
        let outputs = iopub.messages.filter { $0.parentHeader["msg_id"]?.stringValue == r.header.msgID }
        XCTAssertEqual(outputs[1].content["code"], "x")
        XCTAssertEqual(outputs[2].content["name"], "stdout")
        XCTAssertEqual(outputs[3].content["transient"]?["display_id"], "d1")
        XCTAssertEqual(outputs[5].content["wait"], true)
        XCTAssertEqual(outputs[6].content["data"]?["text/plain"], "42")
        XCTAssertEqual(outputs[6].content["execution_count"], 1)
        let reply = replies.messages.single
        XCTAssertEqual(reply?.content["status"], "ok")
        XCTAssertEqual(reply?.content["execution_count"], 1)
        XCTAssertEqual(reply?.content["user_expressions"], [:])
        XCTAssertEqual(reply?.metadata["status"], "ok")
    }

    func testExecutionCount_countsStoredCellsOnly() {
        core.handle(execute("1"), replies: replies)
        core.handle(execute("2", ["store_history": false]), replies: replies)
        core.handle(execute("3", ["silent": true]), replies: replies)
        core.handle(execute("4"), replies: replies)
        XCTAssertEqual(replies.messages.map { $0.content["execution_count"]?.intValue }, [1, 1, 1, 2])
        XCTAssertEqual(core.executionCount, 2)
        XCTAssertEqual(core.history.entries.map(\.input), ["1", "4"])
    }

    func testSilent_publishesNothingButStatus() {
        interpreter.script["loud"] = { context in
            context.stream(.stdout, "x")
            return .ok(result: .text("1"))
        }
        let r = execute("loud", ["silent": true])
        core.handle(r, replies: replies)
        XCTAssertEqual(published(for: r), ["status:busy", "status:idle"])
        XCTAssertEqual(replies.messages.single?.content["status"], "ok")
    }

    func testError_publishesErrorAndRepliesWithIt() {
        interpreter.script["bad"] = { _ in .error(ename: "ValueError", evalue: "nope", traceback: ["line 1", "nope"]) }
        let r = execute("bad")
        core.handle(r, replies: replies)
        XCTAssertEqual(published(for: r), ["status:busy", "execute_input", "error", "status:idle"])
        let reply = replies.messages.single!
        XCTAssertEqual(reply.content["status"], "error")
        XCTAssertEqual(reply.content["ename"], "ValueError")
        XCTAssertEqual(reply.content["evalue"], "nope")
        XCTAssertEqual(reply.content["traceback"], ["line 1", "nope"])
        XCTAssertEqual(reply.content["execution_count"], 1)
    }

    func testErrorWithStopOnError_abortsQueuedExecutesEachInBusyIdle() {
        interpreter.script["bad"] = { _ in .error(ename: "E", evalue: "v", traceback: []) }
        let queuedA = execute("1"), info = request("kernel_info_request"), queuedB = execute("2")
        queue = [queuedA, info, queuedB]
        let failing = execute("bad")
        core.handle(failing, replies: replies)
        XCTAssertEqual(replies.messages.map(\.msgType), ["execute_reply", "execute_reply", "kernel_info_reply", "execute_reply"])
        XCTAssertEqual(replies.messages.map { $0.content["status"]?.stringValue }, ["error", "aborted", "ok", "aborted"])
        XCTAssertEqual(replies.messages[1].content["execution_count"], 1)
        XCTAssertEqual(replies.messages[1].parentHeader["msg_id"]?.stringValue, queuedA.header.msgID)
        XCTAssertEqual(published(for: queuedA), ["status:busy", "status:idle"])
        XCTAssertEqual(published(for: queuedB), ["status:busy", "status:idle"])
        XCTAssertEqual(interpreter.ran, ["bad"], "aborted cells never run")
        // Aborting ends with the queue: the next cell runs.
        core.handle(execute("3"), replies: replies)
        XCTAssertEqual(replies.messages.last?.content["status"], "ok")
        XCTAssertEqual(replies.messages.last?.content["execution_count"], 2)
    }

    func testAbort_spansOnlyWhatWasQueuedBeforeTheFailedCellsIdle() {
        interpreter.script["bad"] = { _ in .error(ename: "E", evalue: "v", traceback: []) }
        let failing = execute("bad")
        let early = execute("early"), late = execute("late")
        queue = [early]
        // A front end that sends its next cell the moment it sees the failed cell's idle.
        iopub.onSend = { [unowned self] m in
            if m.msgType == "status", m.content["execution_state"] == "idle",
                m.parentHeader["msg_id"]?.stringValue == failing.header.msgID
            {
                queue.append(late)
            }
        }
        core.handle(failing, replies: replies)
        XCTAssertEqual(replies.messages.map { $0.content["status"]?.stringValue }, ["error", "aborted"])
        XCTAssertEqual(queue.map(\.header.msgID), [late.header.msgID], "the late cell waits for the shell loop")
        core.handle(queue.removeFirst(), replies: replies)
        XCTAssertEqual(replies.messages.last?.content["status"], "ok")
        XCTAssertEqual(interpreter.ran, ["bad", "late"])
    }

    func testErrorWithoutStopOnError_runsTheQueue() {
        interpreter.script["bad"] = { _ in .error(ename: "E", evalue: "v", traceback: []) }
        queue = [execute("1")]
        core.handle(execute("bad", ["stop_on_error": false]), replies: replies)
        XCTAssertEqual(replies.messages.count, 1, "the queued request stays for the shell loop")
        XCTAssertEqual(queue.count, 1)
    }

    func testUserExpressions_areEvaluatedQuietly() {
        interpreter.script["six"] = { context in
            context.stream(.stdout, "not shown")
            return .ok(result: .text("6"))
        }
        interpreter.script["oops"] = { _ in .error(ename: "NameError", evalue: "oops", traceback: []) }
        let r = execute("", ["user_expressions": ["a": "six", "b": "oops"]])
        core.handle(r, replies: replies)
        let expressions = replies.messages.single?.content["user_expressions"]
        XCTAssertEqual(expressions?["a"], ["status": "ok", "data": ["text/plain": "6"], "metadata": [:]])
        XCTAssertEqual(expressions?["b"]?["status"], "error")
        XCTAssertEqual(expressions?["b"]?["ename"], "NameError")
        XCTAssertFalse(iopub.messages.contains { $0.msgType == "stream" })
    }

    func testUnknownMessageType_getsBusyIdleAndNoReply() {
        let r = request("frobnicate_request")
        core.handle(r, replies: replies)
        XCTAssertEqual(published(for: r), ["status:busy", "status:idle"])
        XCTAssertTrue(replies.messages.isEmpty)
    }

    func testExecuteWithoutCode_isAnErrorReplyNotACrash() {
        let r = request("execute_request", ["silent": false])
        core.handle(r, replies: replies)
        XCTAssertEqual(replies.messages.single?.content["status"], "error")
        XCTAssertEqual(published(for: r), ["status:busy", "status:idle"])
        let wrongType = request("execute_request", ["code": 5])
        core.handle(wrongType, replies: replies)
        XCTAssertEqual(replies.messages.last?.content["status"], "error")
    }

    func testCompleteInspectIsComplete_passThroughTheInterpreter() {
        core.handle(request("complete_request", ["code": "pr", "cursor_pos": 2]), replies: replies)
        core.handle(request("inspect_request", ["code": "print", "cursor_pos": 1]), replies: replies)
        core.handle(request("inspect_request", ["code": "zzz", "cursor_pos": 1]), replies: replies)
        core.handle(request("is_complete_request", ["code": "f("]), replies: replies)
        core.handle(request("is_complete_request", ["code": ")"]), replies: replies)
        let r = replies.messages
        XCTAssertEqual(r[0].content["matches"], ["print"])
        XCTAssertEqual(r[0].content["cursor_start"], 0)
        XCTAssertEqual(r[0].content["cursor_end"], 2)
        XCTAssertEqual(r[1].content["found"], true)
        XCTAssertEqual(r[1].content["data"]?["text/plain"], "print(x)")
        XCTAssertEqual(r[2].content["found"], false)
        XCTAssertEqual(r[3].content, ["status": "incomplete", "indent": "  "])
        XCTAssertEqual(r[4].content, ["status": "invalid"])
    }

    func testHistory_tailRangeSearch() {
        interpreter.script["a1"] = { _ in .ok(result: .text("A")) }
        for code in ["a1", "b2", "a3", "a1"] { core.handle(execute(code), replies: replies) }
        replies.messages.removeAll()
        core.handle(request("history_request", ["hist_access_type": "tail", "n": 2, "output": false, "raw": true]), replies: replies)
        XCTAssertEqual(replies.messages.last?.content["history"], [[1, 3, "a3"], [1, 4, "a1"]])
        core.handle(request("history_request", ["hist_access_type": "tail", "n": 1, "output": true]), replies: replies)
        XCTAssertEqual(replies.messages.last?.content["history"], [[1, 4, ["a1", "A"]]])
        core.handle(request("history_request", ["hist_access_type": "range", "session": 1, "start": 2, "stop": 3]), replies: replies)
        XCTAssertEqual(replies.messages.last?.content["history"], [[1, 2, "b2"]])
        core.handle(request("history_request", ["hist_access_type": "search", "pattern": "a*"]), replies: replies)
        XCTAssertEqual(replies.messages.last?.content["history"]?.arrayValue?.count, 3)
        core.handle(request("history_request", ["hist_access_type": "search", "pattern": "a?", "unique": true]), replies: replies)
        XCTAssertEqual(replies.messages.last?.content["history"], [[1, 3, "a3"], [1, 4, "a1"]])
        core.handle(request("history_request", ["hist_access_type": "search", "pattern": "*", "n": 1]), replies: replies)
        XCTAssertEqual(replies.messages.last?.content["history"], [[1, 4, "a1"]])
    }

    func testComms_infoIsEmptyAndUnknownTargetIsClosed() {
        core.handle(request("comm_info_request"), replies: replies)
        XCTAssertEqual(replies.messages.single?.content, ["status": "ok", "comms": [:]])
        let open = request("comm_open", ["comm_id": "c1", "target_name": "jupyter.widget", "data": [:]])
        core.handle(open, replies: replies)
        XCTAssertEqual(published(for: open), ["status:busy", "comm_close", "status:idle"])
        XCTAssertEqual(iopub.messages.first { $0.msgType == "comm_close" }?.content["comm_id"], "c1")
        XCTAssertEqual(replies.messages.count, 1, "comm_open has no reply")
    }

    func testShutdownOnShell_repliesThenTellsTheLifecycleAfterIdle() {
        let lifecycle = RecordingLifecycle()
        lifecycle.iopub = iopub
        core.lifecycle = lifecycle
        core.handle(request("shutdown_request", ["restart": true]), replies: replies)
        XCTAssertEqual(replies.messages.single?.content, ["status": "ok", "restart": true])
        XCTAssertEqual(lifecycle.calls, [true])
        XCTAssertEqual(lifecycle.iopubCountAtCall, 2, "busy and idle were published before shutting down")
    }

    func testControl_interruptCancelsTheRunningCell() {
        let cancellation = Cancellation()
        let control = ControlCore(info: interpreter.info, session: Session(), iopub: iopub, cancellation: cancellation)
        let r = request("interrupt_request")
        control.handle(r, replies: replies)
        XCTAssertTrue(cancellation.isCancelled)
        XCTAssertEqual(replies.messages.single?.msgType, "interrupt_reply")
        XCTAssertEqual(published(for: r), ["status:busy", "status:idle"])
        cancellation.reset()
        XCTAssertFalse(cancellation.isCancelled)
    }

    func testControl_kernelInfoAndShutdown() {
        let lifecycle = RecordingLifecycle()
        let control = ControlCore(info: interpreter.info, session: Session(), iopub: iopub, cancellation: Cancellation())
        control.lifecycle = lifecycle
        control.handle(request("kernel_info_request"), replies: replies)
        control.handle(request("shutdown_request", ["restart": false]), replies: replies)
        XCTAssertEqual(replies.messages.map(\.msgType), ["kernel_info_reply", "shutdown_reply"])
        XCTAssertEqual(lifecycle.calls, [false])
    }

    func testCancellation_wakesAWaitingCellAtOnce() {
        let cancellation = Cancellation()
        let start = ContinuousClock.now
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { cancellation.cancel() }
        XCTAssertTrue(cancellation.wait(seconds: 10))
        // Woken at 0.05 s, well before the 10 s wait; generous for a loaded CI machine.
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(5))
        cancellation.reset()
        XCTAssertFalse(cancellation.wait(seconds: 0.01), "reset clears it; a short wait times out")
    }

    func testInterrupt_sentOnceTheCellHasStarted_reachesIt() {
        var sawCancellation = false
        interpreter.script["wait"] = { context in
            sawCancellation = context.isCancelled
            return .ok(result: nil)
        }
        // A front end that interrupts the moment it sees execute_input.
        iopub.onSend = { [unowned self] m in
            if m.msgType == "execute_input" { core.cancellation.cancel() }
        }
        core.handle(execute("wait"), replies: replies)
        XCTAssertTrue(sawCancellation)
        // The next cell starts clean.
        iopub.onSend = nil
        core.handle(execute("wait"), replies: replies)
        XCTAssertFalse(sawCancellation)
    }

    func testInput_withoutStdinIsNotAllowed() {
        var thrown: Error?
        interpreter.script["ask"] = { context in
            do { _ = try context.input(prompt: "?", password: false) } catch { thrown = error }
            return .ok(result: nil)
        }
        core.handle(execute("ask", ["allow_stdin": true]), replies: replies)
        XCTAssertEqual(thrown as? InputError, .notAllowed)
    }

    func testInput_goesThroughStdinToTheFrontEndThatAsked() {
        let stdin = ScriptedStdin(answer: "Ada")
        core = KernelCore(interpreter: interpreter, session: Session(id: "kernel"), iopub: iopub, stdin: stdin)
        var answer: String?
        interpreter.script["ask"] = { context in
            answer = try? context.input(prompt: "Name? ", password: false)
            return .ok(result: nil)
        }
        let r = execute("ask", ["allow_stdin": true])
        core.handle(r, replies: replies)
        XCTAssertEqual(answer, "Ada")
        XCTAssertEqual(stdin.asked.single?.msgType, "input_request")
        XCTAssertEqual(stdin.asked.single?.content["prompt"], "Name? ")
        XCTAssertEqual(stdin.asked.single?.identities, r.identities)
        XCTAssertEqual(stdin.asked.single?.parentHeader["msg_id"]?.stringValue, r.header.msgID)
        // allow_stdin false: the front end cannot answer, so it is not asked.
        core.handle(execute("ask", ["allow_stdin": false]), replies: replies)
        XCTAssertEqual(stdin.asked.count, 1)
    }
}

// MARK: - Test doubles

final class RecordingSink: MessageSink {
    var messages: [Message] = []
    var onSend: ((Message) -> Void)?
    func send(_ message: Message) {
        messages.append(message)
        onSend?(message)
    }
}

final class RecordingLifecycle: KernelLifecycle, @unchecked Sendable {
    var calls: [Bool] = []
    var iopub: RecordingSink?
    var iopubCountAtCall: Int?
    func shutdown(restart: Bool) {
        calls.append(restart)
        iopubCountAtCall = iopub?.messages.count
    }
}

final class ScriptedStdin: StdinChannel {
    let answer: String
    var asked: [Message] = []
    init(answer: String) { self.answer = answer }
    func ask(_ request: Message, cancellation: Cancellation) -> Message? {
        asked.append(request)
        return Session().message("input_reply", ["value": .string(answer)])
    }
}

/// An interpreter whose cells are closures keyed by their code; other code succeeds with no result.
final class ScriptedInterpreter: Interpreter {
    var script: [String: (ExecutionContext) -> ExecuteOutcome] = [:]
    var ran: [String] = []

    let info = InterpreterInfo(
        implementation: "scripted", implementationVersion: "1", languageName: "scripted", languageVersion: "1",
        mimetype: "text/x-scripted", fileExtension: ".scr", pygmentsLexer: "text", codemirrorMode: "text", banner: "")

    func executeRequest(code: String, context: ExecutionContext) -> ExecuteOutcome {
        ran.append(code)
        return script[code]?(context) ?? .ok(result: nil)
    }

    func completeRequest(code: String, cursorPosition: Int) -> Completion {
        Completion(matches: ["print"].filter { $0.hasPrefix(code) }, cursorStart: 0, cursorEnd: cursorPosition)
    }

    func inspectRequest(code: String, cursorPosition: Int, detailLevel: Int) -> MimeBundle? {
        code == "print" ? .text("print(x)") : nil
    }

    func isCompleteRequest(code: String) -> Completeness {
        code.hasSuffix("(") ? .incomplete(indent: "  ") : code.hasPrefix(")") ? .invalid : .complete
    }

    /// The script's cell, as an expression.
    func userExpression(code: String, context: ExecutionContext) -> ExpressionOutcome {
        switch executeRequest(code: code, context: context) {
        case .ok(let bundle): return .value(bundle ?? .text(""))
        case .error(let ename, let evalue, let traceback): return .error(ename: ename, evalue: evalue, traceback: traceback)
        }
    }
}

extension Array {
    /// The only element, or nil when there are none or several.
    var single: Element? { count == 1 ? first : nil }
}
