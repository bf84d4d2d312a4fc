import JupyterProtocol

/// The ipywidgets 8 models this layer provides, with the attributes and defaults that
/// ipywidgets 8.1's own `get_state()` gives (layout and style models are left out: the
/// views work without them).
extension WidgetModel {
    /// Every model below, by `_model_module` and `_model_name` (for comms the front end opens).
    public static let catalogue: [String: WidgetModel] = Dictionary(
        uniqueKeysWithValues: [
            intSlider, floatSlider, dropdown, toggleButton, checkbox, button, play, image, label, hBox, vBox, link,
        ].map { ("\($0.module)/\($0.name)", $0) })

    public static let intSlider = WidgetModel(
        name: "IntSliderModel", viewName: "IntSliderView",
        traits: slider(step: 1, format: "d"), normalize: { clampValue(&$0, integer: true) })

    public static let floatSlider = WidgetModel(
        name: "FloatSliderModel", viewName: "FloatSliderView",
        traits: slider(step: 0.1, format: ".2f"), normalize: { clampValue(&$0, integer: false) })

    /// Syncs `_options_labels` and `index` (the options' values stay in the kernel).
    public static let dropdown = WidgetModel(
        name: "DropdownModel", viewName: "DropdownView",
        traits: described.merging([
            "_options_labels": Trait(.strings, []), "disabled": Trait(.bool, false),
            "index": Trait(.optionalInt, nil, frontEndWritable: true),
        ]) { $1 },
        normalize: { state in
            let count = state["_options_labels"]?.arrayValue?.count ?? 0
            guard count > 0 else { return state["index"] = .null }
            guard let index = state["index"]?.intValue else { return }
            state["index"] = .number(Double(min(max(index, 0), count - 1)))
        })

    public static let toggleButton = WidgetModel(
        name: "ToggleButtonModel", viewName: "ToggleButtonView",
        traits: described.merging([
            "button_style": Trait(.string, ""), "disabled": Trait(.bool, false), "icon": Trait(.string, ""),
            "value": Trait(.bool, false, frontEndWritable: true),
        ]) { $1 })

    public static let checkbox = WidgetModel(
        name: "CheckboxModel", viewName: "CheckboxView",
        traits: described.merging([
            "disabled": Trait(.bool, false), "indent": Trait(.bool, true),
            "value": Trait(.bool, false, frontEndWritable: true),
        ]) { $1 })

    /// Clicks come as `custom {event: "click"}`.
    public static let button = WidgetModel(
        name: "ButtonModel", viewName: "ButtonView",
        traits: dom.merging([
            "button_style": Trait(.string, ""), "description": Trait(.string, ""), "disabled": Trait(.bool, false),
            "icon": Trait(.string, ""),
        ]) { $1 })

    /// Its timer runs in the browser: it sends `update {value}` every `interval` ms while playing.
    public static let play = WidgetModel(
        name: "PlayModel", viewName: "PlayView",
        traits: described.merging([
            "disabled": Trait(.bool, false), "interval": Trait(.int, 100), "max": Trait(.int, 100),
            "min": Trait(.int, 0), "playing": Trait(.bool, false, frontEndWritable: true),
            "repeat": Trait(.bool, false, frontEndWritable: true), "show_repeat": Trait(.bool, true),
            "step": Trait(.int, 1), "value": Trait(.int, 0, frontEndWritable: true),
        ]) { $1 },
        normalize: { clampValue(&$0, integer: true) })

    /// `value` is the picture's bytes, sent as a buffer at path `["value"]` (never base64).
    public static let image = WidgetModel(
        name: "ImageModel", viewName: "ImageView",
        traits: dom.merging([
            "format": Trait(.string, "png"), "height": Trait(.string, ""), "width": Trait(.string, ""),
            "value": Trait(.bytes, nil),
        ]) { $1 })

    public static let label = WidgetModel(
        name: "LabelModel", viewName: "LabelView",
        traits: described.merging(["placeholder": Trait(.string, "\u{200B}"), "value": Trait(.string, "")]) { $1 })

    public static let hBox = WidgetModel(name: "HBoxModel", viewName: "HBoxView", traits: box)
    public static let vBox = WidgetModel(name: "VBoxModel", viewName: "VBoxView", traits: box)

    /// jslink: the browser copies `source`'s attribute to `target`'s (a Play driving a slider).
    public static let link = WidgetModel(
        name: "LinkModel", viewName: nil,
        traits: [
            "_view_count": Trait(.optionalInt, nil, frontEndWritable: true),
            "source": Trait(.attributeOf, ["", ""]), "target": Trait(.attributeOf, ["", ""]),
        ])

    // MARK: - Shared attributes

    /// DOMWidget's.
    static let dom: [String: Trait] = [
        "_dom_classes": Trait(.strings, []), "_view_count": Trait(.optionalInt, nil, frontEndWritable: true),
        "tabbable": Trait(.optionalBool, nil), "tooltip": Trait(.optionalString, nil),
    ]

    /// DescriptionWidget's.
    static let described: [String: Trait] = dom.merging([
        "description": Trait(.string, ""), "description_allow_html": Trait(.bool, false),
    ]) { $1 }

    static let box: [String: Trait] = dom.merging([
        "box_style": Trait(.string, ""), "children": Trait(.references, []),
    ]) { $1 }

    static func slider(step: Double, format: String) -> [String: Trait] {
        let whole = format == "d"
        let kind: Trait.Kind = whole ? .int : .number
        return described.merging([
            "behavior": Trait(.string, "drag-tap"), "continuous_update": Trait(.bool, true),
            "disabled": Trait(.bool, false), "max": Trait(kind, 100), "min": Trait(kind, 0),
            "orientation": Trait(.string, "horizontal"), "readout": Trait(.bool, true),
            "readout_format": Trait(.string, .string(format)), "step": Trait(kind, .number(step)),
            "value": Trait(kind, 0, frontEndWritable: true),
        ]) { $1 }
    }

    /// A bounded value kept within [min, max] (ipywidgets' Bounded* validators clamp too).
    static func clampValue(_ state: inout [String: JSON], integer: Bool) {
        guard let low = state["min"]?.doubleValue, let high = state["max"]?.doubleValue,
            let value = state["value"]?.doubleValue
        else { return }
        var clamped = min(max(value, min(low, high)), max(low, high))
        if integer { clamped = clamped.rounded() }
        if clamped != value { state["value"] = .number(clamped) }
    }
}
