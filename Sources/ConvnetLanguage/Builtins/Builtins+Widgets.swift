import Foundation
import JupyterProtocol
import Widgets

// Widgets: controls a learner makes and combines, and live pictures that follow them.
extension Builtins {
    static var widgets: [Builtin] {
        [
            Builtin(
                "slider", [
                    .required("min"), .required("max"), .keyword("step", .computed("1 for whole numbers, else (max - min) / 100")),
                    .keyword("value", .computed("min")), .keyword("description", ""),
                ], family: .widgets,
                summary: "A slider from min to max: whole-number steps when min, max, step and value are whole, else a float slider.",
                details: "Read it with x.value. Shown as the last line of a cell (or with show), it is a control in the notebook; live(...) redraws a picture whenever it moves. A value the front end sends out of range is clamped.",
                example: "x = slider(0, 23, description: \"x\")\nx"
            ) { args, cell throws(LanguageError) in
                let low = try args.number("min"), high = try args.number("max")
                guard low.isFinite, high.isFinite, low < high else {
                    throw LanguageError(.emptyRange(builtin: "slider", low: Value.format(low), high: Value.format(high)), at: args.span)
                }
                let givenStep = try args.has("step") ? try args.number("step") : nil
                let givenValue = try args.has("value") ? try args.number("value") : nil
                let whole = [low, high, givenStep ?? 1, givenValue ?? low].allSatisfy { $0 == $0.rounded() }
                let step = givenStep ?? (whole ? 1 : (high - low) / 100)
                guard step > 0, step.isFinite else {
                    throw LanguageError(.notPositive(subject: "slider(): 'step'", value: Value.format(step)), at: args.spanOf("step"))
                }
                let state: [String: JSON] = [
                    "min": .number(low), "max": .number(high), "step": .number(step),
                    "value": .number(givenValue ?? low), "description": .string(try args.string("description")),
                ]
                return make(.slider, whole ? .intSlider : .floatSlider, state, cell)
            },
            Builtin(
                "dropdown", [.required("options"), .keyword("value", .computed("the first option")), .keyword("description", "")],
                family: .widgets,
                summary: "A drop-down list of options (any values: numbers, strings, filters); x.value is the chosen one.",
                example: "f = dropdown([\"edges\", \"blur\", \"sharpen\"], description: \"filter\")"
            ) { args, cell throws(LanguageError) in
                guard case .list(let options) = try args.value("options"), !options.isEmpty, options.count <= 10_000 else {
                    throw args.mismatch("options", expected: "a list of 1 to 10000 options", try args.value("options"))
                }
                var index = 0
                if try args.has("value") {
                    let wanted = try args.value("value")
                    let same = { (option: Value) -> Bool in
                        if case .bool(true)? = try? Operators.apply(.equal, option, wanted, limits: cell.limits, at: args.span) { return true }
                        return false
                    }
                    guard let found = options.firstIndex(where: same) else {
                        throw LanguageError(.notAnOption(builtin: "dropdown", value: wanted.repr), at: args.spanOf("value"))
                    }
                    index = found
                }
                let labels = options.map { option -> JSON in
                    if case .string(let s) = option { return .string(s) }
                    return .string(option.repr)
                }
                let widget = cell.session.widgets.create(
                    .dropdown,
                    ["_options_labels": .array(labels), "index": .number(Double(index)), "description": .string(try args.string("description"))])
                return .widget(WidgetValue(kind: .dropdown, widget: widget, options: options, session: cell.session))
            },
            Builtin(
                "toggle", [.optional("description", ""), .keyword("value", false)], family: .widgets,
                summary: "A button that stays pressed or not; x.value is true or false.",
                example: "paused = toggle(\"pause\")"
            ) { args, cell throws(LanguageError) in
                make(.toggle, .toggleButton, ["description": .string(try args.string("description")), "value": .bool(try args.bool("value"))], cell)
            },
            Builtin(
                "checkbox", [.optional("description", ""), .keyword("value", false)], family: .widgets,
                summary: "A check box; x.value is true or false.",
                example: "grid = checkbox(\"show the grid\", value: true)"
            ) { args, cell throws(LanguageError) in
                make(.checkbox, .checkbox, ["description": .string(try args.string("description")), "value": .bool(try args.bool("value"))], cell)
            },
            Builtin(
                "button", [.required("description")], family: .widgets,
                summary: "A button; b.value (or b.clicks) counts its clicks, so live(...) reading it redraws on every click.",
                example: "again = button(\"new image\")"
            ) { args, cell throws(LanguageError) in
                let value = make(.button, .button, ["description": .string(try args.string("description"))], cell)
                if case .widget(let button) = value {
                    button.widget.onCustom = { [weak button] widget, content, context in
                        guard let button, content["event"]?.stringValue == "click" else { return }
                        button.clicks += 1
                        // Clicks are kernel-side state: observers (live views) hear of them as a change of "clicks".
                        widget.notifyChange(["clicks"], context: context)
                    }
                }
                return value
            },
            Builtin(
                "play", [
                    .required("min"), .required("max"), .keyword("step", 1), .keyword("value", .computed("min")),
                    .keyword("interval", 200), .keyword("description", ""),
                ], family: .widgets,
                summary: "A play button that counts from min to max, one step every interval milliseconds (its timer runs in the browser).",
                details: "link(p, x) makes a slider follow it: row(p, x) then shows both.",
                example: "p = play(0, 27, interval: 100)\nlink(p, x)"
            ) { args, cell throws(LanguageError) in
                let low = try args.int("min"), high = try args.int("max")
                guard low < high else { throw LanguageError(.emptyRange(builtin: "play", low: String(low), high: String(high)), at: args.span) }
                let state: [String: JSON] = [
                    "min": .number(Double(low)), "max": .number(Double(high)), "step": .number(Double(try args.int("step", in: 1...Int.max))),
                    "value": .number(Double(try args.optionalInt("value") ?? low)),
                    "interval": .number(Double(try args.int("interval", in: 10...60_000))),
                    "description": .string(try args.string("description")),
                ]
                return make(.play, .play, state, cell)
            },
            Builtin(
                "link", [.required("source"), .required("target")], family: .widgets,
                summary: "Keeps target's value equal to source's, in the browser (a play driving a slider); the kernel hears the target move.",
                example: "link(p, x)", isStatement: true
            ) { args, cell throws(LanguageError) in
                let source = try args.widget("source"), target = try args.widget("target")
                guard source.valueKey == "value", target.valueKey == "value" else {
                    throw LanguageError(.notLinkable(builtin: "link"), at: args.span)
                }
                let link = cell.session.widgets.create(
                    .link, ["source": [source.widget.reference, "value"], "target": [target.widget.reference, "value"]])
                return .widget(WidgetValue(kind: .label, widget: link, session: cell.session))
            },
            Builtin(
                "picture", [.required("value"), .keyword("width", .none)], family: .widgets,
                summary: "A picture as a widget (any value that shows as a picture: an image, filters, a chart), to place in a row or column.",
                details: "row(...) and column(...) turn pictures into picture widgets by themselves; picture(...) also sets the width in pixels.",
                example: "row(picture(data.test[0], width: 112), x)"
            ) { args, cell throws(LanguageError) in
                let value = try args.value("value")
                let bundle = Display.bundle(for: value)
                guard let base64 = bundle.data["image/png"]?.stringValue, let bytes = Data(base64Encoded: base64) else {
                    throw args.mismatch("value", expected: "something that shows as a picture", value)
                }
                var state: [String: JSON] = [:]
                if let width = try args.optionalInt("width", in: 1...10_000) { state["width"] = .string(String(width)) }
                let widget = cell.session.widgets.create(.image, state, binary: ["value": [UInt8](bytes)])
                let result = WidgetValue(kind: .image, widget: widget, session: cell.session)
                result.fallback = bundle
                return .widget(result)
            },
            Builtin(
                "label", [.required("text")], family: .widgets,
                summary: "A line of text as a widget.",
                example: "label(\"drag x to move the filter\")"
            ) { args, cell throws(LanguageError) in
                let value = try args.value("text")
                let text: String
                if case .string(let s) = value { text = s } else { text = value.repr }
                return make(.label, .label, ["value": .string(text)], cell)
            },
            Builtin(
                "row", [.variadic("widgets")], family: .widgets,
                summary: "Widgets side by side.", example: "row(x, y, live(convolve(img, edge)))"
            ) { args, cell throws(LanguageError) in try box(.row, .hBox, args, cell) },
            Builtin(
                "column", [.variadic("widgets")], family: .widgets,
                summary: "Widgets one above the other.", example: "column(row(x, y), picture)"
            ) { args, cell throws(LanguageError) in try box(.column, .vBox, args, cell) },
            Builtin(
                "live", [.required("picture")], family: .widgets,
                summary: "A picture that redraws itself: the expression runs again whenever a widget whose .value it reads changes, and the picture is replaced in place.",
                details: "The expression keeps the variables it saw; widgets always give their current value. An error shows under the picture and the view keeps working. Works while train runs too (between batches).",
                example: "x = slider(0, 25)\nlive(convolve(data.test[x.value], edge))"
            ) { args, _ throws(LanguageError) in
                // The evaluator handles live(...) itself (Evaluator.liveCall): its argument is an expression, not a value.
                throw LanguageError(.liveNeedsOneExpression, at: args.span)
            },
            Builtin(
                "training_controls", [.keyword("lr", 0.01)], family: .widgets,
                summary: "Pause/resume, stop and a learning-rate slider for train(..., controls: c); they act at the next batch.",
                details: "train(net, data, controls: true) makes and shows its own; make them yourself to place them in a row or column.",
                example: "c = training_controls(lr: 0.01)\nc\ntrain(net, data.train, optimizer: sgd(lr: 0.01), controls: c)"
            ) { args, cell throws(LanguageError) in
                let lr = try args.number("lr")
                guard lr > 0, lr.isFinite else { throw LanguageError(.notPositive(subject: "training_controls(): 'lr'", value: Value.format(lr)), at: args.spanOf("lr")) }
                return .widget(TrainingControls(session: cell.session, learningRate: lr).row)
            },
        ]
    }

