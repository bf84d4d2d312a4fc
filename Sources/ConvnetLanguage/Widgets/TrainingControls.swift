import Foundation
import JupyterProtocol
import Widgets

/// Pause/resume, stop and a learning-rate slider for a running `train`. The training loop
/// asks `betweenBatches` before every batch: it handles the comm messages waiting (so a
/// click acts at the next batch, not when the cell ends), waits while paused, and says
/// whether to stop; `learningRate` is read before each batch too.
final class TrainingControls {
    let row: WidgetValue
    private let pause: WidgetValue
    private let stop: WidgetValue
    private let rate: WidgetValue
    private(set) var stopRequested = false

    init(session: LanguageSession, learningRate: Double) {
        let widgets = session.widgets
        let lr = max(learningRate, 1e-6)
        pause = WidgetValue(
            kind: .toggle, widget: widgets.create(.toggleButton, ["description": "pause", "icon": "pause"]), session: session)
        stop = WidgetValue(
            kind: .button, widget: widgets.create(.button, ["description": "stop", "icon": "stop", "button_style": "danger"]),
            session: session)
        rate = WidgetValue(
            kind: .slider,
            widget: widgets.create(
                .floatSlider,
                [
                    "min": .number(lr / 10), "max": .number(lr * 10), "step": .number(lr / 10), "value": .number(lr),
                    "description": "lr", "readout_format": ".4f", "continuous_update": false,
                ]),
            session: session)
        let hbox = widgets.create(.hBox, ["children": [pause.widget.reference, stop.widget.reference, rate.widget.reference]])
        row = WidgetValue(kind: .controls, widget: hbox, children: [pause, stop, rate], session: session)
        row.trainingControls = self
        stop.widget.onCustom = { [weak self] _, content, _ in
            if content["event"]?.stringValue == "click" { self?.stopRequested = true }
        }
        pause.widget.observe { widget, changed, _ in
            guard changed.contains("value") else { return }
            let paused = widget["value"]?.boolValue == true
            widget.set(["description": paused ? "resume" : "pause", "icon": paused ? "play" : "pause"])
        }
    }

    var isPaused: Bool { pause.widget["value"]?.boolValue == true }
    var learningRate: Float { Float(rate.widget["value"]?.doubleValue ?? 0) }

    /// A new run starts unstopped and unpaused.
    func reset() {
        stopRequested = false
        pause.widget.set(["value": false])
    }

    /// Before each batch: comm messages handled, a pause waited out (`onPause` first, so the
    /// display can show where training stands); true means stop now.
    func betweenBatches(_ context: ExecutionContext, onPause: () -> Void) -> Bool {
        context.processPendingEvents()
        func held() -> Bool { isPaused && !stopRequested && !context.isCancelled }
        if held() {
            onPause()
            repeat {
                _ = context.waitUntilCancelled(seconds: 0.02)
                context.processPendingEvents()
            } while held()
        }
        return stopRequested
    }
}

extension Builtins {
    /// train's `controls:` argument: false (none), true (made and shown here), or a training_controls() row.
    static func trainingControls(_ args: Arguments, _ cell: CellContext, learningRate: Double) throws(LanguageError)
        -> TrainingControls?
    {
        let given = try args.value("controls")
        switch given {
        case .bool(false), .none:
            return nil
        case .bool(true):
            let controls = TrainingControls(session: cell.session, learningRate: learningRate)
            if !cell.context.isSilent { cell.context.display(controls.row.bundle, displayID: nil, update: false) }
            controls.reset()
            return controls
        case .widget(let w) where w.trainingControls != nil:
            w.trainingControls?.reset()
            return w.trainingControls
        default:
            throw args.mismatch("controls", expected: "true, false or training_controls(...)", given)
        }
    }
}
