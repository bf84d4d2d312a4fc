import XCTest

@testable import Exercises

final class ExerciseProgressTests: XCTestCase {
    func testRecord_countsTriesAndKeepsSolved() {
        var progress = ExerciseProgress()
        XCTAssertEqual(progress.status(of: "volume-cifar"), .notTried)
        progress.record(id: "volume-cifar", verdict: .incorrect(hint: "h"))
        XCTAssertEqual(progress.status(of: "volume-cifar"), .tried(attempts: 1))
        progress.record(id: "volume-cifar", verdict: .correct(message: "ok"))
        progress.record(id: "volume-cifar", verdict: .incorrect(hint: "h"))
        XCTAssertEqual(progress.status(of: "volume-cifar"), .solved(attempts: 3))
    }

    func testRecord_wrongKind_isNotATry() {
        var progress = ExerciseProgress()
        progress.record(id: "pad-same", verdict: .unexpected(message: "expects a number"))
        XCTAssertEqual(progress.status(of: "pad-same"), .notTried)
    }

    func testListing_marksProgress_andCountsSolved() throws {
        let bank = ExerciseBank.standard
        var progress = ExerciseProgress()
        progress.record(id: "volume-cifar", verdict: try bank.check(id: "volume-cifar", answer: .dimensions([26, 26, 20])))
        progress.record(id: "pad-same", verdict: try bank.check(id: "pad-same", answer: .number(4)))
        let lines = bank.listing(progress: progress)
        XCTAssertEqual(lines.count, bank.exercises.count + 1)
        XCTAssertTrue(lines.contains { $0.hasPrefix("[x] volume-cifar") })
        XCTAssertTrue(lines.contains { $0.hasPrefix("[~] pad-same") })
        XCTAssertTrue(lines.last!.hasPrefix("1 of \(bank.exercises.count) solved"))
    }
}
