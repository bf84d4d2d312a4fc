import CZMQ

#if canImport(Glibc)
import Glibc
#endif
import Logging
import JupyterProtocol

/// Turns received frames into a `Message`, or says why not: the wire format, then the
/// signature (over the bytes as received), then replay, then the JSON.
/// One per receiving thread (the signer is not thread-safe); the replay guard is shared.
public struct MessageReader {
    let signer: Signer
    let replayGuard: ReplayGuard

    public init(signer: Signer, replayGuard: ReplayGuard) {
        self.signer = signer
        self.replayGuard = replayGuard
    }

    public func read(_ frames: [[UInt8]]) throws(WireError) -> Message {
        let wire = try WireMessage(frames: frames)
        guard wire.hasValidSignature(signer) else { throw WireError.badSignature }
        // Without a key nothing is authenticated, so there is nothing to replay (as in jupyter_client).
        guard !signer.isSigning || replayGuard.accept(wire.signature) else { throw WireError.replayedSignature }
        return try wire.decoded()
    }
}

/// Sends messages on one socket (shell or control replies), signed.
final class SocketSender: MessageSink {
    private let socket: ZMQSocket
    private let signer: Signer

    init(socket: ZMQSocket, signer: Signer) {
        self.socket = socket
        self.signer = signer
    }

    func send(_ message: Message) {
        socket.send(message.wire(signedBy: signer).frames)
    }
}

/// Publishes on iopub from a thread other than the iopub thread: the signed frames go
/// over an inproc PUSH socket to the iopub thread, which owns the XPUB socket.
final class IOPubSender: MessageSink {
    private let socket: ZMQSocket
    private let signer: Signer

    init(context: ZMQContext, endpoint: String, signer: Signer) throws(SocketError) {
        socket = try ZMQSocket(context, type: ZMQ_PUSH)
        socket.set(ZMQ_SNDHWM, 0)  // never drop between threads; the XPUB socket applies its own limit
        socket.set(ZMQ_LINGER, 1000)
        try socket.connect(endpoint)
        self.signer = signer
    }

    func send(_ message: Message) {
        var message = message
        message.identities = [IOPubSender.topic(for: message)]
        socket.send(message.wire(signedBy: signer).frames)
    }

    func close() { socket.close() }

    /// ipykernel's topics: `stream.stdout`, `kernel.<session>.<msg_type>`.
    static func topic(for message: Message) -> [UInt8] {
        if message.msgType == "stream", let name = message.content["name"]?.stringValue {
            return Array("stream.\(name)".utf8)
        }
        return Array("kernel.\(message.header.session).\(message.msgType)".utf8)
    }
}

/// The stdin channel on its ROUTER socket, used by the shell thread while a cell waits for input.
final class StdinSocketChannel: StdinChannel {
    private let socket: ZMQSocket
    private let signer: Signer
    private let reader: MessageReader
    private let logger: Logger

    init(socket: ZMQSocket, signer: Signer, reader: MessageReader, logger: Logger) {
        self.socket = socket
        self.signer = signer
        self.reader = reader
        self.logger = logger
    }

    func ask(_ request: Message, cancellation: Cancellation) -> Message? {
        // Replies to an earlier, abandoned prompt must not answer this one.
        while socket.receive(dontWait: true) != nil {}
        guard deliver(request, cancellation: cancellation) else { return nil }
        var poller = Poller()
        let socketIndex = poller.add(socket)
        let wakeIndex = poller.add(fd: cancellation.wake.readFD)
        while true {
            if cancellation.isCancelled { return nil }
            guard poller.wait() else { return nil }
            if poller.isReadable(wakeIndex), !cancellation.isCancelled { cancellation.wake.drain() }
            guard poller.isReadable(socketIndex), let frames = socket.receive(dontWait: true) else { continue }
            do {
                let reply = try reader.read(frames)
                if reply.msgType == "input_reply" { return reply }
                logger.warning("stdin: ignoring \(reply.msgType) while waiting for input_reply")
            } catch {
                logger.warning("stdin: dropped a message: \(error)")
            }
        }
    }

    /// Sends the input_request. The stdin socket is a ROUTER with ROUTER_MANDATORY, so a
    /// front end whose stdin connection is not up yet is reported instead of silently
    /// skipped: then it is tried again for a while (a client may send a cell before its
    /// stdin socket has finished connecting).
    private func deliver(_ request: Message, cancellation: Cancellation) -> Bool {
        let frames = request.wire(signedBy: signer).frames
        for _ in 0..<400 {  // up to 2 s
            if socket.send(frames) { return true }
            guard zmq_errno() == EHOSTUNREACH else { break }
            if cancellation.wait(seconds: 0.005) { return false }
        }
        logger.error("stdin: the front end that sent the cell has no stdin connection; input is not possible")
        return false
    }
}
