import Foundation
import JupyterProtocol
import Widgets

/// `live(expr)`: a picture that depends on controls. The expression is evaluated once
/// when the cell runs, recording which widgets' `.value` it read; every later change of
/// one of them evaluates it again (in the comm message's context, between training
/// batches if a cell is running) and replaces the picture in place: the Image widget's
/// `value` gets the new PNG in one `update`. An error shows in the view's label, in
/// place of nothing; the last good picture stays and the kernel goes on.
///
/// The expression sees the variables as they were when `live` ran (widgets are shared
/// references, so their values are always the current ones).
final class LiveView {
    let box: WidgetValue
    private let picture: WidgetValue
    private let message: WidgetValue
    private let session: LanguageSession
    private let expression: Expression
    private let scope: [String: Value]
    private let code: String
    private var watched: [ObjectIdentifier] = []
    private var evaluating = false
    private var again = false
    /// Evaluations so far (the first included), for tests and the benchmark's sanity check.
    private(set) var evaluations = 0

    init(session: LanguageSession, expression: Expression, scope: [String: Value], code: String) {
        self.session = session
        self.expression = expression
        self.scope = scope
        self.code = code
        let widgets = session.widgets
        picture = WidgetValue(kind: .image, widget: widgets.create(.image), session: session)
        message = WidgetValue(kind: .label, widget: widgets.create(.label), session: session)
        let vbox = widgets.create(.vBox, ["children": [picture.widget.reference, message.widget.reference]])
        box = WidgetValue(kind: .live, widget: vbox, children: [picture, message], session: session)
    }

    /// The first evaluation; its error fails the cell (the learner sees it at once, as for any expression).
    func start(context: ExecutionContext) throws(LanguageError) {
        let value = try evaluate(context: context)
        show(value)
        var still = Display.bundle(for: value)
        still.data["text/plain"] = .string("live: " + (still.data["text/plain"]?.stringValue ?? value.repr))
        box.fallback = still
    }

    /// Closes the view's widgets (its first evaluation failed).
    func close() {
        for widget in [box, picture, message] { session.widgets.close(widget.widget) }
    }

    /// Runs the expression again after a change; never throws (an error goes to the label).
    func refresh(context: ExecutionContext?) {
        guard !evaluating else {
            again = true  // a change made while evaluating (by the expression itself): once more after
            return
        }
        evaluating = true
        defer { evaluating = false }
        repeat {
            again = false
            do {
                // A picture clears the message line; a text result is the message line.
                if show(try evaluate(context: context ?? QuietContext())) { message.widget.set(["value": ""]) }
            } catch {
                message.widget.set(["value": .string("\(error.kind.rawValue): \(error.message)")])
            }
        } while again
    }

    private func evaluate(context: ExecutionContext) throws(LanguageError) -> Value {
        evaluations += 1
        let evaluator = Evaluator(session: session, context: context, code: code)
        evaluator.scope = scope
        let (value, reads) = try session.trackingReads { () throws(LanguageError) in try evaluator.evaluate(expression) }
        for widget in reads where !watched.contains(ObjectIdentifier(widget)) {
            watched.append(ObjectIdentifier(widget))
            let key = widget.valueKey
            widget.widget.observe { [weak self] _, changed, context in
                if let key, changed.contains(key) { self?.refresh(context: context) }
            }
        }
        return value
    }

    /// The value's picture into the Image widget (PNG or SVG bytes), or its text into the
    /// label (a string as it is, other values as they print). Returns whether it was a picture.
    @discardableResult
    private func show(_ value: Value) -> Bool {
        let bundle = Display.bundle(for: value)
        if let base64 = bundle.data["image/png"]?.stringValue, let bytes = Data(base64Encoded: base64) {
            picture.widget.set(["format": "png"], binary: ["value": [UInt8](bytes)])
            return true
        }
        if let svg = bundle.data["image/svg+xml"]?.stringValue {
            picture.widget.set(["format": "svg+xml"], binary: ["value": Array(svg.utf8)])
            return true
        }
        picture.widget.set([:], binary: ["value": []])
        let text: String
        if case .string(let s) = value { text = s } else { text = bundle.data["text/plain"]?.stringValue ?? value.repr }
        message.widget.set(["value": .string(text)])
        return false
    }
}

/// Outputs of an evaluation that no request caused (a kernel-side change) go nowhere.
private final class QuietContext: ExecutionContext {
    var executionCount: Int { 0 }
    var isCancelled: Bool { false }
    var isSilent: Bool { true }
    func stream(_ name: StreamName, _ text: String) {}
    func display(_ bundle: MimeBundle, displayID: String?, update: Bool) {}
    func clearOutput(wait: Bool) {}
    func input(prompt: String, password: Bool) throws -> String { throw InputError.notAllowed }
}

extension Evaluator {
    /// `live(expr)`: the one built-in whose argument is kept as an expression, not a value
    /// (the evaluator's call sends it here).
    func liveCall(_ arguments: [CallArgument], span: SourceSpan) throws(LanguageError) -> Value {
        guard arguments.count == 1, let argument = arguments.first, argument.label == nil else {
            throw LanguageError(.liveNeedsOneExpression, at: span)
        }
        let view = LiveView(session: session, expression: argument.value, scope: scope, code: code)
        do {
            try view.start(context: context)
        } catch {
            view.close()
            throw error
        }
        session.keepAlive(view)
        return .widget(view.box)
    }
}
