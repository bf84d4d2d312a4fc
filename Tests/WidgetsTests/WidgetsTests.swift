import XCTest
import JupyterProtocol
@testable import Widgets

/// The widgets layer over a comm manager whose transport records what would go to iopub;
/// the front end is played by calling the manager as the server does.
final class WidgetsTests: XCTestCase {
    private var transport: RecordingTransport!
    private var comms: CommManager!
    private var widgets: WidgetManager!
    private var logged: [String] = []
    private let context = SilentContext()

    override func setUp() {
        transport = RecordingTransport()
        comms = CommManager(transport: transport)
        logged = []
        widgets = WidgetManager(comms: comms, log: { [unowned self] in logged.append($0) })
    }

    /// A comm_msg from the front end to `widget`.
    private func frontEnd(_ widget: Widget, _ data: JSON, buffers: [[UInt8]] = []) {
        XCTAssertEqual(
            try comms.receiveMessage(commID: widget.id, message: CommMessage(data: data, buffers: buffers), context: context),
            true)
    }

    private func sentMethods() -> [String] { transport.sent.compactMap { $0.content["data"]?["method"]?.stringValue } }

    func testCreate_opensAJupyterWidgetCommWithProtocol210AndTheFullState() throws {
        let slider = widgets.create(.intSlider, ["value": 3, "max": 10, "description": "x"])
        let open = try XCTUnwrap(transport.sent.single)
        XCTAssertEqual(open.msgType, "comm_open")
        XCTAssertEqual(open.content["target_name"], "jupyter.widget")
        XCTAssertEqual(open.content["comm_id"]?.stringValue, slider.id)
        XCTAssertEqual(open.metadata, ["version": "2.1.0"])
        let state = try XCTUnwrap(open.content["data"]?["state"])
        XCTAssertEqual(state["_model_name"], "IntSliderModel")
        XCTAssertEqual(state["_model_module"], "@jupyter-widgets/controls")
        XCTAssertEqual(state["_model_module_version"], "2.0.0")
        XCTAssertEqual(state["_view_name"], "IntSliderView")
        XCTAssertEqual(state["_view_module"], "@jupyter-widgets/controls")
        XCTAssertEqual(state["_view_module_version"], "2.0.0")
        XCTAssertEqual(state["value"], 3)
        XCTAssertEqual(state["max"], 10)
        XCTAssertEqual(state["step"], 1)
        XCTAssertEqual(state["readout_format"], "d")
        XCTAssertEqual(state["description"], "x")
        XCTAssertEqual(open.content["data"]?["buffer_paths"], [])
        XCTAssertEqual(slider.reference, .string("IPY_MODEL_" + slider.id))
    }

    func testCreate_clampsAnOutOfRangeStartingValue() {
        let slider = widgets.create(.floatSlider, ["min": 0, "max": 1, "value": 5])
        XCTAssertEqual(slider["value"], 1)
    }

