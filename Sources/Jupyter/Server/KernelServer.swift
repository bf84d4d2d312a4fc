import Atomics
import CZMQ
import Logging

import JupyterProtocol
#if canImport(Glibc)
import Glibc
#endif

/// The kernel process: binds the five sockets of a connection file and runs the loops.
///
/// Threads: shell (the caller of `run`, which also runs the cells), control, iopub and
/// heartbeat. Each socket belongs to one thread. `init` binds everything, so a port in
/// use or a bad key is an error before anything runs.
public final class KernelServer: KernelLifecycle, @unchecked Sendable {
    // Sockets are owned by the threads named beside them; the stopping flag and pipes are thread-safe.
    private let context: ZMQContext
    private let shellSocket: ZMQSocket  // shell thread
    private let stdinSocket: ZMQSocket  // shell thread
    private let controlSocket: ZMQSocket  // control thread
    private let iopub: IOPubPublisher  // iopub thread
    private let heartbeat: Heartbeat  // heartbeat thread
    private let stop = WakePipe()
    private let stopping = ManagedAtomic<Bool>(false)
    private let restartRequested = ManagedAtomic<Bool>(false)
    private let controlFinished = WakePipe()

    private let signer: Signer
    private let replayGuard = ReplayGuard()
    private let session: Session
    private let interpreter: Interpreter
    private let cancellation = Cancellation()
    private let logger: Logger
    private let forcedExitAfter: Double?

    /// Binds every socket of `connection`.
    /// - Parameter forcedExitAfter: after a shutdown_request, end the process with status 0 after this
    ///   many seconds even if the running cell ignores its cancellation (nil: never; for tests).
    /// - Throws: `KernelStartError` (a port in use, a bad key, no CURVE support).
    public init(
        connection: ConnectionInfo, interpreter: Interpreter, session: Session = Session(),
        logger: Logger = Logger(label: "jupyter"), forcedExitAfter: Double? = nil
    ) throws(KernelStartError) {
        self.interpreter = interpreter
        self.forcedExitAfter = forcedExitAfter
        self.session = session
        self.logger = logger
        do {
            signer = try Signer(key: connection.key)
        } catch {
            throw KernelStartError.crypto(error.description)
        }
        let curve = connection.curve
        let context = ZMQContext()
        self.context = context
        if let curve {
            try KernelServer.checkCurveKeys(curve)
            logger.info("CurveZMQ keys in the connection file: every socket is encrypted")
        } else if !connection.key.isEmpty, connection.transport == .tcp {
            logger.debug("plain TCP: messages are signed but not encrypted")
        }
        do {
            func router(_ port: Int) throws(SocketError) -> ZMQSocket {
                let socket = try ZMQSocket(context, type: ZMQ_ROUTER)
                socket.set(ZMQ_LINGER, 1000)
                // Lets a reconnecting client take over its old identity (ipykernel sets it too).
                socket.set(ZMQ_ROUTER_HANDOVER, 1)
                if let curve { try socket.makeCurveServer(curve) }
                try socket.bind(connection.endpoint(port: port))
                return socket
            }
            shellSocket = try router(connection.shellPort)
            stdinSocket = try router(connection.stdinPort)
            // Sending to a front end that is not connected fails instead of vanishing (see StdinSocketChannel).
            stdinSocket.set(ZMQ_ROUTER_MANDATORY, 1)
            controlSocket = try router(connection.controlPort)
            iopub = try IOPubPublisher(
                context: context, endpoint: connection.endpoint(port: connection.iopubPort), curve: curve,
                signer: signer.copy(), session: session, stop: stop, logger: logger)
            heartbeat = try Heartbeat(endpoint: connection.endpoint(port: connection.hbPort), curve: curve)
        } catch {
            throw KernelStartError.socket(error)
        }
    }

    /// The public key must belong to the secret key, or clients (which are given the public key) cannot connect.
    static func checkCurveKeys(_ keys: ConnectionInfo.CurveKeys) throws(KernelStartError) {
        guard zmq_has("curve") != 0 else { throw KernelStartError.socket(.curveUnsupported) }
        var derived = [CChar](repeating: 0, count: 41)
        let rc = zmq_curve_public(&derived, keys.secretKey)
        let publicKey = derived.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        guard rc == 0, publicKey == keys.publicKey else { throw KernelStartError.socket(.curveKeyMismatch) }
    }

