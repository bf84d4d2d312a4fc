import CZMQ
import JupyterProtocol

/// The heartbeat: a ROUTER socket proxied to itself, so each ping comes back to its sender
/// unchanged, on its own thread and context (as ipykernel does), whatever the shell is doing.
final class Heartbeat: @unchecked Sendable {
    // The socket is created on the main thread and then used only by the heartbeat thread.
    private let context = ZMQContext()
    private let socket: ZMQSocket

    init(endpoint: String, curve: ConnectionInfo.CurveKeys?) throws(SocketError) {
        socket = try ZMQSocket(context, type: ZMQ_ROUTER)
        socket.set(ZMQ_LINGER, 0)
        if let curve { try socket.makeCurveServer(curve) }
        try socket.bind(endpoint)
    }

    func start() {
        KernelThread.start(name: "heartbeat") { [self] in
            // Returns only when the context is shut down.
            zmq_proxy(socket.raw, socket.raw, nil)
            socket.close()
        }
    }
}
