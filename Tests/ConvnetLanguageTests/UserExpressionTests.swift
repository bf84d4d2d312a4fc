import XCTest

@testable import ConvnetLanguage
import JupyterProtocol

/// A cell's syntax is checked before any of it runs, and user_expressions are
/// expressions that change nothing.
final class UserExpressionTests: XCTestCase {
    private func session(_ setup: String) throws -> LanguageSession {
        let s = LanguageSession()
        if case .failure(let e) = s.run(setup, context: RecordingContext()) { XCTFail("setup: \(e.message)") }
        return s
    }

    func testPositionalAfterKeyword_isASyntaxError_beforeAnyOfTheCellRuns() throws {
        let s = try session("net = sequential(4x4x1, dense(2))")
        let context = RecordingContext()
        let code = "print(\"ran\")\nadd(net, relu())\nprint(a: 1, 2)"
        guard case .failure(let error) = s.run(code, context: context) else { return XCTFail("the cell ran") }
        XCTAssertEqual(error.problem, .positionalAfterKeyword)
        XCTAssertEqual(error.kind, .syntax)
        XCTAssertEqual(error.span?.line, 3)
        XCTAssertEqual(error.span?.column, 13)
        XCTAssertEqual(context.stdout, "", "the first line ran before the error was found")
        guard case .net(let net)? = s.variables["net"] else { return XCTFail("net is gone") }
        XCTAssertEqual(net.network.specs.count, 1, "add() ran before the error was found")
    }

    func testPositionalAfterKeyword_isInvalidForIsComplete() {
        XCTAssertEqual(LanguageSession().isComplete(code: "print(a: 1, 2)"), .invalid)
        XCTAssertEqual(LanguageSession().isComplete(code: "print(1, a: 2)"), .complete)
    }

    func testExpression_givesItsValue() throws {
        let s = try session("y = 2")
        XCTAssertEqual(try s.evaluate(expression: "y * 21", context: RecordingContext()).get(), .number(42))
        XCTAssertEqual(try s.evaluate(expression: "y  # the variable\n", context: RecordingContext()).get(), .number(2))
    }

    func testAssignment_isASyntaxError_andAssignsNothing() throws {
        let s = try session("y = 2")
        guard case .failure(let error) = s.evaluate(expression: "x = 5", context: RecordingContext()) else {
            return XCTFail("an assignment was evaluated")
        }
        XCTAssertEqual(error.kind, .syntax)
        XCTAssertNil(s.variables["x"])
        guard case .failure = s.evaluate(expression: "y\ny = 3", context: RecordingContext()) else {
            return XCTFail("two lines were evaluated")
        }
        XCTAssertEqual(s.variables["y"], .number(2))
    }

    func testBuiltinsThatChangeState_areRefused_andChangeNothing() throws {
        let s = try session("net = sequential(4x4x1, dense(2))\ny = 2")
        for code in ["add(net, relu())", "reset()", "save(net, \"/tmp/never-written.net\")", "answer(\"volume-cifar\", 26x26x20)"] {
            guard case .failure(let error) = s.evaluate(expression: code, context: RecordingContext()) else {
                return XCTFail("\(code) was evaluated")
            }
            XCTAssertEqual(error.kind, .value, code)
            XCTAssertTrue(error.message.contains("changes the session"), error.message)
        }
        guard case .net(let net)? = s.variables["net"] else { return XCTFail("net is gone") }
        XCTAssertEqual(net.network.specs.count, 1)
        XCTAssertEqual(s.variables["y"], .number(2))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/never-written.net"))
    }

    func testInterpreter_answersAMimeBundleOrAnError() throws {
        let interpreter = ConvnetInterpreter()
        _ = interpreter.executeRequest(code: "y = 2", context: RecordingContext())
        XCTAssertEqual(interpreter.userExpression(code: "y + 1", context: RecordingContext()), .value(.text("3")))
        guard case .error(let ename, let evalue, let traceback) =
            interpreter.userExpression(code: "nope", context: RecordingContext())
        else { return XCTFail("an undefined name was evaluated") }
        XCTAssertEqual(ename, "NameError")
        XCTAssertEqual(evalue, "'nope' is not defined")
        XCTAssertEqual(traceback.last, "NameError: 'nope' is not defined")
    }
}
