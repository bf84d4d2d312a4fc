import JupyterProtocol

/// The convnet language as a Jupyter interpreter: the kernel's server calls these
/// methods; the session keeps the state between cells.
public final class ConvnetInterpreter: Interpreter {
    public let session: LanguageSession

    public init(session: LanguageSession = .forLearner()) {
        self.session = session
    }

    public static let version = "0.1.0"

    public var info: InterpreterInfo {
        InterpreterInfo(
            implementation: "convnet-kernel", implementationVersion: Self.version, languageName: "convnet",
            languageVersion: Self.version, mimetype: "text/x-convnet", fileExtension: ".convnet",
            pygmentsLexer: "convnet", codemirrorMode: "python",
            banner: "convnet-kernel \(Self.version): the convnet language (docs/language.md). help() lists the built-ins.",
            helpLinks: [("Jupyter messaging", "https://jupyter-client.readthedocs.io/en/latest/messaging.html")])
    }

    public func executeRequest(code: String, context: ExecutionContext) -> ExecuteOutcome {
        switch session.run(code, context: context) {
        case .success(nil):
            return .ok(result: nil)
        case .success(let value?):
            return .ok(result: Display.bundle(for: value))
        case .failure(let error):
            return .error(ename: error.kind.rawValue, evalue: error.message, traceback: error.traceback(in: code))
        }
    }

    public func userExpression(code: String, context: ExecutionContext) -> ExpressionOutcome {
        switch session.evaluate(expression: code, context: context) {
        case .success(let value):
            return .value(Display.bundle(for: value))
        case .failure(let error):
            return .error(ename: error.kind.rawValue, evalue: error.message, traceback: error.traceback(in: code))
        }
    }

    /// The server's comms: the session's widgets are made on them.
    public func connect(comms: CommManager) {
        session.connect(comms: comms)
    }

    public func completeRequest(code: String, cursorPosition: Int) -> Completion {
        session.complete(code: code, cursorPosition: cursorPosition)
    }

    public func inspectRequest(code: String, cursorPosition: Int, detailLevel: Int) -> MimeBundle? {
        session.inspect(code: code, cursorPosition: cursorPosition, detailLevel: detailLevel)
    }

    public func isCompleteRequest(code: String) -> Completeness {
        session.isComplete(code: code)
    }
}
