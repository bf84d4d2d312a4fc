#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a language implements to run inside the kernel (as xeus's `xinterpreter`).
///
/// The server owns the protocol: execution counts, busy/idle, the abort queue,
/// publishing on iopub, history. A language only answers these requests. All
/// methods are called on the shell thread, one at a time.
public protocol Interpreter: AnyObject {
    /// `language_info`, `implementation`, banner and help links for kernel_info_reply.
    var info: InterpreterInfo { get }

    /// Runs one cell. Outputs go through `context` while it runs; the returned
    /// outcome becomes the execute_result (or error) and the execute_reply.
    func executeRequest(code: String, context: ExecutionContext) -> ExecuteOutcome

    /// complete_request; `cursorPosition` counts Unicode code points, as the protocol does.
    func completeRequest(code: String, cursorPosition: Int) -> Completion

    /// inspect_request (Shift-Tab); nil when nothing is found at the cursor.
    func inspectRequest(code: String, cursorPosition: Int, detailLevel: Int) -> MimeBundle?

    /// is_complete_request.
    func isCompleteRequest(code: String) -> Completeness

    /// One of an execute_request's user_expressions, evaluated after the cell succeeded
    /// (messaging.rst, "Execute": user_expressions). It must change nothing: an
    /// expression, not a cell; its value comes back as a mime bundle, or an error.
    func userExpression(code: String, context: ExecutionContext) -> ExpressionOutcome

    /// Called once before the kernel exits or restarts.
    func shutdownRequest(restart: Bool)

    /// Called once when the server starts, before any request: the kernel's comms, for a
    /// language (or its widgets layer) to register targets on and open comms with.
    func connect(comms: CommManager)
}

extension Interpreter {
    public func shutdownRequest(restart: Bool) {}
    public func connect(comms: CommManager) {}

    /// A language that cannot evaluate without side effects says so for each expression.
    public func userExpression(code: String, context: ExecutionContext) -> ExpressionOutcome {
        .error(ename: "NotImplementedError", evalue: "this kernel does not evaluate user_expressions", traceback: [])
    }
}

/// The server side of a running cell, given to `Interpreter.executeRequest`.
///
/// Every method publishes on iopub with the execute_request as parent, so
/// outputs reach the right cell even while control messages come and go.
public protocol ExecutionContext: AnyObject {
    /// The execution count of this cell (already incremented when store_history is true).
    var executionCount: Int { get }

    /// True once an interrupt_request or SIGINT has arrived for this cell.
    /// Long work (sleep, training) checks it between steps and stops.
    var isCancelled: Bool { get }

    /// True when the cell was sent with silent: the interpreter may skip displays.
    var isSilent: Bool { get }

    /// A `stream` message on stdout or stderr.
    func stream(_ name: StreamName, _ text: String)

    /// display_data, or update_display_data when `update` is true and `displayID` is set.
    func display(_ bundle: MimeBundle, displayID: String?, update: Bool)

    /// clear_output.
    func clearOutput(wait: Bool)

    /// Asks the front end for a line of text over the stdin channel (input_request).
    /// Throws `InputError.notAllowed` when the request had allow_stdin false,
    /// and `InputError.interrupted` when the cell is cancelled while waiting.
    func input(prompt: String, password: Bool) throws -> String

    /// Waits up to `seconds`, returning early (true) the moment the cell is cancelled.
    /// Use it for sleeps and waits instead of polling `isCancelled`.
    func waitUntilCancelled(seconds: Double) -> Bool

    /// Handles the comm messages (comm_open, comm_msg, comm_close) that arrived while this
    /// cell runs, each in its own busy/idle, and returns; every other request stays queued
    /// in order. Long work (a training loop, between batches) calls it so controls act at
    /// once instead of when the cell ends. Cheap when nothing is waiting; calls made from
    /// inside a comm handler do nothing.
    func processPendingEvents()
}

extension ExecutionContext {
    public func processPendingEvents() {}
}

extension ExecutionContext {
    /// A fallback for contexts without a wake-up (test doubles): checks `isCancelled` every millisecond.
    public func waitUntilCancelled(seconds: Double) -> Bool {
        var left = seconds
        while left > 0 {
            if isCancelled { return true }
            usleep(1000)
            left -= 0.001
        }
        return isCancelled
    }
}

