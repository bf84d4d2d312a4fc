import CZMQ
import Logging
import JupyterProtocol

/// The iopub thread: owns the XPUB socket. Forwards what the shell and control threads
/// publish (through an inproc PULL socket), and greets each new subscriber with
/// `iopub_welcome` (messaging.rst, protocol 5.5: the XPUB socket reports subscriptions
/// as frames `\x01 + topic`), so a client knows its subscription is live.
final class IOPubPublisher: @unchecked Sendable {
    // Both sockets are created on the main thread and then used only by the iopub thread.
    private let xpub: ZMQSocket
    private let pull: ZMQSocket
    private let signer: Signer
    private let session: Session
    private let stop: WakePipe
    private let logger: Logger
    let inprocEndpoint: String

    init(
        context: ZMQContext, endpoint: String, curve: ConnectionInfo.CurveKeys?, signer: Signer, session: Session,
        stop: WakePipe, logger: Logger
    ) throws(SocketError) {
        xpub = try ZMQSocket(context, type: ZMQ_XPUB)
        xpub.set(ZMQ_LINGER, 1000)
        // Every subscription is reported, even a topic another client already has,
        // so every client gets its welcome (xeus does the same).
        xpub.set(ZMQ_XPUB_VERBOSE, 1)
        if let curve { try xpub.makeCurveServer(curve) }
        try xpub.bind(endpoint)

        pull = try ZMQSocket(context, type: ZMQ_PULL)
        pull.set(ZMQ_RCVHWM, 0)
        inprocEndpoint = "inproc://iopub-\(session.id)"
        try pull.bind(inprocEndpoint)

        self.signer = signer
        self.session = session
        self.stop = stop
        self.logger = logger
    }

    /// Starts the thread. It runs until `stop` is signalled, then forwards what is still queued.
    func start() {
        KernelThread.start(name: "iopub") { [self] in run() }
    }

    /// Set when the thread has flushed and closed its sockets.
    let finished = WakePipe()

    private func run() {
        var poller = Poller()
        let pullIndex = poller.add(pull)
        let xpubIndex = poller.add(xpub)
        let stopIndex = poller.add(fd: stop.readFD)
        while poller.wait() {
            if poller.isReadable(xpubIndex) { readSubscriptions() }
            if poller.isReadable(pullIndex) { _ = pull.forward(to: xpub) }
            if poller.isReadable(stopIndex) { break }
        }
        // Flush: whatever the other threads queued before stopping still goes out.
        var flush = Poller()
        flush.add(pull)
        while flush.wait(timeoutMilliseconds: 20), flush.isReadable(0) {
            _ = pull.forward(to: xpub)
        }
        pull.close()
        xpub.close()
        finished.signal()
    }

    private func readSubscriptions() {
        while let frames = xpub.receive(dontWait: true) {
            for frame in frames where frame.first == 1 {
                let topic = Array(frame.dropFirst())
                logger.debug("iopub: new subscriber to \"\(String(decoding: topic, as: UTF8.self))\"")
                welcome(topic: topic)
            }
        }
    }

    private func welcome(topic: [UInt8]) {
        let text = String(decoding: topic, as: UTF8.self)
        // The topic frame is the subscription itself, so the subscriber that asked receives it;
        // an empty subscription (everything) gets no topic frame, as ipykernel sends it.
        let message = session.message(
            "iopub_welcome", ["subscription": .string(text)], identities: topic.isEmpty ? [] : [topic])
        xpub.send(message.wire(signedBy: signer).frames)
    }
}
