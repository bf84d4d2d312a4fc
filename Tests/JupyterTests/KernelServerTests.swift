import CZMQ
import Foundation
import XCTest
@testable import Jupyter
import JupyterProtocol

/// The whole server over real ZeroMQ sockets (ipc, so tests never fight over ports),
/// with a scripted interpreter and clients written with the module's own socket wrapper.
final class KernelServerTests: XCTestCase {
    private let key = Array("test-key".utf8)

    private func connection(prefix: String, extra: [String: JSON] = [:]) throws -> ConnectionInfo {
        var fields: [String: JSON] = [
            "transport": "ipc", "ip": .string(prefix), "shell_port": 1, "iopub_port": 2, "stdin_port": 3,
            "control_port": 4, "hb_port": 5, "key": .string(String(decoding: key, as: UTF8.self)),
            "signature_scheme": "hmac-sha256",
        ]
        fields.merge(extra) { _, new in new }
        return try ConnectionInfo(json: .object(fields))
    }

    private struct Client {
        let context = ZMQContext()
        let shell: ZMQSocket
        let control: ZMQSocket
        let iopub: ZMQSocket
        let heartbeat: ZMQSocket
        let signer: Signer
        let reader: MessageReader
        let session = Session(id: "client", username: "test")

        init(_ connection: ConnectionInfo, key: [UInt8]) throws {
            shell = try ZMQSocket(context, type: ZMQ_DEALER)
            control = try ZMQSocket(context, type: ZMQ_DEALER)
            iopub = try ZMQSocket(context, type: ZMQ_SUB)
            heartbeat = try ZMQSocket(context, type: ZMQ_REQ)
            for socket in [shell, control, iopub, heartbeat] { socket.set(ZMQ_LINGER, 0) }
            try iopub.set(ZMQ_SUBSCRIBE, "")
            try shell.connect(connection.endpoint(port: connection.shellPort))
            try control.connect(connection.endpoint(port: connection.controlPort))
            try iopub.connect(connection.endpoint(port: connection.iopubPort))
            try heartbeat.connect(connection.endpoint(port: connection.hbPort))
            signer = try Signer(key: key)
            reader = MessageReader(signer: try Signer(key: key), replayGuard: ReplayGuard())
        }

        func send(_ socket: ZMQSocket, _ msgType: String, _ content: JSON = [:]) -> Message {
            let message = session.message(msgType, content)
            socket.send(message.wire(signedBy: signer).frames)
            return message
        }

        /// The next message on `socket`, or nil after `timeout` seconds.
        func receive(_ socket: ZMQSocket, timeout: Double = 5) -> Message? {
            var poller = Poller()
            poller.add(socket)
            guard poller.wait(timeoutMilliseconds: Int(timeout * 1000)), poller.isReadable(0),
                let frames = socket.receive(dontWait: true)
            else { return nil }
            return try? reader.read(frames)
        }

        func close() {
            for socket in [shell, control, iopub, heartbeat] { socket.close() }
            context.terminate()
        }
    }

    private func startServer(_ connection: ConnectionInfo, _ interpreter: Interpreter) throws -> XCTestExpectation {
        let server = try KernelServer(connection: connection, interpreter: interpreter)
        let stopped = expectation(description: "run() returned")
        Thread {
            server.run()
            stopped.fulfill()
        }.start()
        return stopped
    }