    /// Runs the kernel until a shutdown_request. Cells run on the calling thread.
    /// - Returns: whether a restart was requested (the process exits either way; the front end restarts it).
    @discardableResult
    public func run() -> Bool {
        heartbeat.start()
        iopub.start()
        cancellation.installSIGINTHandler()

        let shellIOPub: IOPubSender
        let controlIOPub: IOPubSender
        do {
            shellIOPub = try IOPubSender(context: context, endpoint: iopub.inprocEndpoint, signer: signer.copy())
            controlIOPub = try IOPubSender(context: context, endpoint: iopub.inprocEndpoint, signer: signer.copy())
        } catch {
            // inproc sockets fail only if the context is gone.
            fatalError("cannot connect to the iopub thread: \(error)")
        }
        startControlThread(iopubSender: controlIOPub)

        let reader = MessageReader(signer: signer.copy(), replayGuard: replayGuard)
        let stdin = StdinSocketChannel(
            socket: stdinSocket, signer: signer.copy(), reader: reader, logger: logger)
        let core = KernelCore(
            interpreter: interpreter, session: session, iopub: shellIOPub, stdin: stdin, cancellation: cancellation,
            logger: logger)
        core.lifecycle = self
        core.nextQueuedRequest = { [shellSocket, logger] in
            while let frames = shellSocket.receive(dontWait: true) {
                if let message = KernelServer.read(frames, with: reader, logger: logger) { return message }
            }
            return nil
        }
        core.publishStarting()
        logger.info("kernel running, session \(session.id)")

        let replies = SocketSender(socket: shellSocket, signer: signer.copy())
        var poller = Poller()
        let shellIndex = poller.add(shellSocket)
        let stopIndex = poller.add(fd: stop.readFD)
        while !stopping.load(ordering: .acquiring), poller.wait() {
            if poller.isReadable(stopIndex) { break }
            guard poller.isReadable(shellIndex), let frames = shellSocket.receive(dontWait: true) else { continue }
            if let message = KernelServer.read(frames, with: reader, logger: logger) {
                core.handle(message, replies: replies)
            }
        }

        let restart = restartRequested.load(ordering: .acquiring)
        interpreter.shutdownRequest(restart: restart)
        shellIOPub.close()
        shellSocket.close()
        stdinSocket.close()
        // The control and iopub threads see the stop pipe, flush, and close their sockets.
        _ = controlFinished.wait(seconds: 0.5)
        _ = iopub.finished.wait(seconds: 0.5)
        context.terminate()
        logger.info("kernel stopped")
        return restart
    }

    private func startControlThread(iopubSender: IOPubSender) {
        let control = ControlCore(
            info: interpreter.info, session: session, iopub: iopubSender, cancellation: cancellation, logger: logger)
        control.lifecycle = self
        let reader = MessageReader(signer: signer.copy(), replayGuard: replayGuard)
        let replies = SocketSender(socket: controlSocket, signer: signer.copy())
        let controlReplies = UncheckedBox((control, replies, reader, iopubSender))
        KernelThread.start(name: "control") { [self] in
            let (control, replies, reader, iopubSender) = controlReplies.value
            var poller = Poller()
            let controlIndex = poller.add(controlSocket)
            let stopIndex = poller.add(fd: stop.readFD)
            while poller.wait() {
                if poller.isReadable(controlIndex) {
                    while let frames = controlSocket.receive(dontWait: true) {
                        if let message = KernelServer.read(frames, with: reader, logger: logger) {
                            control.handle(message, replies: replies)
                        }
                    }
                }
                if poller.isReadable(stopIndex) { break }
            }
            iopubSender.close()
            controlSocket.close()
            controlFinished.signal()
        }
    }

    /// Decodes frames, logging and dropping what is malformed, unsigned or replayed.
    static func read(_ frames: [[UInt8]], with reader: MessageReader, logger: Logger) -> Message? {
        do {
            return try reader.read(frames)
        } catch {
            logger.warning("dropped a message: \(error)")
            return nil
        }
    }

    /// KernelLifecycle: stops the loops; the process must be gone within a second.
    public func shutdown(restart: Bool) {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        restartRequested.store(restart, ordering: .releasing)
        logger.info("shutdown requested (restart: \(restart))")
        // Also a cell that starts in the meantime (its request already read) stops at once.
        cancellation.cancelForever()
        stop.signal()
        // A cell that ignores its cancellation must not keep the process alive.
        if let seconds = forcedExitAfter {
            KernelThread.start(name: "shutdown-watch") {
                usleep(UInt32(seconds * 1_000_000))
                _exit(0)
            }
        }
    }
}

/// Moves non-Sendable values into the one thread that will use them from then on.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Why the kernel could not start; `description` is the one line printed before exiting with status 2.
public enum KernelStartError: Error, CustomStringConvertible {
    case socket(SocketError)
    case crypto(String)

    public var description: String {
        switch self {
        case .socket(let error): return error.description
        case .crypto(let text): return text
        }
    }
}
