import Logging
import JupyterProtocol

/// The control channel's handlers, without sockets. Control has its own thread, so
/// these answer while a cell runs on shell: kernel_info, interrupt and shutdown.
public final class ControlCore {
    let dispatcher: Dispatcher
    let info: InterpreterInfo
    let cancellation: Cancellation
    public weak var lifecycle: KernelLifecycle?

    public init(
        info: InterpreterInfo, session: Session, iopub: MessageSink, cancellation: Cancellation,
        logger: Logger = Logger(label: "jupyter.control")
    ) {
        self.info = info
        self.cancellation = cancellation
        dispatcher = Dispatcher(channel: .control, iopub: iopub, session: session, logger: logger)
        dispatcher.on("kernel_info_request") { [unowned self] in self.kernelInfoRequest($0) }
        dispatcher.on("interrupt_request") { [unowned self] in self.interruptRequest($0) }
        dispatcher.on("shutdown_request") { [unowned self] in try self.shutdownRequest($0) }
    }

    /// Handles one control request inside busy/idle.
    public func handle(_ message: Message, replies: MessageSink) {
        dispatcher.dispatch(message, replies: replies)
        // Shutdown is started after idle is published, so the front end sees the whole exchange.
        if let restart = pendingShutdown {
            pendingShutdown = nil
            lifecycle?.shutdown(restart: restart)
        }
    }

    private var pendingShutdown: Bool?

    func kernelInfoRequest(_ request: Request) {
        request.reply(KernelInfo.content(info))
    }

    /// interrupt_mode "message": the running cell sees its cancellation and stops.
    func interruptRequest(_ request: Request) {
        cancellation.cancel()
        request.reply(["status": "ok"])
    }

    func shutdownRequest(_ request: Request) throws(RequestError) {
        let restart = try request.bool("restart", default: false)
        // A running cell is cancelled so the shell thread comes back and the process can exit.
        cancellation.cancel()
        request.reply(["status": "ok", "restart": .bool(restart)])
        pendingShutdown = restart
    }
}
