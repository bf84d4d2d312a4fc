import XCTest

@testable import ConvnetLanguage
import JupyterProtocol

final class EvaluatorTests: XCTestCase {
    private func run(_ session: LanguageSession, _ code: String, _ context: RecordingContext = RecordingContext())
        -> Result<Value?, LanguageError>
    {
        session.run(code, context: context)
    }

    func testLastBareExpressionIsTheResult_statementsAreNot() throws {
        let s = LanguageSession()
        XCTAssertEqual(try run(s, "x = 2\nx * 21").get(), .number(42))
        XCTAssertNil(try run(s, "y = x").get())
        XCTAssertNil(try run(s, "x\ny = 1").get(), "only the last statement counts")
        XCTAssertNil(try run(s, "print(x)").get(), "print is a statement")
        XCTAssertNil(try run(s, "check(true)").get())
        XCTAssertNil(try run(s, "none").get())
        XCTAssertNil(try run(s, "for i in [1]:\n    i").get())
    }

    func testFailedCell_leavesEveryVariableAsItWas() {
        let s = LanguageSession()
        _ = run(s, "a = 1\nb = [1, 2]")
        let before = s.variables
        let order = s.definitionOrder
        guard case .failure(let e) = run(s, "a = 2\nc = 3\nb = b + [3]\nb[10]") else { return XCTFail("did not fail") }
        XCTAssertEqual(e.kind, .index)
        XCTAssertTrue(s.variables == before)
        XCTAssertEqual(s.definitionOrder, order)
    }

    func testReset_thenFailure_keepsTheOldVariables() {
        let s = LanguageSession()
        _ = run(s, "a = 1")
        _ = run(s, "reset()\nfail(\"no\")")
        XCTAssertEqual(s.variables["a"], .number(1))
        _ = run(s, "reset()")
        XCTAssertTrue(s.variables.isEmpty)
    }

    func testVarsKeepsDefinitionOrder() throws {
        let s = LanguageSession()
        _ = run(s, "zeta = 1\nalpha = 2")
        _ = run(s, "mid = 3\nzeta = 4")
        XCTAssertEqual(s.definitionOrder, ["zeta", "alpha", "mid"])
    }

    func testInterrupt_stopsALoopBetweenIterations() {
        let s = LanguageSession()
        let context = RecordingContext()
        context.cancelAfterChecks = 10
        guard case .failure(let e) = run(s, "total = 0\nfor i in range(1000000):\n    total = total + i", context) else {
            return XCTFail("not interrupted")
        }
        XCTAssertEqual(e.kind, .interrupted)
        XCTAssertNil(s.variables["total"])
    }

    func testSleep_isInterruptible() {
        let s = LanguageSession()
        let context = RecordingContext()
        let start = Date()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { context.cancel() }
        guard case .failure(let e) = run(s, "sleep(30)", context) else { return XCTFail("slept through") }
        XCTAssertEqual(e.kind, .interrupted)
        // Cancelled at 0.05 s of a 30 s sleep; generous for a loaded CI machine.
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    }

    func testACancellingContext_endsARunawayLoop() {
        let s = LanguageSession()
        let context = RecordingContext(cancelAfter: 0.1)
        guard case .failure(let e) = run(s, "for i in range(1000000):\n    for j in range(1000000):\n        pass", context) else {
            return XCTFail("ran to the end")
        }
        XCTAssertEqual(e.kind, .interrupted)
    }

    func testAndOr_shortCircuit_andReturnTheirOperand() throws {
        let s = LanguageSession()
        XCTAssertEqual(try run(s, "false and undefined_name").get(), .bool(false))
        XCTAssertEqual(try run(s, "true or undefined_name").get(), .bool(true))
        XCTAssertEqual(try run(s, "0 or \"fallback\"").get(), .string("fallback"))
    }

    func testKeywordArguments_bothSpellings_andPositionalAfterKeywordIsAnError() throws {
        let s = LanguageSession()
        XCTAssertEqual(try run(s, "round(3.14159, digits: 2)").get(), .number(3.14))
        XCTAssertEqual(try run(s, "round(3.14159, digits=2)").get(), .number(3.14))
        guard case .failure(let e) = run(s, "round(digits: 2, 3.1)") else { return XCTFail() }
        XCTAssertEqual(e.kind, .syntax)
        guard case .failure(let twice) = run(s, "round(1.5, 1, digits: 2)") else { return XCTFail() }
        XCTAssertTrue(twice.message.contains("twice"), twice.message)
    }

    func testInput_goesThroughTheContext() throws {
        let s = LanguageSession()
        let context = RecordingContext()
        context.inputs = ["Ada"]
        XCTAssertEqual(try run(s, "\"hello \" + input(\"Name? \")", context).get(), .string("hello Ada"))
        XCTAssertEqual(context.prompts, ["Name? "])
        let refused = RecordingContext()
        refused.allowInput = false
        guard case .failure(let e) = run(s, "input()", refused) else { return XCTFail() }
        XCTAssertEqual(e.kind, .io)
    }

    func testErrorsCarryTheSpanOfTheFailingPart() {
        let s = LanguageSession()
        guard case .failure(let e) = run(s, "x = 1\ny = [1, 2, 3][x + 5]") else { return XCTFail() }
        XCTAssertEqual(e.kind, .index)
        XCTAssertEqual(e.span?.line, 2)
        XCTAssertEqual(e.span?.column, 15)
        XCTAssertEqual(e.span.map { $0.end - $0.start }, 5, "the whole index expression x + 5")
    }

    func testSessionState_dataSetsLoadOnce_andExerciseProgressIsKept() throws {
        let s = LanguageSession()
        _ = try run(s, "a = dataset(\"fashion-mnist\")\nb = dataset(\"Fashion-MNIST\")").get()
        XCTAssertEqual(s.loadedDataSets.count, 1, "the second call loaded it again")
        guard case .record(let a)? = s.variables["a"], case .dataset(let train)? = a["train"] else { return XCTFail() }
        XCTAssertEqual(train.count, 60_000)
        _ = try run(s, "answer(\"volume-cifar\", 26x26x20)").get()
        XCTAssertTrue(try run(s, "exercises()").get()?.text.contains("[x] volume-cifar") ?? false)
    }
}
