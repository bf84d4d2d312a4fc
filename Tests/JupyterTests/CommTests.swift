import XCTest
@testable import Jupyter
import JupyterProtocol

/// Comms through the server core without sockets: a scripted interpreter that registers
/// targets on the comm manager it is given, recording sinks for iopub and replies.
final class CommTests: XCTestCase {
    private var interpreter: CommScriptedInterpreter!
    private var iopub: RecordingSink!
    private var replies: RecordingSink!
    private var queue: [Message] = []
    private var core: KernelCore!
    private let client = Session(id: "client", username: "test")

    override func setUp() {
        interpreter = CommScriptedInterpreter()
        iopub = RecordingSink()
        replies = RecordingSink()
        queue = []
        core = KernelCore(interpreter: interpreter, session: Session(id: "kernel"), iopub: iopub, stdin: nil)
        core.nextQueuedRequest = { [unowned self] in queue.isEmpty ? nil : queue.removeFirst() }
    }

    private func request(_ msgType: String, _ content: JSON = [:], buffers: [[UInt8]] = []) -> Message {
        var m = client.message(msgType, content, identities: [Array("front-end".utf8)])
        m.buffers = buffers
        return m
    }

    private func execute(_ code: String) -> Message { request("execute_request", ["code": .string(code)]) }

    /// iopub traffic whose parent is `parent`, as "type" or "status:state".
    private func published(for parent: Message) -> [String] {
        iopub.messages.filter { $0.parentHeader["msg_id"]?.stringValue == parent.header.msgID }.map { m in
            m.msgType == "status" ? "status:\(m.content["execution_state"]?.stringValue ?? "?")" : m.msgType
        }
    }

    /// Registers an "echo" target whose comms send back what they receive, with its buffers.
    private func registerEcho() {
        interpreter.comms.register(target: "echo") { [unowned self] comm, opening, _ in
            interpreter.opened.append((comm.id, opening))
            comm.onMessage = { message, _ in comm.send(["got": message.data], buffers: message.buffers) }
            comm.onClose = { [unowned self] message, _ in interpreter.closed.append(message.data) }
        }
    }

    private func open(_ id: String, target: String = "echo", data: JSON = [:]) -> Message {
        let m = request("comm_open", ["comm_id": .string(id), "target_name": .string(target), "data": data])
        core.handle(m, replies: replies)
        return m
    }

    func testInterpreter_isGivenTheCommManagerAtStart() {
        XCTAssertTrue(interpreter.comms === core.comms)
    }

    func testCommOpen_registeredTarget_runsItsHandlerInBusyIdleWithoutReply() {
        registerEcho()
        let m = open("c1", data: ["hello": 1])
        XCTAssertEqual(published(for: m), ["status:busy", "status:idle"], "an accepted comm_open is not answered")
        XCTAssertEqual(interpreter.opened.single?.0, "c1")
        XCTAssertEqual(interpreter.opened.single?.1.data, ["hello": 1])
        XCTAssertEqual(interpreter.opened.single?.1.messageID, m.header.msgID)
        XCTAssertTrue(replies.messages.isEmpty)
    }

    func testCommOpen_unknownTarget_isClosedAtOnce() {
        let m = open("c1", target: "nobody")
        XCTAssertEqual(published(for: m), ["status:busy", "comm_close", "status:idle"])
        XCTAssertEqual(iopub.messages.first { $0.msgType == "comm_close" }?.content["comm_id"], "c1")
        core.handle(request("comm_info_request"), replies: replies)
        XCTAssertEqual(replies.messages.single?.content, ["status": "ok", "comms": [:]])
    }

    func testCommOpen_handlerThrows_closesTheCommAndTheKernelGoesOn() {
        interpreter.comms.register(target: "picky") { _, _, _ in throw Refusal() }
        let m = open("c1", target: "picky")
        XCTAssertEqual(published(for: m), ["status:busy", "comm_close", "status:idle"])
        XCTAssertNil(core.comms.comm(id: "c1"))
        core.handle(execute("1"), replies: replies)
        XCTAssertEqual(replies.messages.last?.content["status"], "ok")
    }

