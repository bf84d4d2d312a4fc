/// Where a `CommManager` sends its messages: the server publishes them on iopub with the
/// request being handled (a cell, or a comm message) as parent.
public protocol CommTransport: AnyObject {
    func publish(_ msgType: String, content: JSON, metadata: [String: JSON], buffers: [[UInt8]])
}

/// The kernel's comms: the target registry and the open comms (as ipykernel's
/// `CommManager`, xeus's `xcomm_manager`). A language or a widgets layer registers
/// targets and opens comms here; the server feeds it what arrives on shell.
///
/// Used on the shell thread only: cells, comm handlers and the server's comm routing
/// all run there, so no lock is needed.
public final class CommManager {
    /// Runs when the front end opens a comm for a registered target. Throwing refuses it:
    /// the server closes the comm and logs the error.
    public typealias OpenHandler = (Comm, CommMessage, ExecutionContext) throws -> Void

    private var targets: [String: OpenHandler] = [:]
    private var comms: [String: Comm] = [:]
    private weak var transport: CommTransport?
    private let makeID: () -> String

    public init(transport: CommTransport?, makeID: @escaping () -> String = CommManager.newCommID) {
        self.transport = transport
        self.makeID = makeID
    }

    // MARK: - The language's side

    /// Registers (or replaces) the handler for comms the front end opens with `target`.
    public func register(target: String, _ onOpen: @escaping OpenHandler) {
        targets[target] = onOpen
    }

    public func unregister(target: String) {
        targets[target] = nil
    }

    public func isRegistered(target: String) -> Bool { targets[target] != nil }

    /// Opens a comm from the kernel's side: a comm_open with `data` goes out at once.
    public func open(
        target: String, data: JSON = [:], metadata: [String: JSON] = [:], buffers: [[UInt8]] = []
    ) -> Comm {
        let comm = Comm(id: makeID(), targetName: target, manager: self)
        comms[comm.id] = comm
        publish(
            "comm_open", ["comm_id": .string(comm.id), "target_name": .string(target), "data": data],
            metadata: metadata, buffers: buffers)
        return comm
    }

    /// The open comm with this id.
    public func comm(id: String) -> Comm? { comms[id] }

    /// Open comms as comm_info_reply lists them, `{id: {target_name}}`, only `target`'s when given.
    public func info(target: String? = nil) -> [String: JSON] {
        var listed: [String: JSON] = [:]
        for (id, comm) in comms where target == nil || comm.targetName == target {
            listed[id] = ["target_name": .string(comm.targetName)]
        }
        return listed
    }

    // MARK: - The server's side

    /// What became of a comm_open from the front end.
    public enum OpenOutcome: Equatable {
        case opened
        /// No handler for the target: the server answers with comm_close.
        case unknownTarget
        /// A comm with this id is already open: the message is ignored.
        case duplicateID
        /// The handler threw: the comm was closed; `reason` is for the log.
        case refused(reason: String)
    }

    /// A comm_open from the front end.
    public func receiveOpen(
        commID: String, target: String, message: CommMessage, context: ExecutionContext
    ) -> OpenOutcome {
        guard comms[commID] == nil else { return .duplicateID }
        guard let handler = targets[target] else { return .unknownTarget }
        let comm = Comm(id: commID, targetName: target, manager: self)
        comms[commID] = comm
        do {
            try handler(comm, message, context)
            return .opened
        } catch {
            comm.close()
            return .refused(reason: "\(error)")
        }
    }

    /// A comm_msg from the front end. Returns false when no comm has this id.
    /// - Throws: what the comm's handler throws.
    public func receiveMessage(commID: String, message: CommMessage, context: ExecutionContext) throws -> Bool {
        guard let comm = comms[commID] else { return false }
        try comm.onMessage?(message, context)
        return true
    }

    /// A comm_close from the front end: the comm is forgotten, then its close handler runs.
    /// Returns false when no comm has this id.
    public func receiveClose(commID: String, message: CommMessage, context: ExecutionContext) throws -> Bool {
        guard let comm = comms.removeValue(forKey: commID) else { return false }
        comm.closedByFrontEnd()
        try comm.onClose?(message, context)
        return true
    }

    /// Closes every comm from the kernel's side (at shutdown).
    public func closeAll() {
        for comm in Array(comms.values) { comm.close() }
    }

    func publish(_ msgType: String, _ content: JSON, metadata: [String: JSON], buffers: [[UInt8]]) {
        transport?.publish(msgType, content: content, metadata: metadata, buffers: buffers)
    }

    func forget(_ id: String) { comms[id] = nil }

    /// A UUID without its dashes: the 32-hex-digit form ipykernel uses for comm ids.
    public static func newCommID() -> String { String(Identifiers.uuid().filter { $0 != "-" }) }
}

