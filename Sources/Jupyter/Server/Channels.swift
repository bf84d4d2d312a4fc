import JupyterProtocol
/// Where the server core sends messages. The socket layer signs and frames them;
/// tests record them (xeus-style mock server). Every sink is used by one thread.
public protocol MessageSink: AnyObject {
    func send(_ message: Message)
}

/// The stdin channel as the running cell sees it: one input_request out, its input_reply back.
public protocol StdinChannel: AnyObject {
    /// Sends `request` (an input_request addressed to the front end that sent the cell) and
    /// waits for the matching input_reply. Returns nil if `cancellation` fires first.
    func ask(_ request: Message, cancellation: Cancellation) -> Message?
}

/// The kernel's channels, as messaging.rst names them.
public enum ChannelName: String, Sendable {
    case shell, control, stdin, iopub, heartbeat
}

/// What the control channel asks of the server as a whole.
public protocol KernelLifecycle: AnyObject, Sendable {
    /// A shutdown_request was answered: stop the loops and exit (or exit for a restart).
    func shutdown(restart: Bool)
}