    func testCommOpen_withoutTargetOrCommID_isDroppedOrClosed() {
        registerEcho()
        let noTarget = request("comm_open", ["comm_id": "c1"])
        core.handle(noTarget, replies: replies)
        XCTAssertEqual(published(for: noTarget), ["status:busy", "comm_close", "status:idle"])
        let noID = request("comm_open", ["comm_id": 7, "target_name": "echo"])
        core.handle(noID, replies: replies)
        XCTAssertEqual(published(for: noID), ["status:busy", "status:idle"])
        XCTAssertTrue(interpreter.opened.isEmpty)
        XCTAssertTrue(replies.messages.isEmpty, "comm messages are never answered, even when bad")
    }

    func testCommOpen_sameIDTwice_keepsTheFirst() {
        registerEcho()
        _ = open("c1", data: ["n": 1])
        _ = open("c1", data: ["n": 2])
        XCTAssertEqual(interpreter.opened.map(\.1.data), [["n": 1]])
    }

    func testCommMsg_reachesItsCommWithBuffersAndRepliesParentedToIt() {
        registerEcho()
        _ = open("c1")
        let m = request("comm_msg", ["comm_id": "c1", "data": ["x": 3]], buffers: [[1, 2], [3]])
        core.handle(m, replies: replies)
        XCTAssertEqual(published(for: m), ["status:busy", "comm_msg", "status:idle"])
        let sent = iopub.messages.first { $0.msgType == "comm_msg" }
        XCTAssertEqual(sent?.content, ["comm_id": "c1", "data": ["got": ["x": 3]]])
        XCTAssertEqual(sent?.buffers, [[1, 2], [3]])
    }

    func testCommMsg_unknownCommOrBadFields_isLoggedAndIgnored() {
        registerEcho()
        _ = open("c1")
        for content: JSON in [["comm_id": "nope", "data": [:]], ["data": [:]], ["comm_id": ["x"]], ["comm_id": ""]] {
            let m = request("comm_msg", content)
            core.handle(m, replies: replies)
            XCTAssertEqual(published(for: m), ["status:busy", "status:idle"], "\(content)")
        }
        XCTAssertTrue(replies.messages.isEmpty)
        // The open comm still works, and null data reaches it as {}.
        let m = request("comm_msg", ["comm_id": "c1", "data": nil])
        core.handle(m, replies: replies)
        XCTAssertEqual(iopub.messages.last { $0.msgType == "comm_msg" }?.content["data"], ["got": [:]])
    }

    func testCommMsg_handlerThrows_isLoggedAndTheCommStaysOpen() {
        interpreter.comms.register(target: "fragile") { comm, _, _ in
            comm.onMessage = { _, _ in throw Refusal() }
        }
        _ = open("c1", target: "fragile")
        let m = request("comm_msg", ["comm_id": "c1", "data": [:]])
        core.handle(m, replies: replies)
        XCTAssertEqual(published(for: m), ["status:busy", "status:idle"])
        XCTAssertNotNil(core.comms.comm(id: "c1"))
    }

    func testCommHandler_outputsAreParentedToTheCommMessage() {
        interpreter.comms.register(target: "printer") { comm, _, _ in
            comm.onMessage = { message, context in
                context.stream(.stdout, "clicked")
                context.display(.text("picture"), displayID: "d", update: true)
            }
        }
        _ = open("c1", target: "printer")
        let m = request("comm_msg", ["comm_id": "c1", "data": [:]])
        core.handle(m, replies: replies)
        XCTAssertEqual(published(for: m), ["status:busy", "stream", "update_display_data", "status:idle"])
    }

    func testCommClose_fromFrontEnd_runsCloseHandlerAndForgetsTheComm() {
        registerEcho()
        _ = open("c1")
        let close = request("comm_close", ["comm_id": "c1", "data": ["bye": true]])
        core.handle(close, replies: replies)
        XCTAssertEqual(published(for: close), ["status:busy", "status:idle"], "no comm_close is sent back")
        XCTAssertEqual(interpreter.closed, [["bye": true]])
        let late = request("comm_msg", ["comm_id": "c1", "data": [:]])
        core.handle(late, replies: replies)
        XCTAssertEqual(published(for: late), ["status:busy", "status:idle"])
        let again = request("comm_close", ["comm_id": "c1"])
        core.handle(again, replies: replies)
        XCTAssertEqual(interpreter.closed.count, 1)
    }

