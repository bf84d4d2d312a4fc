import JupyterProtocol
import Widgets

/// The session's widgets: the manager made on the comms the server gave the interpreter
/// (or on comms that go nowhere, when the language runs outside a kernel), the live views,
/// and the record of widget reads a `live(...)` view is built from.
final class SessionWidgets {
    var manager: WidgetManager?
    /// Live views live as long as the session (their widgets hold them only weakly).
    var liveViews: [LiveView] = []
    /// The widgets read since `trackingReads` began (nil: no live view is being built).
    var reads: [WidgetValue]?
}

extension LanguageSession {
    /// Called once by the interpreter when the server hands it the kernel's comms.
    public func connect(comms: CommManager) {
        widgetState.manager = WidgetManager(comms: comms)
    }

    /// The widget manager; outside a kernel its comms go nowhere, so widgets still work in memory.
    public var widgets: WidgetManager {
        if let manager = widgetState.manager { return manager }
        let offline = WidgetManager(comms: CommManager(transport: nil), log: { _ in })
        widgetState.manager = offline
        return offline
    }

    /// Runs `body` and returns the widgets whose value it read (a live view's dependencies).
    func trackingReads<T>(_ body: () throws(LanguageError) -> T) throws(LanguageError) -> (T, [WidgetValue]) {
        let outer = widgetState.reads
        widgetState.reads = []
        defer { widgetState.reads = outer }
        let result = try body()
        return (result, widgetState.reads ?? [])
    }

    func noteRead(_ widget: WidgetValue) {
        guard let reads = widgetState.reads, !reads.contains(where: { $0 === widget }) else { return }
        widgetState.reads = reads + [widget]
    }

    func keepAlive(_ view: LiveView) { widgetState.liveViews.append(view) }
}