public enum StreamName: String, Sendable {
    case stdout, stderr
}

public enum InputError: Error, Equatable {
    case notAllowed
    case interrupted
}

/// A mime bundle: `data` keyed by mime type (text/plain, image/png as base64,
/// image/svg+xml, text/html), with optional per-type `metadata` (image sizes).
public struct MimeBundle: Sendable, Equatable {
    public var data: [String: JSON]
    public var metadata: [String: JSON]

    public init(data: [String: JSON], metadata: [String: JSON] = [:]) {
        self.data = data
        self.metadata = metadata
    }

    /// A bundle with only text/plain.
    public static func text(_ plain: String) -> MimeBundle {
        MimeBundle(data: ["text/plain": .string(plain)])
    }
}

/// The end of a cell.
public enum ExecuteOutcome: Sendable, Equatable {
    /// Success; `result` (if any) is published as execute_result.
    case ok(result: MimeBundle?)
    /// Failure: published as an `error` output and an execute_reply with status error.
    case error(ename: String, evalue: String, traceback: [String])
}

/// The value of one user expression: what ipykernel puts under its name in
/// execute_reply's `user_expressions`.
public enum ExpressionOutcome: Sendable, Equatable {
    case value(MimeBundle)
    case error(ename: String, evalue: String, traceback: [String])

    /// `{"status": "ok", "data": ..., "metadata": ...}` or `{"status": "error", "ename": ...}`.
    public var json: JSON {
        switch self {
        case .value(let bundle):
            return ["status": "ok", "data": .object(bundle.data), "metadata": .object(bundle.metadata)]
        case .error(let ename, let evalue, let traceback):
            return [
                "status": "error", "ename": .string(ename), "evalue": .string(evalue),
                "traceback": .array(traceback.map(JSON.string)),
            ]
        }
    }
}

public struct Completion: Sendable, Equatable {
    public var matches: [String]
    /// Code-point offsets of the text the matches replace.
    public var cursorStart: Int
    public var cursorEnd: Int
    public var metadata: [String: JSON]

    public init(matches: [String], cursorStart: Int, cursorEnd: Int, metadata: [String: JSON] = [:]) {
        self.matches = matches
        self.cursorStart = cursorStart
        self.cursorEnd = cursorEnd
        self.metadata = metadata
    }
}

public enum Completeness: Sendable, Equatable {
    case complete
    case incomplete(indent: String)
    case invalid
    case unknown
}

/// The language's part of kernel_info_reply.
public struct InterpreterInfo: Sendable, Equatable {
    public var implementation: String
    public var implementationVersion: String
    public var languageName: String
    public var languageVersion: String
    public var mimetype: String
    public var fileExtension: String
    public var pygmentsLexer: String
    public var codemirrorMode: String
    public var banner: String
    /// (text, url) pairs for the Help menu.
    public var helpLinks: [(text: String, url: String)]

    public init(
        implementation: String, implementationVersion: String, languageName: String, languageVersion: String,
        mimetype: String, fileExtension: String, pygmentsLexer: String, codemirrorMode: String, banner: String,
        helpLinks: [(text: String, url: String)] = []
    ) {
        self.implementation = implementation
        self.implementationVersion = implementationVersion
        self.languageName = languageName
        self.languageVersion = languageVersion
        self.mimetype = mimetype
        self.fileExtension = fileExtension
        self.pygmentsLexer = pygmentsLexer
        self.codemirrorMode = codemirrorMode
        self.banner = banner
        self.helpLinks = helpLinks
    }

    public static func == (a: InterpreterInfo, b: InterpreterInfo) -> Bool {
        a.implementation == b.implementation && a.implementationVersion == b.implementationVersion
            && a.languageName == b.languageName && a.languageVersion == b.languageVersion
            && a.mimetype == b.mimetype && a.fileExtension == b.fileExtension
            && a.pygmentsLexer == b.pygmentsLexer && a.codemirrorMode == b.codemirrorMode
            && a.banner == b.banner && a.helpLinks.map(\.text) == b.helpLinks.map(\.text)
            && a.helpLinks.map(\.url) == b.helpLinks.map(\.url)
    }
}
