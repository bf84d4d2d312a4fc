import JupyterProtocol

/// One widget model living in the kernel, synced with the front end over its comm
/// (protocol 2.1.0: `update`, `request_state`, `custom` in; `update`, `echo_update`,
/// `custom` out). As xwidgets' `xcommon` + `xtransport` + `xobject` in one type.
///
/// The state is JSON; bytes attributes (an Image's `value`) are kept apart and travel
/// as buffers. Used on the shell thread only.
public final class Widget {
    /// Another widget in a state is the string `"IPY_MODEL_<comm id>"`.
    public static let referencePrefix = "IPY_MODEL_"

    /// Runs after the state changed (from the front end or from `set`), with the changed keys
    /// and, when one is at hand, the context of the message or cell that changed it.
    public typealias Observer = (Widget, Set<String>, ExecutionContext?) throws -> Void
    /// Runs for a `custom` message (a Button's `{event: "click"}`).
    public typealias CustomHandler = (Widget, JSON, ExecutionContext) throws -> Void

    public let model: WidgetModel
    public let comm: Comm
    public private(set) var state: [String: JSON]
    public private(set) var binary: [String: [UInt8]]
    public var onCustom: CustomHandler?
    private var observers: [Observer] = []
    private weak var manager: WidgetManager?

    init(model: WidgetModel, comm: Comm, state: [String: JSON], binary: [String: [UInt8]], manager: WidgetManager) {
        self.model = model
        self.comm = comm
        self.state = state
        self.binary = binary
        self.manager = manager
    }

    /// The model id: its comm's id.
    public var id: String { comm.id }
    /// How another widget's state refers to this one.
    public var reference: JSON { .string(Widget.referencePrefix + id) }
    public var isOpen: Bool { comm.isOpen }

    public subscript(key: String) -> JSON? { state[key] }

    public func observe(_ observer: @escaping Observer) { observers.append(observer) }

    /// Changes attributes from the kernel's side: unknown keys are dropped, the state is
    /// brought back in range, and the attributes that changed go out in one `update`.
    /// - Returns: the keys that changed.
    @discardableResult
    public func set(_ changes: [String: JSON], binary bytes: [String: [UInt8]] = [:], context: ExecutionContext? = nil)
        -> Set<String>
    {
        var next = state
        for (key, value) in changes where model.traits[key] != nil && model.traits[key]?.kind != .bytes {
            next[key] = value
        }
        model.normalize(&next)
        var changed = Set(next.keys.filter { next[$0] != state[$0] })
        state = next
        for (key, value) in bytes where model.traits[key]?.kind == .bytes && binary[key] != value {
            binary[key] = value
            changed.insert(key)
        }
        guard !changed.isEmpty else { return [] }
        sendState("update", keys: changed)
        notify(changed, context: context)
        return changed
    }

    /// Tells the observers of a change to state kept outside the model (a button's clicks).
    public func notifyChange(_ keys: Set<String>, context: ExecutionContext?) { notify(keys, context: context) }

    /// Sends a `custom` message to the front end's model.
    public func sendCustom(_ content: JSON, buffers: [[UInt8]] = []) {
        comm.send(["method": "custom", "content": content], buffers: buffers)
    }

    /// Closes the comm: the front end drops the model and its views.
    public func close() { comm.close() }

    /// The state and buffers as the protocol sends them: bytes attributes out of the JSON,
    /// their paths (`[key]`) in `bufferPaths`, their bytes in `buffers` in the same order.
    public func serialized(keys: Set<String>? = nil) -> (state: [String: JSON], bufferPaths: [JSON], buffers: [[UInt8]]) {
        var out: [String: JSON] = [:]
        var paths: [JSON] = []
        var buffers: [[UInt8]] = []
        for key in (keys.map(Array.init) ?? Array(state.keys) + Array(binary.keys)).sorted() {
            if model.traits[key]?.kind == .bytes {
                paths.append([.string(key)])
                buffers.append(binary[key] ?? [])
            } else if let value = state[key] {
                out[key] = value
            }
        }
        return (out, paths, buffers)
    }

    // MARK: - From the front end