    func testServer_welcomeHeartbeatKernelInfoExecuteAndShutdown() throws {
        let prefix = NSTemporaryDirectory() + "jt-\(Identifiers.uuid())"
        let connection = try connection(prefix: prefix)
        let interpreter = ScriptedInterpreter()
        interpreter.script["hello"] = { context in
            context.stream(.stdout, "hi\n")
            return .ok(result: .text("7"))
        }
        let stopped = try startServer(connection, interpreter)
        let client = try Client(connection, key: key)
        defer { client.close() }

        let welcome = client.receive(client.iopub)
        XCTAssertEqual(welcome?.msgType, "iopub_welcome")
        XCTAssertEqual(welcome?.content["subscription"], "")

        client.heartbeat.send([Array("ping".utf8)])
        XCTAssertEqual(client.heartbeat.receive(), [Array("ping".utf8)])

        let info = client.send(client.shell, "kernel_info_request")
        let infoReply = client.receive(client.shell)
        XCTAssertEqual(infoReply?.msgType, "kernel_info_reply")
        XCTAssertEqual(infoReply?.parentHeader["msg_id"]?.stringValue, info.header.msgID)

        let run = client.send(client.shell, "execute_request", ["code": "hello"])
        XCTAssertEqual(client.receive(client.shell)?.content["status"], "ok")
        var seen: [String] = []
        while let m = client.receive(client.iopub, timeout: 1) {
            guard m.parentHeader["msg_id"]?.stringValue == run.header.msgID else { continue }
            seen.append(m.msgType == "status" ? m.content["execution_state"]?.stringValue ?? "" : m.msgType)
            if seen.last == "idle" { break }
        }
        XCTAssertEqual(seen, ["busy", "execute_input", "stream", "execute_result", "idle"])

        // A wrong signature is dropped unanswered, and the kernel keeps serving.
        var forged = client.session.message("kernel_info_request", [:]).wire(signedBy: client.signer)
        forged.signature = Array(repeating: UInt8(ascii: "0"), count: 64)
        client.shell.send(forged.frames)
        XCTAssertNil(client.receive(client.shell, timeout: 0.3))
        _ = client.send(client.control, "kernel_info_request")
        XCTAssertEqual(client.receive(client.control)?.msgType, "kernel_info_reply")

        _ = client.send(client.control, "shutdown_request", ["restart": false])
        XCTAssertEqual(client.receive(client.control)?.content, ["status": "ok", "restart": false])
        wait(for: [stopped], timeout: 2)
    }

    func testServer_interruptStopsARunningWaitAtOnce() throws {
        let connection = try connection(prefix: NSTemporaryDirectory() + "jt-\(Identifiers.uuid())")
        let interpreter = ScriptedInterpreter()
        interpreter.script["sleep"] = { context in
            context.waitUntilCancelled(seconds: 30)
                ? .error(ename: "KeyboardInterrupt", evalue: "interrupted", traceback: []) : .ok(result: nil)
        }
        let stopped = try startServer(connection, interpreter)
        let client = try Client(connection, key: key)
        defer { client.close() }
        _ = client.send(client.shell, "execute_request", ["code": "sleep"])
        usleep(100_000)
        let start = ContinuousClock.now
        _ = client.send(client.control, "interrupt_request")
        XCTAssertEqual(client.receive(client.control)?.msgType, "interrupt_reply")
        let reply = client.receive(client.shell)
        XCTAssertEqual(reply?.content["ename"], "KeyboardInterrupt")
        // The wait is 30 s; a few ms are measured. Generous for a loaded CI machine (bench/kernel times it).
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(5))
        _ = client.send(client.control, "shutdown_request", ["restart": true])
        XCTAssertEqual(client.receive(client.control)?.content["restart"], true)
        wait(for: [stopped], timeout: 2)
    }

    func testServer_portInUse_isAStartError() throws {
        let context = ZMQContext()
        let squatter = try ZMQSocket(context, type: ZMQ_ROUTER)
        squatter.set(ZMQ_LINGER, 0)
        try squatter.bind("tcp://127.0.0.1:*")
        var endpoint = [CChar](repeating: 0, count: 256)
        var size = endpoint.count
        zmq_getsockopt(squatter.raw, ZMQ_LAST_ENDPOINT, &endpoint, &size)
        let port = Int(String(cString: endpoint).split(separator: ":").last!)!
        defer {
            squatter.close()
            context.terminate()
        }
        let busy = try ConnectionInfo(json: [
            "transport": "tcp", "ip": "127.0.0.1", "shell_port": .number(Double(port)), "iopub_port": 0,
            "stdin_port": 0, "control_port": 0, "hb_port": 0, "key": "",
        ])
        XCTAssertThrowsError(try KernelServer(connection: busy, interpreter: ScriptedInterpreter())) { error in
            guard case .socket(.bind(let bound, _))? = error as? KernelStartError else { return XCTFail("\(error)") }
            XCTAssertEqual(bound, "tcp://127.0.0.1:\(port)")
            XCTAssertTrue("\(error)".contains("in use"), "\(error)")
        }
    }

    func testServer_curveKeysThatDoNotMatch_areAStartError() throws {
        // Two halves of different key pairs (from zmq.curve_keypair()).
        let connection = try connection(
            prefix: NSTemporaryDirectory() + "jt-\(Identifiers.uuid())",
            extra: [
                "curve_publickey": "!d7}A?)1!YD+Ge0/&7xJs9z(dHmy#skT0l4}iuIz",
                "curve_secretkey": "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6",
            ])
        XCTAssertThrowsError(try KernelServer(connection: connection, interpreter: ScriptedInterpreter())) { error in
            guard case .socket(.curveKeyMismatch)? = error as? KernelStartError else { return XCTFail("\(error)") }
        }
    }
}
