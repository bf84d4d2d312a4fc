import JupyterProtocol
import Widgets

/// A control of the language (`slider(0, 23)`, `button("stop")`, `row(a, b)`): a widget
/// of the Widgets layer plus what the language needs beside it (a dropdown's option
/// values, a button's clicks). A shared reference, like a net: `y = x` is the same slider.
///
/// `x.value` reads its current value and is how a `live(...)` view learns what it depends on.
public final class WidgetValue {
    public enum Kind: String, Sendable {
        case slider, dropdown, toggle, checkbox, button, play, image, label, row, column, live, controls
    }

    public let kind: Kind
    public let widget: Widget
    /// A dropdown's options as the language gave them (the front end sees only their labels).
    let options: [Value]
    /// The widgets inside a row, a column, a live view or training controls.
    let children: [WidgetValue]
    /// Clicks of a button since it was made.
    public internal(set) var clicks = 0
    /// The session that reads are reported to.
    private weak var session: LanguageSession?
    /// The picture shown where no widget front end is (nbconvert): set by `live`.
    var fallback: MimeBundle?
    /// What `training_controls()` made this row for (train reads it between batches).
    var trainingControls: TrainingControls?

    init(kind: Kind, widget: Widget, options: [Value] = [], children: [WidgetValue] = [], session: LanguageSession) {
        self.kind = kind
        self.widget = widget
        self.options = options
        self.children = children
        self.session = session
    }

    /// The attribute that holds what the learner reads as `.value`.
    var valueKey: String? {
        switch kind {
        case .slider, .toggle, .checkbox, .play, .label: return "value"
        case .dropdown: return "index"
        case .button: return "clicks"
        case .image, .row, .column, .live, .controls: return nil
        }
    }

    /// The current value, as a language value; the read is reported to a `live` view being built.
    public var value: Value {
        session?.noteRead(self)
        switch kind {
        case .slider, .play: return widget["value"]?.doubleValue.map(Value.number) ?? .none
        case .toggle, .checkbox: return .bool(widget["value"]?.boolValue ?? false)
        case .label: return .string(widget["value"]?.stringValue ?? "")
        case .dropdown:
            guard let index = widget["index"]?.intValue, options.indices.contains(index) else { return .none }
            return options[index]
        case .button: return .number(Double(clicks))
        case .image, .row, .column, .live, .controls: return .none
        }
    }

    /// `slider(0, 23, value: 5)`.
    var repr: String {
        let s = widget.state
        func n(_ key: String) -> String { s[key]?.doubleValue.map(Value.format) ?? "?" }
        let described = (s["description"]?.stringValue).flatMap { $0.isEmpty ? nil : ", description: \"\($0)\"" } ?? ""
        switch kind {
        case .slider: return "slider(\(n("min")), \(n("max")), step: \(n("step")), value: \(n("value"))\(described))"
        case .play: return "play(\(n("min")), \(n("max")), value: \(n("value")))"
        case .dropdown: return "dropdown(\(Value.list(options).repr), value: \(value.repr))"
        case .toggle, .checkbox: return "\(kind.rawValue)(\(value.repr)\(described))"
        case .button: return "button(\"\(s["description"]?.stringValue ?? "")\"), clicked \(clicks) times"
        case .label: return "label(\(value.repr))"
        case .image: return "image widget"
        case .row, .column: return "\(kind.rawValue) of \(children.count) widgets"
        case .live: return "live view"
        case .controls: return "training controls (pause, stop, learning rate)"
        }
    }

    /// What `display_data` shows: the widget view, its text, and a still picture when there is one.
    var bundle: MimeBundle {
        WidgetManager.displayBundle(widget, text: repr, fallback: fallback)
    }

    /// `x.value`, `x.min`, `b.clicks`: what a widget exposes after a dot.
    static let attributes: [(name: String, about: String)] = [
        ("value", "its current value (a dropdown's chosen option, a button's clicks)"),
        ("min", "a slider's or play's smallest value"), ("max", "its largest value"), ("step", "its step"),
        ("clicks", "how many times a button was clicked"), ("description", "its label"),
    ]

    func attribute(_ name: String) -> Value? {
        switch name {
        case "value": return value
        case "clicks": return kind == .button ? .number(Double(clicks)) : nil
        case "min", "max", "step": return widget[name]?.doubleValue.map(Value.number)
        case "description": return widget["description"]?.stringValue.map(Value.string)
        default: return nil
        }
    }
}

extension WidgetValue: Equatable {
    public static func == (a: WidgetValue, b: WidgetValue) -> Bool { a === b }
}