    func testCommInfo_listsOpenCommsFilteredByTarget() {
        registerEcho()
        interpreter.comms.register(target: "other") { _, _, _ in }
        _ = open("a")
        _ = open("b", target: "other")
        core.handle(request("comm_info_request"), replies: replies)
        XCTAssertEqual(
            replies.messages.last?.content,
            ["status": "ok", "comms": ["a": ["target_name": "echo"], "b": ["target_name": "other"]]])
        core.handle(request("comm_info_request", ["target_name": "other"]), replies: replies)
        XCTAssertEqual(replies.messages.last?.content, ["status": "ok", "comms": ["b": ["target_name": "other"]]])
        core.handle(request("comm_info_request", ["target_name": 3]), replies: replies)
        XCTAssertEqual(replies.messages.last?.content["status"], "error")
    }

    func testKernelOpensAComm_inACell_parentedToTheCellWithBuffers() {
        var comm: Comm?
        interpreter.script["open"] = { [unowned self] _ in
            comm = interpreter.comms.open(target: "shown", data: ["state": [:]], metadata: ["version": "2.1.0"], buffers: [[9]])
            comm?.send(["n": 1])
            return .ok(result: nil)
        }
        let cell = execute("open")
        core.handle(cell, replies: replies)
        XCTAssertEqual(published(for: cell), ["status:busy", "execute_input", "comm_open", "comm_msg", "status:idle"])
        let opened = iopub.messages.first { $0.msgType == "comm_open" }!
        XCTAssertEqual(opened.content["target_name"], "shown")
        XCTAssertEqual(opened.content["comm_id"]?.stringValue?.count, 32)
        XCTAssertEqual(opened.metadata, ["version": "2.1.0"])
        XCTAssertEqual(opened.buffers, [[9]])
        core.handle(request("comm_info_request", ["target_name": "shown"]), replies: replies)
        XCTAssertEqual(replies.messages.last?.content["comms"]?.objectValue?.count, 1)
        // Closed by the kernel: a comm_close goes out, and sending after it does nothing.
        comm?.close()
        XCTAssertEqual(iopub.messages.last?.msgType, "comm_close")
        XCTAssertFalse(comm!.send(["n": 2]))
        XCTAssertNil(core.comms.comm(id: comm!.id))
    }

    // MARK: - Comm messages while a cell runs

    func testPendingEvents_commMessagesAreHandledMidCellAndOtherRequestsWaitInOrder() {
        registerEcho()
        _ = open("c1")
        let first = request("comm_msg", ["comm_id": "c1", "data": ["step": 1]])
        let nextCell = execute("next")
        let info = request("kernel_info_request")
        let second = request("comm_msg", ["comm_id": "c1", "data": ["step": 2]])
        var seenMidCell: [String] = []
        interpreter.script["train"] = { [unowned self] context in
            queue = [first, nextCell, info, second]
            context.processPendingEvents()
            seenMidCell = iopub.messages.filter { $0.msgType == "comm_msg" }.compactMap { $0.content["data"]?["got"]?["step"]?.stringOrNumber }
            return .ok(result: nil)
        }
        let cell = execute("train")
        core.handle(cell, replies: replies)
        XCTAssertEqual(seenMidCell, ["1", "2"], "both comm messages were handled before the cell ended")
        XCTAssertEqual(published(for: first), ["status:busy", "comm_msg", "status:idle"])
        XCTAssertEqual(published(for: second), ["status:busy", "comm_msg", "status:idle"])
        XCTAssertEqual(interpreter.ran, ["train", "next"], "the queued cell ran after, in order")
        XCTAssertEqual(replies.messages.map(\.msgType), ["execute_reply", "execute_reply", "kernel_info_reply"])
        XCTAssertEqual(replies.messages[1].parentHeader["msg_id"]?.stringValue, nextCell.header.msgID)
        // The comm's busy/idle sit inside the cell's: the cell's idle is still last.
        let cellIdle = iopub.messages.lastIndex { $0.parentHeader["msg_id"]?.stringValue == cell.header.msgID }!
        let commIdle = iopub.messages.lastIndex { $0.parentHeader["msg_id"]?.stringValue == second.header.msgID }!
        XCTAssertLessThan(commIdle, cellIdle)
    }

