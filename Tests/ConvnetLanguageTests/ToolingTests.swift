import XCTest

@testable import ConvnetLanguage
import JupyterProtocol

/// Completion, inspection and is_complete, with positions in code points.
final class ToolingTests: XCTestCase {
    private func session(_ setup: String = "") -> LanguageSession {
        let session = LanguageSession()
        if !setup.isEmpty, case .failure(let e) = session.run(setup, context: RecordingContext()) {
            XCTFail("setup failed: \(e)")
        }
        return session
    }

    private func count(_ s: String) -> Int { s.unicodeScalars.count }

    func testComplete_builtinPrefix() {
        let c = session().complete(code: "pri", cursorPosition: 3)
        XCTAssertEqual(c.matches, ["print"])
        XCTAssertEqual(c.cursorStart, 0)
        XCTAssertEqual(c.cursorEnd, 3)
    }

    func testComplete_sessionNames_onSecondLine_afterNonASCII() {
        let s = session("learning_rate = 0.1\nlabel = \"é\"")
        let code = "x = \"héllo 👋\"\ny = learn"
        let c = s.complete(code: code, cursorPosition: count(code))
        XCTAssertEqual(c.matches, ["learning_rate"])
        XCTAssertEqual(c.cursorStart, count("x = \"héllo 👋\"\ny = "))
        XCTAssertEqual(c.cursorEnd, count(code))
    }

    func testComplete_cursorInsideWord_replacesOnlyThePrefix() {
        let c = session().complete(code: "ran(5)", cursorPosition: 2)
        XCTAssertEqual(c.matches, ["range"])
        XCTAssertEqual(c.cursorStart, 0)
        XCTAssertEqual(c.cursorEnd, 2)
    }

    func testComplete_keywordArgumentsOfTheCall() {
        let code = "round(3.14159, d"
        let c = session().complete(code: code, cursorPosition: count(code))
        XCTAssertEqual(c.matches.first, "digits: ")
    }

    func testComplete_attributesAfterDot() {
        let s = session("xs = [1, 2]\nv = 28x28x1")
        let c = s.complete(code: "v.de", cursorPosition: 4)
        XCTAssertEqual(c.matches, ["depth"])
        XCTAssertEqual(c.cursorStart, 2)
        let all = s.complete(code: "print(xs.", cursorPosition: 9)
        XCTAssertEqual(all.matches, ["count"])
        XCTAssertEqual(all.cursorStart, 9)
    }

    func testComplete_insideString_offersNothing() {
        let c = session().complete(code: "print(\"pri", cursorPosition: 10)
        XCTAssertEqual(c.matches, [])
    }

    func testInspect_builtinDoc_andInsideCall() throws {
        let s = session()
        let onName = try XCTUnwrap(s.inspect(code: "round(1.5)", cursorPosition: 2))
        XCTAssertTrue(onName.data["text/plain"]!.stringValue!.hasPrefix("round(number, digits: 0)"))
        let insideCall = try XCTUnwrap(s.inspect(code: "round(1.5, ", cursorPosition: 11))
        XCTAssertEqual(insideCall, onName)
    }

    func testInspect_variable_kindAndVolume_multiLine() throws {
        let s = session("size = 24x24x8")
        let code = "# é\nprint(size)"
        let bundle = try XCTUnwrap(s.inspect(code: code, cursorPosition: count("# é\nprint(si")))
        let text = bundle.data["text/plain"]!.stringValue!
        XCTAssertTrue(text.contains("size: volume"), text)
        XCTAssertTrue(text.contains("volume: 24x24x8"), text)
    }

    func testInspect_net_showsItsLayers() throws {
        let s = session("net = sequential(28x28x1, conv(8, 5x5), relu(), dense(10))")
        let text = try XCTUnwrap(s.inspect(code: "net", cursorPosition: 3)?.data["text/plain"]?.stringValue)
        XCTAssertTrue(text.hasPrefix("net: net\nvolume: 28x28x1 -> 1x1x10\nnet 28x28x1 -> 1x1x10: 3 layers"), text)
        XCTAssertTrue(text.contains("1 conv 8 5x5"), text)
    }

    func testComplete_attributesOfANet_andOfDataSetHalves() {
        let s = session("net = sequential(28x28x1, dense(10))")
        XCTAssertEqual(s.complete(code: "net.la", cursorPosition: 6).matches, ["layers"])
        s.variables["data"] = .record(FuzzTests.tinyData())
        XCTAssertEqual(s.complete(code: "data.te", cursorPosition: 7).matches, ["test"])
        XCTAssertEqual(s.complete(code: "data.test.cl", cursorPosition: 12).matches, ["classes"])
    }

    func testComplete_keywordArgumentsOfTrain() {
        let code = "train(net, data.train, ep"
        let c = session().complete(code: code, cursorPosition: code.unicodeScalars.count)
        XCTAssertEqual(c.matches, ["epochs: "])
        let nested = "train(net, data.train, optimizer: sgd(mo"
        XCTAssertEqual(session().complete(code: nested, cursorPosition: nested.unicodeScalars.count).matches, ["momentum: "])
    }

    func testInspect_nothingThere_isNil() {
        XCTAssertNil(session().inspect(code: "1 + 2", cursorPosition: 3))
    }

    func testIsComplete() {
        let s = session()
        XCTAssertEqual(s.isComplete(code: "x = 1"), .complete)
        XCTAssertEqual(s.isComplete(code: "net = sequential(28x28x1,"), .incomplete(indent: "    "))
        XCTAssertEqual(s.isComplete(code: "for lr in [0.1, 0.01]:"), .incomplete(indent: "    "))
        XCTAssertEqual(s.isComplete(code: "for lr in [0.1]:\n    print(lr)"), .incomplete(indent: "    "))
        XCTAssertEqual(s.isComplete(code: "for lr in [0.1]:\n    print(lr)\n"), .complete)
        XCTAssertEqual(s.isComplete(code: "print(\"abc"), .invalid)
        XCTAssertEqual(s.isComplete(code: "1 +* 2"), .invalid)
        XCTAssertEqual(s.isComplete(code: ")("), .invalid)
        XCTAssertEqual(s.isComplete(code: "1 + )"), .invalid)
        XCTAssertEqual(s.isComplete(code: "((1 + 2) * 3"), .incomplete(indent: "    "))
        XCTAssertEqual(s.isComplete(code: "# a comment"), .complete)
    }
}