    func testImage_sendsItsBytesAsABufferAtPathValue() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]
        let image = widgets.create(.image, ["width": "200"], binary: ["value": png])
        let open = try XCTUnwrap(transport.sent.single)
        XCTAssertNil(open.content["data"]?["state"]?["value"], "bytes never go in the JSON state")
        XCTAssertEqual(open.content["data"]?["buffer_paths"], [["value"]])
        XCTAssertEqual(open.buffers, [png])
        XCTAssertEqual(open.content["data"]?["state"]?["format"], "png")
        image.set([:], binary: ["value": [9, 9]])
        XCTAssertEqual(transport.sent.last?.content["data"]?["method"], "update")
        XCTAssertEqual(transport.sent.last?.content["data"]?["buffer_paths"], [["value"]])
        XCTAssertEqual(transport.sent.last?.buffers, [[9, 9]])
    }

    func testUpdateFromFrontEnd_inRange_isEchoedAndObserved() {
        let slider = widgets.create(.intSlider, ["max": 10])
        var seen: [Set<String>] = []
        slider.observe { _, keys, _ in seen.append(keys) }
        transport.sent.removeAll()
        frontEnd(slider, ["method": "update", "state": ["value": 7], "buffer_paths": []])
        XCTAssertEqual(slider["value"], 7)
        XCTAssertEqual(sentMethods(), ["echo_update"])
        XCTAssertEqual(transport.sent.last?.content["data"]?["state"], ["value": 7])
        XCTAssertEqual(seen, [["value"]])
    }

    func testUpdateFromFrontEnd_outOfRange_isClampedAndSentAsAPlainUpdate() {
        let slider = widgets.create(.intSlider, ["min": 0, "max": 10])
        transport.sent.removeAll()
        frontEnd(slider, ["method": "update", "state": ["value": 99]])
        XCTAssertEqual(slider["value"], 10)
        XCTAssertEqual(sentMethods(), ["update"], "a clamped value is not echoed")
        XCTAssertEqual(transport.sent.last?.content["data"]?["state"], ["value": 10])
        frontEnd(slider, ["method": "update", "state": ["value": -5]])
        XCTAssertEqual(slider["value"], 0)
    }

    func testUpdateFromFrontEnd_wrongKindOrReadOnly_isDroppedAndTheKernelValueResent() {
        let slider = widgets.create(.intSlider, ["value": 4, "max": 10])
        var observed = 0
        slider.observe { _, _, _ in observed += 1 }
        transport.sent.removeAll()
        frontEnd(slider, ["method": "update", "state": ["value": "four"]])
        frontEnd(slider, ["method": "update", "state": ["value": 2.5]])
        frontEnd(slider, ["method": "update", "state": ["max": 1000]])
        frontEnd(slider, ["method": "update", "state": ["nonsense": 1]])
        XCTAssertEqual(slider["value"], 4)
        XCTAssertEqual(slider["max"], 10)
        XCTAssertEqual(observed, 0)
        XCTAssertEqual(sentMethods(), ["update", "update", "update"], "the unknown key has nothing to resend")
        XCTAssertEqual(transport.sent[0].content["data"]?["state"], ["value": 4])
        XCTAssertEqual(transport.sent[2].content["data"]?["state"], ["max": 10])
        XCTAssertEqual(logged.count, 4)
    }

    func testBadMessages_missingMethodStateOrHuge_areLoggedAndIgnored() {
        let slider = widgets.create(.intSlider, ["value": 1])
        transport.sent.removeAll()
        frontEnd(slider, [:])
        frontEnd(slider, ["method": 3])
        frontEnd(slider, ["method": "update"])
        frontEnd(slider, ["method": "update", "state": "value=3"])
        frontEnd(slider, ["method": "frobnicate"])
        let huge = JSON.string(String(repeating: "x", count: 2 << 20))
        frontEnd(slider, ["method": "update", "state": ["description": huge, "value": 5]])
        var many: [String: JSON] = [:]
        for i in 0..<1000 { many["k\(i)"] = 1 }
        frontEnd(slider, ["method": "update", "state": .object(many)])
        XCTAssertEqual(slider["value"], 1)
        XCTAssertTrue(transport.sent.isEmpty)
        XCTAssertEqual(logged.count, 7)
    }

    func testFloodOfUpdates_eachIsHandledAndTheLastWins() {
        let slider = widgets.create(.floatSlider, ["min": 0, "max": 1, "step": 0.001])
        var observed = 0
        slider.observe { _, _, _ in observed += 1 }
        for i in 0..<2000 { frontEnd(slider, ["method": "update", "state": ["value": .number(Double(i) / 2000)]]) }
        XCTAssertEqual(slider["value"], .number(1999.0 / 2000))
        XCTAssertEqual(observed, 1999, "the first update (0) changed nothing")
    }

    func testRequestState_answersWithTheFullStateAndBuffers() throws {
        let image = widgets.create(.image, [:], binary: ["value": [1, 2]])
        transport.sent.removeAll()
        frontEnd(image, ["method": "request_state"])
        let reply = try XCTUnwrap(transport.sent.single)
        XCTAssertEqual(reply.content["data"]?["method"], "update")
        XCTAssertEqual(reply.content["data"]?["state"]?["_model_name"], "ImageModel")
        XCTAssertEqual(reply.content["data"]?["buffer_paths"], [["value"]])
        XCTAssertEqual(reply.buffers, [[1, 2]])
    }

    func testButtonClick_reachesTheCustomHandler() {
        let button = widgets.create(.button, ["description": "stop"])
        var clicks: [JSON] = []
        button.onCustom = { _, content, _ in clicks.append(content) }
        frontEnd(button, ["method": "custom", "content": ["event": "click"]])
        XCTAssertEqual(clicks, [["event": "click"]])
    }

    func testKernelSet_sendsOnlyWhatChanged() {
        let toggle = widgets.create(.toggleButton, ["description": "pause"])
        transport.sent.removeAll()
        XCTAssertEqual(toggle.set(["value": true, "description": "pause"]), ["value"])
        XCTAssertEqual(transport.sent.single?.content["data"]?["state"], ["value": true])
        XCTAssertEqual(toggle.set(["value": true]), [])
        XCTAssertEqual(transport.sent.count, 1, "an unchanged value sends nothing")
    }

    func testDropdown_indexIsClampedToItsLabels() {
        let dropdown = widgets.create(.dropdown, ["_options_labels": ["edge", "blur", "sharpen"], "index": 0])
        frontEnd(dropdown, ["method": "update", "state": ["index": 7]])
        XCTAssertEqual(dropdown["index"], 2)
        frontEnd(dropdown, ["method": "update", "state": ["index": nil]])
        XCTAssertEqual(dropdown["index"], .null)
    }

    func testBoxAndLink_referToTheirWidgets() throws {
        let play = widgets.create(.play, ["max": 27])
        let slider = widgets.create(.intSlider, ["max": 27])
        let link = widgets.create(.link, ["source": [play.reference, "value"], "target": [slider.reference, "value"]])
        let row = widgets.create(.hBox, ["children": [play.reference, slider.reference]])
        XCTAssertEqual(link.state["_view_name"], .null)
        XCTAssertEqual(link["source"], [play.reference, "value"])
        XCTAssertEqual(row["children"], [play.reference, slider.reference])
        XCTAssertEqual(transport.sent.map { $0.content["comm_id"]?.stringValue }, [play.id, slider.id, link.id, row.id])
    }

    func testControlComm_requestStatesAnswersUpdateStatesWithEveryWidget() throws {
        let slider = widgets.create(.intSlider, ["value": 2])
        let image = widgets.create(.image, [:], binary: ["value": [7, 7, 7]])
        XCTAssertEqual(
            comms.receiveOpen(commID: "ctl", target: "jupyter.widget.control", message: CommMessage(), context: context),
            .opened)
        transport.sent.removeAll()
        XCTAssertEqual(
            try comms.receiveMessage(commID: "ctl", message: CommMessage(data: ["method": "request_states"]), context: context),
            true)
        let reply = try XCTUnwrap(transport.sent.single)
        XCTAssertEqual(reply.content["comm_id"], "ctl")
        let data = try XCTUnwrap(reply.content["data"])
        XCTAssertEqual(data["method"], "update_states")
        XCTAssertEqual(data["states"]?[slider.id]?["model_name"], "IntSliderModel")
        XCTAssertEqual(data["states"]?[slider.id]?["model_module"], "@jupyter-widgets/controls")
        XCTAssertEqual(data["states"]?[slider.id]?["model_module_version"], "2.0.0")
        XCTAssertEqual(data["states"]?[slider.id]?["state"]?["value"], 2)
        XCTAssertNil(data["states"]?[image.id]?["state"]?["value"])
        XCTAssertEqual(data["buffer_paths"], [[.string(image.id), "state", "value"]])
        XCTAssertEqual(reply.buffers, [[7, 7, 7]])
    }

    func testFrontEndOpensAWidget_ofAKnownModelItIsAdopted_elseClosed() {
        let state: JSON = [
            "_model_name": "IntSliderModel", "_model_module": "@jupyter-widgets/controls", "value": 5, "max": "big",
        ]
        let outcome = comms.receiveOpen(
            commID: "fe1", target: "jupyter.widget", message: CommMessage(data: ["state": state]), context: context)
        XCTAssertEqual(outcome, .opened)
        XCTAssertEqual(widgets.widget(id: "fe1")?["value"], 5)
        XCTAssertEqual(widgets.widget(id: "fe1")?["max"], 100, "a wrongly typed attribute keeps its default")
        let unknown = comms.receiveOpen(
            commID: "fe2", target: "jupyter.widget",
            message: CommMessage(data: ["state": ["_model_name": "NopeModel", "_model_module": "x"]]), context: context)
        guard case .refused = unknown else { return XCTFail("\(unknown)") }
        XCTAssertEqual(transport.sent.last?.msgType, "comm_close")
        XCTAssertNil(widgets.widget(id: "fe2"))
    }

    func testCloseFromFrontEnd_forgetsTheWidget() throws {
        let label = widgets.create(.label, ["value": "hi"])
        XCTAssertEqual(try comms.receiveClose(commID: label.id, message: CommMessage(), context: context), true)
        XCTAssertNil(widgets.widget(id: label.id))
        XCTAssertTrue(widgets.all.isEmpty)
        XCTAssertFalse(label.isOpen)
    }

    func testDisplayBundle_hasTheWidgetViewTextAndTheFallbackPicture() {
        let slider = widgets.create(.intSlider)
        let bundle = WidgetManager.displayBundle(
            slider, text: "slider(0, 100)", fallback: MimeBundle(data: ["image/png": "iVBO"]))
        XCTAssertEqual(
            bundle.data["application/vnd.jupyter.widget-view+json"],
            ["model_id": .string(slider.id), "version_major": 2, "version_minor": 0])
        XCTAssertEqual(bundle.data["text/plain"], "slider(0, 100)")
        XCTAssertEqual(bundle.data["image/png"], "iVBO")
    }

    func testCatalogue_everyModelNamesControls200AndItsView() {
        for (key, model) in WidgetModel.catalogue {
            XCTAssertEqual(model.module, "@jupyter-widgets/controls", key)
            XCTAssertEqual(model.moduleVersion, "2.0.0", key)
            if model.name != "LinkModel" { XCTAssertEqual(model.viewName, model.name.replacingOccurrences(of: "Model", with: "View"), key) }
        }
        XCTAssertEqual(WidgetModel.catalogue.count, 12)
    }
}

// MARK: - Test doubles

final class RecordingTransport: CommTransport {
    struct Sent {
        let msgType: String
        let content: JSON
        let metadata: [String: JSON]
        let buffers: [[UInt8]]
    }
    var sent: [Sent] = []
    func publish(_ msgType: String, content: JSON, metadata: [String: JSON], buffers: [[UInt8]]) {
        sent.append(Sent(msgType: msgType, content: content, metadata: metadata, buffers: buffers))
    }
}

final class SilentContext: ExecutionContext {
    var executionCount: Int { 0 }
    var isCancelled: Bool { false }
    var isSilent: Bool { false }
    func stream(_ name: StreamName, _ text: String) {}
    func display(_ bundle: MimeBundle, displayID: String?, update: Bool) {}
    func clearOutput(wait: Bool) {}
    func input(prompt: String, password: Bool) throws -> String { throw InputError.notAllowed }
}

extension Array {
    var single: Element? { count == 1 ? first : nil }
}