    func receive(_ message: CommMessage, context: ExecutionContext) {
        guard let method = message.data["method"]?.stringValue else {
            return reject("a message without a \"method\" string")
        }
        switch method {
        case "update":
            update(message, context: context)
        case "request_state":
            // The full state, answered on the same comm (its parent is the request).
            sendState("update", keys: nil)
        case "custom":
            let content = message.data["content"] ?? [:]
            do { try onCustom?(self, content, context) } catch { reject("its custom handler failed: \(error)") }
        default:
            reject("an unknown method \"\(method)\"")
        }
    }

    /// An `update` from the front end. Attributes it may not set, or of the wrong kind, are
    /// dropped and the kernel's value is sent back (its views would show the rejected one);
    /// the others are kept after clamping. Accepted values are echoed (`echo_update`, 2.1.0);
    /// the ones the kernel changed go back as a plain `update`.
    private func update(_ message: CommMessage, context: ExecutionContext) {
        guard let incoming = message.data["state"]?.objectValue else {
            return reject("an update without a \"state\" object")
        }
        let limits = manager?.limits ?? WidgetLimits()
        guard incoming.count <= limits.maxKeys, JSON.object(incoming).fits(limits.maxStateBytes) else {
            return reject("an update of more than \(limits.maxStateBytes) bytes or \(limits.maxKeys) keys")
        }
        var accepted: [String: JSON] = [:]
        var resend: Set<String> = []
        for (key, value) in incoming {
            guard let trait = model.traits[key] else {
                reject("an update of unknown attribute \"\(key)\"")
                continue
            }
            guard trait.frontEndWritable, let good = trait.accept(value) else {
                reject("an update of \"\(key)\" that is \(trait.frontEndWritable ? "of the wrong kind" : "read-only")")
                resend.insert(key)
                continue
            }
            accepted[key] = good
        }
        if message.data["buffer_paths"]?.arrayValue?.isEmpty == false {
            reject("buffers in an update (no attribute the front end may set is bytes)")
        }
        var next = state
        next.merge(accepted) { $1 }
        model.normalize(&next)
        let changed = Set(next.keys.filter { next[$0] != state[$0] })
        state = next
        let echoed = Set(accepted.keys.filter { next[$0] == accepted[$0] })
        // Changed by the kernel (clamped), or refused: the front end must be told the kernel's value.
        resend.formUnion(changed.subtracting(echoed))
        resend.formUnion(accepted.keys.filter { next[$0] != accepted[$0] })
        if !echoed.isEmpty { sendState("echo_update", keys: echoed) }
        if !resend.isEmpty { sendState("update", keys: resend) }
        if !changed.isEmpty { notify(changed, context: context) }
    }

    private func sendState(_ method: String, keys: Set<String>?) {
        let (state, paths, buffers) = serialized(keys: keys)
        comm.send(
            ["method": .string(method), "state": .object(state), "buffer_paths": .array(paths)], buffers: buffers)
    }

    private func notify(_ changed: Set<String>, context: ExecutionContext?) {
        for observer in observers {
            do { try observer(self, changed, context) } catch { reject("an observer failed: \(error)") }
        }
    }

    private func reject(_ what: String) {
        manager?.log("widget \(id) (\(model.name)): \(what); ignored")
    }
}

/// Bounds on what the front end may send, so a broken or hostile page cannot take the kernel's memory.
public struct WidgetLimits: Sendable {
    public var maxStateBytes = 1 << 20
    public var maxKeys = 256
    public init() {}
}

extension JSON {
    /// Whether this value's text would be at most `limit` bytes (a cheap overestimate that stops early).
    func fits(_ limit: Int) -> Bool {
        var budget = limit
        func walk(_ value: JSON) -> Bool {
            switch value {
            case .null, .bool, .number: budget -= 8
            case .string(let s): budget -= s.utf8.count + 2
            case .array(let items):
                budget -= 2
                for item in items where budget >= 0 { if !walk(item) { return false } }
            case .object(let fields):
                budget -= 2
                for (key, item) in fields where budget >= 0 {
                    budget -= key.utf8.count + 3
                    if !walk(item) { return false }
                }
            }
            return budget >= 0
        }
        return walk(self)
    }
}
