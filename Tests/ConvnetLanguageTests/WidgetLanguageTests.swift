import XCTest
import JupyterProtocol
@testable import ConvnetLanguage

/// The language's widgets over a comm manager whose messages are recorded; the front end
/// is played by calling the manager as the server does.
final class WidgetLanguageTests: XCTestCase {
    private var interpreter: ConvnetInterpreter!
    private var sent: SentComms!
    private var comms: CommManager!

    override func setUp() {
        interpreter = ConvnetInterpreter(session: LanguageSession(limits: Limits(memoryBytes: 1 << 30)))
        sent = SentComms()
        comms = CommManager(transport: sent)
        interpreter.connect(comms: comms)
    }

    @discardableResult
    private func run(_ code: String, _ context: ExecutionContext = RecordingContext()) -> ExecuteOutcome {
        interpreter.executeRequest(code: code, context: context)
    }

    private func text(_ code: String) -> String? {
        guard case .ok(let bundle?) = run(code) else { return nil }
        return bundle.data["text/plain"]?.stringValue
    }

    /// The model id a cell's widget result is shown with.
    private func modelID(_ code: String) -> String? {
        guard case .ok(let bundle?) = run(code) else { return nil }
        return bundle.data["application/vnd.jupyter.widget-view+json"]?["model_id"]?.stringValue
    }

    private func frontEndUpdate(_ id: String, _ state: JSON) {
        _ = try? comms.receiveMessage(
            commID: id, message: CommMessage(data: ["method": "update", "state": state]), context: RecordingContext())
    }

    func testSlider_wholeArgumentsMakeAnIntSlider_elseAFloatOne() {
        run("x = slider(0, 23, value: 5)\ny = slider(0, 0.5)\nz = slider(0, 1, step: 0.25)")
        let models = sent.opens.map { $0["state"]?["_model_name"]?.stringValue }
        XCTAssertEqual(models, ["IntSliderModel", "FloatSliderModel", "FloatSliderModel"])
        XCTAssertEqual(sent.opens[1]["state"]?["step"], 0.005)
        XCTAssertEqual(text("x.value"), "5")
        XCTAssertEqual(text("x"), "slider(0, 23, step: 1, value: 5)")
    }

    func testWidget_asLastLine_isShownWithTheWidgetViewAndText() throws {
        let id = try XCTUnwrap(modelID("slider(0, 10, description: \"x\")"))
        XCTAssertEqual(sent.opens.last?["state"]?["description"], "x")
        XCTAssertEqual(sent.openIDs.last, id)
    }

    func testShow_displaysAWidget_andCompletionOffersItsAttributes() {
        let context = RecordingContext()
        run("x = slider(0, 5)\nshow(x)", context)
        guard case .display(let bundle, _, _)? = context.outputs.last else { return XCTFail("nothing shown") }
        XCTAssertEqual(
            bundle.data["application/vnd.jupyter.widget-view+json"]?["model_id"]?.stringValue, sent.openIDs.last)
        XCTAssertTrue(interpreter.completeRequest(code: "x.va", cursorPosition: 4).matches.contains("value"))
        guard case .error(let ename, _, _) = run("x + 1") else { return XCTFail("a widget is not a number") }
        XCTAssertEqual(ename, "TypeError")
    }

    func testFrontEndMove_changesTheValueAndAnOutOfRangeOneIsClamped() throws {
        let id = try XCTUnwrap(modelID("x = slider(0, 10)\nx"))
        frontEndUpdate(id, ["value": 7])
        XCTAssertEqual(text("x.value"), "7")
        frontEndUpdate(id, ["value": 70])
        XCTAssertEqual(text("x.value"), "10")
        frontEndUpdate(id, ["value": "seven"])
        XCTAssertEqual(text("x.value"), "10", "a wrongly typed value is dropped")
    }

