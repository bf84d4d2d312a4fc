import CZMQ

import JupyterProtocol
#if canImport(Glibc)
import Glibc
#endif

/// A libzmq context. One per kernel; sockets die with it.
public final class ZMQContext: @unchecked Sendable {
    // libzmq contexts are thread-safe; the pointer is owned by this object.
    let raw: UnsafeMutableRawPointer

    public init() {
        raw = zmq_ctx_new()
    }

    /// Makes every blocking call on this context's sockets return ETERM
    /// (so threads parked in zmq_poll or zmq_proxy wake up and close their sockets).
    public func shutdown() {
        zmq_ctx_shutdown(raw)
    }

    /// Waits for every socket to be closed, then frees the context.
    public func terminate() {
        while zmq_ctx_term(raw) != 0 && zmq_errno() == EINTR {}
    }
}

/// One libzmq socket. Not thread-safe: each socket is used by one thread at a time
/// (the server hands each to the thread that owns it). Marked Sendable so it can be
/// moved into that thread.
public final class ZMQSocket: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
    private var closed = false

    public init(_ context: ZMQContext, type: Int32) throws(SocketError) {
        guard let socket = zmq_socket(context.raw, type) else { throw SocketError.create(ZMQSocket.lastError()) }
        raw = socket
    }

    deinit { close() }

    public func close() {
        guard !closed else { return }
        closed = true
        zmq_close(raw)
    }

    static func lastError() -> String {
        String(cString: zmq_strerror(zmq_errno()))
    }

    public func set(_ option: Int32, _ value: Int32) {
        var v = value
        zmq_setsockopt(raw, option, &v, MemoryLayout<Int32>.size)
    }

    /// Sets a string option (Z85 keys are 40 characters; libzmq wants them without a terminator
    /// or with one, and accepts length 40).
    public func set(_ option: Int32, _ value: String) throws(SocketError) {
        var bytes = Array(value.utf8)
        let rc = zmq_setsockopt(raw, option, &bytes, bytes.count)
        if rc != 0 { throw SocketError.option(option: option, reason: ZMQSocket.lastError()) }
    }

    /// Makes the socket a CurveZMQ server with this key pair: clients must know the public key.
    public func makeCurveServer(_ keys: ConnectionInfo.CurveKeys) throws(SocketError) {
        guard zmq_has("curve") != 0 else { throw SocketError.curveUnsupported }
        set(ZMQ_CURVE_SERVER, 1)
        try set(ZMQ_CURVE_SECRETKEY, keys.secretKey)
        try set(ZMQ_CURVE_PUBLICKEY, keys.publicKey)
    }

    public func bind(_ endpoint: String) throws(SocketError) {
        if zmq_bind(raw, endpoint) != 0 {
            throw SocketError.bind(endpoint: endpoint, reason: ZMQSocket.lastError())
        }
    }

    public func connect(_ endpoint: String) throws(SocketError) {
        if zmq_connect(raw, endpoint) != 0 {
            throw SocketError.bind(endpoint: endpoint, reason: ZMQSocket.lastError())
        }
    }

    /// Sends the frames as one multipart message. Returns false if the socket would
    /// block (with `dontWait`) or the context is shutting down.
    @discardableResult
    public func send(_ frames: [[UInt8]], dontWait: Bool = false) -> Bool {
        for (i, frame) in frames.enumerated() {
            var flags: Int32 = i < frames.count - 1 ? ZMQ_SNDMORE : 0
            if dontWait { flags |= ZMQ_DONTWAIT }
            let rc = frame.withUnsafeBytes { zmq_send(raw, $0.baseAddress, $0.count, flags) }
            if rc < 0 {
                if zmq_errno() == EINTR { continue }
                return false
            }
        }
        return true
    }

    /// Receives one multipart message. Returns nil when nothing is waiting (with `dontWait`)
    /// or the context is shutting down.
    public func receive(dontWait: Bool = false) -> [[UInt8]]? {
        var frames: [[UInt8]] = []
        var message = zmq_msg_t()
        zmq_msg_init(&message)
        defer { zmq_msg_close(&message) }
        while true {
            let rc = zmq_msg_recv(&message, raw, dontWait ? ZMQ_DONTWAIT : 0)
            if rc < 0 {
                if zmq_errno() == EINTR { continue }
                // A multipart message arrives whole, so a failure can only come before the first frame.
                return frames.isEmpty ? nil : frames
            }
            let size = zmq_msg_size(&message)
            if let data = zmq_msg_data(&message), size > 0 {
                frames.append(Array(UnsafeRawBufferPointer(start: data, count: size)))
            } else {
                frames.append([])
            }
            if zmq_msg_more(&message) == 0 { return frames }
        }
    }

    /// Moves one multipart message from this socket to `destination` without copying the frames.
    /// Returns false when the context is shutting down.
    public func forward(to destination: ZMQSocket) -> Bool {
        var message = zmq_msg_t()
        zmq_msg_init(&message)
        defer { zmq_msg_close(&message) }
        while true {
            if zmq_msg_recv(&message, raw, 0) < 0 {
                if zmq_errno() == EINTR { continue }
                return false
            }
            let more = zmq_msg_more(&message) != 0
            // A frame that cannot be sent (no subscriber is ready) is dropped, as PUB sockets do.
            _ = zmq_msg_send(&message, destination.raw, more ? ZMQ_SNDMORE : 0)
            if !more { return true }
        }
    }
}

/// Waits on sockets and plain file descriptors at once (zmq_poll).
public struct Poller {
    private var items: [zmq_pollitem_t] = []

    public init() {}

    /// Adds a socket; returns its index.
    @discardableResult
    public mutating func add(_ socket: ZMQSocket) -> Int {
        items.append(zmq_pollitem_t(socket: socket.raw, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0))
        return items.count - 1
    }

    /// Adds a file descriptor (a wake-up pipe); returns its index.
    @discardableResult
    public mutating func add(fd: Int32) -> Int {
        items.append(zmq_pollitem_t(socket: nil, fd: fd, events: Int16(ZMQ_POLLIN), revents: 0))
        return items.count - 1
    }

    /// Blocks until something is readable or `timeoutMilliseconds` pass (-1: forever).
    /// Returns false when the context is shutting down.
    public mutating func wait(timeoutMilliseconds: Int = -1) -> Bool {
        while true {
            let rc = items.withUnsafeMutableBufferPointer {
                zmq_poll($0.baseAddress, Int32($0.count), timeoutMilliseconds)
            }
            if rc >= 0 { return true }
            if zmq_errno() == EINTR { continue }
            return false
        }
    }

    public func isReadable(_ index: Int) -> Bool {
        items[index].revents & Int16(ZMQ_POLLIN) != 0
    }
}

/// What went wrong opening a socket; the message names the endpoint.
public enum SocketError: Error, Equatable, CustomStringConvertible {
    case create(String)
    case bind(endpoint: String, reason: String)
    case option(option: Int32, reason: String)
    case curveUnsupported
    case curveKeyMismatch

    public var description: String {
        switch self {
        case .create(let reason): return "cannot create a ZeroMQ socket: \(reason)"
        case .bind(let endpoint, let reason): return "cannot bind \(endpoint): \(reason)"
        case .option(let option, let reason): return "cannot set ZeroMQ option \(option): \(reason)"
        case .curveUnsupported:
            return "the connection file asks for CurveZMQ encryption, but this libzmq was built without CURVE"
        case .curveKeyMismatch:
            return "curve_publickey in the connection file is not the public key of curve_secretkey"
        }
    }
}