    private static func make(_ kind: WidgetValue.Kind, _ model: WidgetModel, _ state: [String: JSON], _ cell: CellContext) -> Value {
        .widget(WidgetValue(kind: kind, widget: cell.session.widgets.create(model, state), session: cell.session))
    }

    private static func box(_ kind: WidgetValue.Kind, _ model: WidgetModel, _ args: Arguments, _ cell: CellContext) throws(LanguageError) -> Value {
        var children: [WidgetValue] = []
        for item in args.rest {
            switch item.value {
            case .widget(let w): children.append(w)
            case let other:
                // Any other value joins as its picture (or its text).
                let bundle = Display.bundle(for: other)
                if let base64 = bundle.data["image/png"]?.stringValue, let bytes = Data(base64Encoded: base64) {
                    let widget = cell.session.widgets.create(.image, [:], binary: ["value": [UInt8](bytes)])
                    children.append(WidgetValue(kind: .image, widget: widget, session: cell.session))
                } else {
                    let widget = cell.session.widgets.create(.label, ["value": .string(other.repr)])
                    children.append(WidgetValue(kind: .label, widget: widget, session: cell.session))
                }
            }
        }
        let widget = cell.session.widgets.create(model, ["children": .array(children.map(\.widget.reference))])
        return .widget(WidgetValue(kind: kind, widget: widget, children: children, session: cell.session))
    }
}

extension Arguments {
    /// A widget argument (`link(p, x)`).
    func widget(_ name: String) throws(LanguageError) -> WidgetValue {
        let value = try value(name)
        guard case .widget(let w) = value else { throw mismatch(name, expected: "a widget like slider(0, 10)", value) }
        return w
    }
}
