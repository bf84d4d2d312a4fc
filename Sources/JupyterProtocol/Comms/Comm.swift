/// One message on a comm, in either direction: its `data`, the message's metadata and
/// its binary buffers (messaging.rst, "Custom Messages").
public struct CommMessage: Sendable, Equatable {
    public var data: JSON
    public var metadata: [String: JSON]
    /// Extra ZeroMQ frames after the content frame; the signature does not cover them.
    public var buffers: [[UInt8]]
    /// msg_id of the comm_open / comm_msg / comm_close that brought it (nil for the kernel's own).
    public var messageID: String?

    public init(data: JSON = [:], metadata: [String: JSON] = [:], buffers: [[UInt8]] = [], messageID: String? = nil) {
        self.data = data
        self.metadata = metadata
        self.buffers = buffers
        self.messageID = messageID
    }
}

/// One end of a comm: a channel between a kernel-side object and a front-end object,
/// named by `id`, made for a `targetName` (as ipykernel's `Comm`, xeus's `xcomm`).
///
/// Used on the shell thread only, like everything the interpreter touches.
public final class Comm {
    /// Runs for each message from the front end, with a context whose outputs are parented
    /// to that message. A thrown error is logged by the server; the comm stays open.
    public typealias MessageHandler = (CommMessage, ExecutionContext) throws -> Void

    public let id: String
    public let targetName: String
    public var onMessage: MessageHandler?
    /// Runs when the front end closes the comm (not when the kernel does).
    public var onClose: MessageHandler?
    public private(set) var isOpen = true
    private weak var manager: CommManager?

    init(id: String, targetName: String, manager: CommManager) {
        self.id = id
        self.targetName = targetName
        self.manager = manager
    }

    /// Sends a comm_msg to the front end. Ignored (and reported false) once closed.
    @discardableResult
    public func send(_ data: JSON, metadata: [String: JSON] = [:], buffers: [[UInt8]] = []) -> Bool {
        guard isOpen, let manager else { return false }
        manager.publish(
            "comm_msg", ["comm_id": .string(id), "data": data], metadata: metadata, buffers: buffers)
        return true
    }

    /// Closes the comm from the kernel's side: a comm_close goes out and the comm is forgotten.
    public func close(_ data: JSON = [:], metadata: [String: JSON] = [:], buffers: [[UInt8]] = []) {
        guard isOpen else { return }
        isOpen = false
        guard let manager else { return }
        manager.publish("comm_close", ["comm_id": .string(id), "data": data], metadata: metadata, buffers: buffers)
        manager.forget(id)
    }

    /// The front end closed it: no comm_close goes back.
    func closedByFrontEnd() { isOpen = false }
}