    func testLive_redrawsItsImageWhenASliderItReadsMoves() throws {
        run("k = [kernel([[1, 0], [0, 1]]), kernel([[0, 1], [1, 0]]), kernel([[1, 1], [1, 1]])]")
        let sliderID = try XCTUnwrap(modelID("f = slider(0, 2)\nf"))
        guard case .ok(let bundle?) = run("live(k[f.value])") else { return XCTFail("live failed") }
        XCTAssertNotNil(bundle.data["application/vnd.jupyter.widget-view+json"])
        XCTAssertNotNil(bundle.data["image/png"], "a still picture for places without widgets")
        let imageID = try XCTUnwrap(sent.opens.first { $0["state"]?["_model_name"] == "ImageModel" }.flatMap { _ in
            sent.openIDs[sent.opens.firstIndex { $0["state"]?["_model_name"] == "ImageModel" }!]
        })
        let firstPicture = sent.openBuffers[sent.openIDs.firstIndex(of: imageID)!]
        sent.messages.removeAll()
        frontEndUpdate(sliderID, ["value": 2])
        let update = try XCTUnwrap(sent.messages.first { $0.id == imageID })
        XCTAssertEqual(update.data["method"], "update")
        XCTAssertEqual(update.data["buffer_paths"], [["value"]])
        XCTAssertEqual(Array(update.buffers.first?.prefix(4) ?? []), [0x89, 0x50, 0x4E, 0x47], "a PNG")
        XCTAssertNotEqual(update.buffers.first, firstPicture.first)
    }

    func testLive_anErrorShowsInPlaceAndTheViewRecovers() throws {
        run("xs = [kernel([[1]]), kernel([[2]])]")
        let sliderID = try XCTUnwrap(modelID("i = slider(0, 5)\ni"))
        run("v = live(xs[i.value])")
        let labelIndex = try XCTUnwrap(sent.opens.lastIndex { $0["state"]?["_model_name"] == "LabelModel" })
        let labelID = sent.openIDs[labelIndex]
        frontEndUpdate(sliderID, ["value": 4])
        let error = sent.messages.last { $0.id == labelID }?.data["state"]?["value"]?.stringValue ?? ""
        XCTAssertTrue(error.contains("IndexError") || error.contains("index"), error)
        frontEndUpdate(sliderID, ["value": 1])
        XCTAssertEqual(sent.messages.last { $0.id == labelID }?.data["state"]?["value"], "")
        XCTAssertEqual(text("len(xs)"), "2", "the session is intact")
    }

    func testLive_withAFailingFirstEvaluation_failsTheCell() {
        guard case .error(let ename, _, _) = run("live(nothing_here)") else { return XCTFail() }
        XCTAssertEqual(ename, "NameError")
    }

    func testButton_clicksCountAndRedrawALiveView() throws {
        let id = try XCTUnwrap(modelID("b = button(\"again\")\nb"))
        run("live(str(b.value))")
        for _ in 0..<3 {
            _ = try comms.receiveMessage(
                commID: id, message: CommMessage(data: ["method": "custom", "content": ["event": "click"]]),
                context: RecordingContext())
        }
        XCTAssertEqual(text("b.clicks"), "3")
    }

    func testDropdown_valueIsTheChosenOption() throws {
        let id = try XCTUnwrap(modelID("d = dropdown([\"edges\", \"blur\", 3])\nd"))
        XCTAssertEqual(sent.opens.last?["state"]?["_options_labels"], ["edges", "blur", "3"])
        XCTAssertEqual(text("d.value"), "\"edges\"")
        frontEndUpdate(id, ["index": 2])
        XCTAssertEqual(text("d.value"), "3")
    }

    func testRowColumnLink_openChildrenBeforeTheirParent() {
        run("p = play(0, 9)\nx = slider(0, 9)\nlink(p, x)\nrow(p, x, label(\"go\"))")
        let names = sent.opens.map { $0["state"]?["_model_name"]?.stringValue ?? "" }
        XCTAssertEqual(names, ["PlayModel", "IntSliderModel", "LinkModel", "LabelModel", "HBoxModel"])
        let children = sent.opens.last?["state"]?["children"]?.arrayValue?.compactMap(\.stringValue)
        XCTAssertEqual(children, [0, 1, 3].map { "IPY_MODEL_" + sent.openIDs[$0] })
    }

