import Convnet
import Foundation
import XCTest

@testable import ConvnetLanguage
import JupyterProtocol

/// Training through a cell: one live display, throttled; interrupts keep the weights.
final class TrainingTests: XCTestCase {
    private func session() -> LanguageSession {
        let s = LanguageSession()
        s.variables["data"] = .record(FuzzTests.tinyData())
        _ = s.run("net = sequential(28x28x1, conv(2, 5x5), relu(), maxpool(2x2), dense(10), softmax())", context: RecordingContext())
        return s
    }

    func testTrain_usesOneDisplayID_updatedInPlace_andSendsNoResult() throws {
        let s = session()
        let context = RecordingContext()
        let result = try s.run("train(net, data.train, epochs: 3, batch: 4)", context: context).get()
        XCTAssertNil(result, "train is a statement")
        let displays = context.displays
        XCTAssertGreaterThanOrEqual(displays.count, 2)
        XCTAssertFalse(displays[0].update)
        XCTAssertTrue(displays.dropFirst().allSatisfy { $0.update })
        let ids = Set(displays.map { $0.displayID ?? "none" })
        XCTAssertEqual(ids.count, 1)
        XCTAssertTrue(displays.last!.bundle.data["text/plain"]!.stringValue!.contains("done: 12 batches"))
        XCTAssertEqual(context.stderr, "")
    }

    func testTrain_liveLineShowsTheEpochMeans_notOneBatch() throws {
        let s = session()
        let context = RecordingContext()
        _ = try s.run("h = train(net, data.train, epochs: 2, batch: 4)", context: context).get()
        guard case .history(let h) = s.variables["h"]! else { return XCTFail("no history") }
        let text = context.displays.last!.bundle.data["text/plain"]!.stringValue!
        let loss = String(format: "%.4f", h.history.epochLosses.last!)
        let accuracy = String(format: "%.4f", h.history.epochAccuracies.last!)
        XCTAssertTrue(text.contains("epoch 2/2  batch 4/4  loss \(loss)  accuracy \(accuracy) (epoch means)"), text)
    }

    func testTrain_throttlesUpdatesToAFewASecond() throws {
        let s = session()
        let context = RecordingContext()
        let start = Date()
        _ = s.run("train(net, data.train, epochs: 200, batch: 1)", context: context)
        let seconds = Date().timeIntervalSince(start)
        // 3,200 batches: without throttling there would be one update each.
        let updates = context.displays.filter(\.update).count
        XCTAssertLessThanOrEqual(Double(updates), seconds / TrainingDisplay.interval + 2, "\(updates) updates in \(seconds) s")
    }

    func testInterrupt_stopsAtTheNextBatch_keepsWeights_andFailsTheCell() throws {
        let s = session()
        guard case .net(let net) = s.variables["net"]! else { return XCTFail() }
        let before = net.network.parameterValues
        let context = RecordingContext()
        // The evaluator checks once before the statement; the engine then once per batch.
        context.cancelAfterChecks = 6
        let outcome = ConvnetInterpreter(session: s).executeRequest(code: "h = train(net, data.train, epochs: 5, batch: 4)", context: context)
        guard case .error(let ename, let evalue, _) = outcome else { return XCTFail("not interrupted: \(outcome)") }
        XCTAssertEqual(ename, "KeyboardInterrupt")
        XCTAssertTrue(evalue.hasPrefix("interrupted after "), evalue)
        XCTAssertNotEqual(net.network.parameterValues, before, "the batches that ran changed the weights")
        XCTAssertNil(s.variables["h"], "the failed cell assigned nothing")
        XCTAssertTrue(context.displays.last!.bundle.data["text/plain"]!.stringValue!.contains("interrupted after"))
        // The net still works in the next cell.
        XCTAssertNoThrow(try s.run("evaluate(net, data.test)", context: RecordingContext()).get())
    }

    func testAdd_thatFailsLater_inTheCell_isUndone() throws {
        let s = session()
        guard case .net(let net) = s.variables["net"]! else { return XCTFail() }
        let layers = net.network.specs.count
        XCTAssertThrowsError(try s.run("add(net, dense(5))\nfail(\"later\")", context: RecordingContext()).get())
        XCTAssertEqual(net.network.specs.count, layers)
        XCTAssertNoThrow(try s.run("add(net, relu())", context: RecordingContext()).get())
        XCTAssertEqual(net.network.specs.count, layers + 1)
    }

    func testMemoryCap_refusesANetBeforeAllocating() {
        let s = LanguageSession(limits: Limits(memoryBytes: 64 << 20))
        let outcome = ConvnetInterpreter(session: s).executeRequest(
            code: "big = sequential(224x224x3, conv(512, 3x3, pad: 1), dense(4096))", context: RecordingContext())
        guard case .error(let ename, let evalue, _) = outcome else { return XCTFail("accepted") }
        XCTAssertEqual(ename, "MemoryError")
        XCTAssertTrue(evalue.contains("memory cap"), evalue)
    }

    func testLimits_fromEnvironment() {
        XCTAssertEqual(Limits.fromEnvironment(["CONVNET_MEMORY_LIMIT": "512MB"]).memoryBytes, 512 << 20)
        XCTAssertEqual(Limits.fromEnvironment(["CONVNET_MEMORY_LIMIT": "2 GB"]).memoryBytes, 2 << 30)
        XCTAssertEqual(Limits.fromEnvironment(["CONVNET_MEMORY_LIMIT": "1000"]).memoryBytes, 1000)
        XCTAssertEqual(Limits.fromEnvironment(["CONVNET_MEMORY_LIMIT": "lots"]).memoryBytes, Limits().memoryBytes)
        // Numbers past Int's range are refused, not converted (Int(1e300) traps).
        for huge in ["1e300GB", "infB", "1e19"] {
            XCTAssertEqual(Limits.fromEnvironment(["CONVNET_MEMORY_LIMIT": huge]).memoryBytes, Limits().memoryBytes, huge)
        }
    }
}
