import JupyterProtocol
import Widgets

/// The session's widgets: the manager made on the comms the server gave the interpreter
/// (or on comms that go nowhere, when the language runs outside a kernel), and the
/// record of widget reads a `live(...)` view is built from.
extension LanguageSession {
    /// Called once by the interpreter when the server hands it the kernel's comms.
    public func connect(comms: CommManager) {
        extensions[Self.widgetsKey] = WidgetManager(comms: comms)
    }

    /// The widget manager; outside a kernel its comms go nowhere, so widgets still work in memory.
    public var widgets: WidgetManager {
        if let manager = extensions[Self.widgetsKey] as? WidgetManager { return manager }
        let offline = WidgetManager(comms: CommManager(transport: nil), log: { _ in })
        extensions[Self.widgetsKey] = offline
        return offline
    }

    /// Runs `body` and returns the widgets whose value it read (a live view's dependencies).
    func trackingReads<T>(_ body: () throws(LanguageError) -> T) throws(LanguageError) -> (T, [WidgetValue]) {
        let outer = extensions[Self.readsKey]
        extensions[Self.readsKey] = ReadLog()
        defer { extensions[Self.readsKey] = outer }
        let result = try body()
        return (result, (extensions[Self.readsKey] as? ReadLog)?.widgets ?? [])
    }

    func noteRead(_ widget: WidgetValue) {
        guard let log = extensions[Self.readsKey] as? ReadLog else { return }
        if !log.widgets.contains(where: { $0 === widget }) { log.widgets.append(widget) }
    }

    private static let widgetsKey = "widgets"
    private static let readsKey = "widget-reads"
}

private final class ReadLog {
    var widgets: [WidgetValue] = []
}