    func testTrain_controlsPauseStopAndLearningRateActBetweenBatches() throws {
        run("data = dataset(\"fashion-mnist\")\nnet = sequential(28x28x1, dense(10), softmax())")
        run("c = training_controls(lr: 0.01)")
        let controls = sent.opens.suffix(4).map { $0["state"]?["_model_name"]?.stringValue }
        XCTAssertEqual(controls, ["ToggleButtonModel", "ButtonModel", "FloatSliderModel", "HBoxModel"])
        let pauseID = sent.openIDs[sent.openIDs.count - 4], stopID = sent.openIDs[sent.openIDs.count - 3]
        let rateID = sent.openIDs[sent.openIDs.count - 2]
        // A front end that pauses before batch 2, resumes three checks later, moves the learning
        // rate, then clicks stop: the context hands each message in at that processPendingEvents call.
        let context = PendingEventsContext { [unowned self] call in
            switch call {
            case 2: frontEndUpdate(pauseID, ["value": true])
            case 5: frontEndUpdate(pauseID, ["value": false])
            case 6: frontEndUpdate(rateID, ["value": 0.05])
            case 8:
                _ = try? comms.receiveMessage(
                    commID: stopID, message: CommMessage(data: ["method": "custom", "content": ["event": "click"]]),
                    context: RecordingContext())
            default: break
            }
        }
        let outcome = run("h = train(net, data.train[0:2000], batch: 10, controls: c)\nh.batches", context)
        guard case .ok(let bundle?) = outcome else { return XCTFail("\(outcome)") }
        // Checks 1, 5 (after the pause), 6, 7 let a batch run; check 8 stops, without an error.
        XCTAssertEqual(bundle.data["text/plain"], "4")
        XCTAssertEqual(context.calls, 8)
        XCTAssertEqual(sent.messages.last { $0.id == pauseID && $0.data["state"]?["description"] != nil }?.data["state"]?["description"], "pause")
        XCTAssertEqual(sent.messages.first { $0.id == rateID }?.data["method"], "echo_update", "the new rate was accepted")
    }
}

/// A context that reports each processPendingEvents call (the server would handle comm messages there).
final class PendingEventsContext: ExecutionContext {
    let onPending: (Int) -> Void
    private(set) var calls = 0
    init(_ onPending: @escaping (Int) -> Void) { self.onPending = onPending }
    var executionCount: Int { 1 }
    var isCancelled: Bool { false }
    var isSilent: Bool { false }
    func stream(_ name: StreamName, _ text: String) {}
    func display(_ bundle: MimeBundle, displayID: String?, update: Bool) {}
    func clearOutput(wait: Bool) {}
    func input(prompt: String, password: Bool) throws -> String { throw InputError.notAllowed }
    func processPendingEvents() {
        calls += 1
        onPending(calls)
    }
}

final class SentComms: CommTransport {
    struct CommMsg {
        let id: String
        let data: JSON
        let buffers: [[UInt8]]
    }
    var opens: [JSON] = []
    var openIDs: [String] = []
    var openBuffers: [[[UInt8]]] = []
    var messages: [CommMsg] = []
    func publish(_ msgType: String, content: JSON, metadata: [String: JSON], buffers: [[UInt8]]) {
        let id = content["comm_id"]?.stringValue ?? ""
        switch msgType {
        case "comm_open":
            opens.append(content["data"] ?? [:])
            openIDs.append(id)
            openBuffers.append(buffers)
        case "comm_msg":
            messages.append(CommMsg(id: id, data: content["data"] ?? [:], buffers: buffers))
        default: break
        }
    }
}