    func testPendingEvents_aCommHandlerSendingDuringTheCell_isParentedToTheCommNotTheCell() {
        registerEcho()
        _ = open("c1")
        let click = request("comm_msg", ["comm_id": "c1", "data": [:]])
        interpreter.script["run"] = { [unowned self] context in
            queue = [click]
            context.processPendingEvents()
            core.comms.comm(id: "c1")?.send(["from": "cell"])
            return .ok(result: nil)
        }
        let cell = execute("run")
        core.handle(cell, replies: replies)
        XCTAssertEqual(published(for: click), ["status:busy", "comm_msg", "status:idle"])
        XCTAssertEqual(published(for: cell), ["status:busy", "execute_input", "comm_msg", "status:idle"])
    }

    func testPendingEvents_insideACommHandler_doNothing() {
        let nested = execute("later")
        interpreter.comms.register(target: "nested") { [unowned self] comm, _, _ in
            comm.onMessage = { [unowned self] _, context in
                queue = [nested]
                context.processPendingEvents()
                XCTAssertEqual(queue.count, 1, "nothing taken from inside a comm handler")
            }
        }
        _ = open("c1", target: "nested")
        core.handle(request("comm_msg", ["comm_id": "c1", "data": [:]]), replies: replies)
        XCTAssertEqual(queue.count, 1)
    }

    func testPendingEvents_takeABoundedNumberPerCall() {
        registerEcho()
        _ = open("c1")
        interpreter.script["flood"] = { [unowned self] context in
            queue = (0..<200).map { request("comm_msg", ["comm_id": "c1", "data": ["i": .number(Double($0))]]) }
            context.processPendingEvents()
            XCTAssertEqual(queue.count, 200 - KernelCore.pendingEventsPerCall)
            while !queue.isEmpty { context.processPendingEvents() }
            return .ok(result: nil)
        }
        core.handle(execute("flood"), replies: replies)
        XCTAssertEqual(iopub.messages.filter { $0.msgType == "comm_msg" }.count, 200)
    }

    func testPendingEvents_deferredCellsAreAbortedAfterAFailedCell() {
        interpreter.script["bad"] = { [unowned self] context in
            queue = [execute("queued")]
            context.processPendingEvents()
            return .error(ename: "E", evalue: "v", traceback: [])
        }
        core.handle(execute("bad"), replies: replies)
        XCTAssertEqual(replies.messages.map { $0.content["status"]?.stringValue }, ["error", "aborted"])
        XCTAssertEqual(interpreter.ran, ["bad"])
    }

    func testWire_buffersTravelOutsideTheSignature() throws {
        let signer = try Signer(key: Array("secret".utf8))
        var message = Session().message("comm_msg", ["comm_id": "c", "data": [:]])
        message.buffers = [[1, 2, 3], Array(repeating: 7, count: 1000)]
        let wire = message.wire(signedBy: signer)
        XCTAssertEqual(wire.frames.suffix(2).map { $0 }, message.buffers)
        var other = wire
        other.buffers = [[4]]
        XCTAssertTrue(other.hasValidSignature(signer), "the HMAC covers header, parent, metadata and content only")
        let read = try MessageReader(signer: signer, replayGuard: ReplayGuard()).read(wire.frames)
        XCTAssertEqual(read.buffers, message.buffers)
    }
}

private struct Refusal: Error {}

extension JSON {
    /// A number or string as text, for compact assertions.
    fileprivate var stringOrNumber: String? {
        if let n = intValue { return String(n) }
        return stringValue
    }
}

/// A scripted interpreter that keeps the comm manager the server gives it.
final class CommScriptedInterpreter: Interpreter {
    var comms: CommManager!
    var script: [String: (ExecutionContext) -> ExecuteOutcome] = [:]
    var ran: [String] = []
    var opened: [(String, CommMessage)] = []
    var closed: [JSON] = []

    let info = InterpreterInfo(
        implementation: "scripted", implementationVersion: "1", languageName: "scripted", languageVersion: "1",
        mimetype: "text/x-scripted", fileExtension: ".scr", pygmentsLexer: "text", codemirrorMode: "text", banner: "")

    func connect(comms: CommManager) { self.comms = comms }

    func executeRequest(code: String, context: ExecutionContext) -> ExecuteOutcome {
        ran.append(code)
        return script[code]?(context) ?? .ok(result: nil)
    }

    func completeRequest(code: String, cursorPosition: Int) -> Completion {
        Completion(matches: [], cursorStart: 0, cursorEnd: cursorPosition)
    }
    func inspectRequest(code: String, cursorPosition: Int, detailLevel: Int) -> MimeBundle? { nil }
    func isCompleteRequest(code: String) -> Completeness { .complete }
}
