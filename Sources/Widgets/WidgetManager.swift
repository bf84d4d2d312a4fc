#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import JupyterProtocol

/// The kernel's widgets, on top of its comms (as xwidgets sits on xeus): opens one
/// `jupyter.widget` comm per widget, answers the front end's `jupyter.widget.control`
/// comm (`request_states` after a page reload), and accepts widgets the front end opens.
/// Knows nothing of the language or of sockets. Used on the shell thread only.
public final class WidgetManager {
    public static let widgetTarget = "jupyter.widget"
    public static let controlTarget = "jupyter.widget.control"
    /// The widget message protocol; the front end refuses a major version other than 2.
    public static let protocolVersion = "2.1.0"

    public let comms: CommManager
    public var limits = WidgetLimits()
    /// Where rejected input from the front end is reported (the kernel's log: stderr by default).
    public var log: (String) -> Void
    private var widgets: [String: Widget] = [:]
    private var order: [String] = []

    public init(comms: CommManager, log: @escaping (String) -> Void = WidgetManager.logToStandardError) {
        self.comms = comms
        self.log = log
        comms.register(target: Self.controlTarget) { [unowned self] comm, _, _ in
            comm.onMessage = { [unowned self] message, _ in controlMessage(message, on: comm) }
        }
        comms.register(target: Self.widgetTarget) { [unowned self] comm, message, _ in
            try openedByFrontEnd(comm, message)
        }
    }

    /// Every open widget, oldest first.
    public var all: [Widget] { order.compactMap { widgets[$0] } }

    public func widget(id: String) -> Widget? { widgets[id] }

    /// Creates a widget: its comm_open carries the whole state (defaults, then `state`,
    /// brought in range) and its bytes as buffers. Children must exist before their parent.
    public func create(_ model: WidgetModel, _ state: [String: JSON] = [:], binary: [String: [UInt8]] = [:]) -> Widget {
        var full = model.defaultState
        for (key, value) in state where model.traits[key] != nil { full[key] = value }
        model.normalize(&full)
        var bytes: [String: [UInt8]] = [:]
        for (key, trait) in model.traits where trait.kind == .bytes { bytes[key] = binary[key] ?? [] }
        let (openState, paths, buffers) = Self.split(full, bytes, model)
        let comm = comms.open(
            target: Self.widgetTarget, data: ["state": .object(openState), "buffer_paths": .array(paths)],
            metadata: ["version": .string(Self.protocolVersion)], buffers: buffers)
        return adopt(Widget(model: model, comm: comm, state: full, binary: bytes, manager: self))
    }

    /// The display_data bundle that shows `widget`: the widget-view mime, a text/plain twin,
    /// and the `fallback`'s types (a picture) for places without a widget front end (nbconvert).
    public static func displayBundle(_ widget: Widget, text: String, fallback: MimeBundle? = nil) -> MimeBundle {
        var bundle = fallback ?? MimeBundle(data: [:])
        bundle.data["text/plain"] = .string(text)
        bundle.data["application/vnd.jupyter.widget-view+json"] = [
            "model_id": .string(widget.id), "version_major": 2, "version_minor": 0,
        ]
        return bundle
    }

    // MARK: - The control comm

    /// `request_states` is answered with `update_states`: every widget's full state, its
    /// bytes as buffers at paths `[id, "state", key]` (ipywidgets' `_remove_buffers` shape).
    private func controlMessage(_ message: CommMessage, on comm: Comm) {
        guard message.data["method"]?.stringValue == "request_states" else {
            return log("jupyter.widget.control: unknown method \(message.data["method"] ?? .null); ignored")
        }
        var states: [String: JSON] = [:]
        var paths: [JSON] = []
        var buffers: [[UInt8]] = []
        for widget in all {
            let (state, ownPaths, ownBuffers) = widget.serialized()
            states[widget.id] = [
                "model_name": .string(widget.model.name), "model_module": .string(widget.model.module),
                "model_module_version": .string(widget.model.moduleVersion), "state": .object(state),
            ]
            for path in ownPaths { paths.append(.array([.string(widget.id), "state"] + (path.arrayValue ?? []))) }
            buffers += ownBuffers
        }
        comm.send(["method": "update_states", "states": .object(states), "buffer_paths": .array(paths)], buffers: buffers)
    }

    // MARK: - Widgets the front end opens

    /// A `jupyter.widget` comm opened by the front end: a model of the catalogue, its state
    /// checked attribute by attribute. An unknown model is refused (the comm is closed).
    private func openedByFrontEnd(_ comm: Comm, _ message: CommMessage) throws {
        guard let given = message.data["state"]?.objectValue, JSON.object(given).fits(limits.maxStateBytes) else {
            throw WidgetError.badOpen("no \"state\" object of reasonable size")
        }
        let module = given["_model_module"]?.stringValue ?? "", name = given["_model_name"]?.stringValue ?? ""
        guard let model = WidgetModel.catalogue["\(module)/\(name)"] else {
            throw WidgetError.badOpen("unknown model \(module) \(name)")
        }
        var state = model.defaultState
        for (key, value) in given {
            guard let trait = model.traits[key] else { continue }
            if let good = trait.accept(value) { state[key] = good } else { log("\(name) from the front end: \"\(key)\" of the wrong kind; default kept") }
        }
        model.normalize(&state)
        var bytes: [String: [UInt8]] = [:]
        for (key, trait) in model.traits where trait.kind == .bytes { bytes[key] = [] }
        for (index, path) in (message.data["buffer_paths"]?.arrayValue ?? []).enumerated() {
            if let key = path.arrayValue?.first?.stringValue, path.arrayValue?.count == 1, bytes[key] != nil,
                index < message.buffers.count
            {
                bytes[key] = message.buffers[index]
            }
        }
        _ = adopt(Widget(model: model, comm: comm, state: state, binary: bytes, manager: self))
    }

    // MARK: - Bookkeeping

    private func adopt(_ widget: Widget) -> Widget {
        widgets[widget.id] = widget
        order.append(widget.id)
        widget.comm.onMessage = { [weak widget] message, context in widget?.receive(message, context: context) }
        widget.comm.onClose = { [unowned self, weak widget] _, _ in
            if let widget { forget(widget) }
        }
        return widget
    }

    /// Drops a widget closed by either side.
    func forget(_ widget: Widget) {
        widgets[widget.id] = nil
        order.removeAll { $0 == widget.id }
    }

    /// Closes a widget from the kernel's side and forgets it.
    public func close(_ widget: Widget) {
        widget.close()
        forget(widget)
    }

    static func split(_ state: [String: JSON], _ bytes: [String: [UInt8]], _ model: WidgetModel)
        -> ([String: JSON], [JSON], [[UInt8]])
    {
        let keys = bytes.keys.sorted()
        return (state, keys.map { [.string($0)] }, keys.map { bytes[$0] ?? [] })
    }

    public static func logToStandardError(_ line: String) {
        let text = Array("widgets: \(line)\n".utf8)
        _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}

public enum WidgetError: Error, CustomStringConvertible {
    case badOpen(String)
    public var description: String {
        switch self {
        case .badOpen(let why): return "a jupyter.widget comm_open from the front end with \(why)"
        }
    }
}
