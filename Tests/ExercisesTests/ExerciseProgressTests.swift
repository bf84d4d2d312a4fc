import Foundation
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

/// Progress kept in a file between sessions: written atomically, merged with what another
/// notebook saved, a damaged file set aside with a note, an unwritable folder a note too.
final class ExerciseProgressFileTests: XCTestCase {
    private var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "convnet-progress-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        chmod(folder, 0o755)
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func solvedCifar() throws -> ExerciseProgress {
        var progress = ExerciseProgress()
        progress.record(id: "volume-cifar", verdict: .incorrect(hint: "h"))
        progress.record(id: "volume-cifar", verdict: try ExerciseBank.standard.check(id: "volume-cifar", answer: .dimensions([26, 26, 20])))
        progress.record(id: "pad-same", verdict: .incorrect(hint: "h"))
        return progress
    }

    func testSaveThenLoad_isTheSameProgress_asANewSessionSeesIt() throws {
        let file = ExerciseProgressFile(path: folder + "/deep/er/progress.json")
        let progress = try solvedCifar()
        let saved = file.save(progress)
        XCTAssertNil(saved.note)
        XCTAssertEqual(saved.progress, progress)
        let loaded = file.load()
        XCTAssertNil(loaded.note)
        XCTAssertEqual(loaded.progress, progress)
        XCTAssertEqual(loaded.progress.status(of: "volume-cifar"), .solved(attempts: 2))
        XCTAssertEqual(loaded.progress.status(of: "pad-same"), .tried(attempts: 1))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder + "/deep/er")
        XCTAssertEqual(names, ["progress.json"], "no temporary file is left")
    }

    func testNoFileYet_isEmptyProgress_withoutANote() {
        let loaded = ExerciseProgressFile(path: folder + "/progress.json").load()
        XCTAssertEqual(loaded.progress, ExerciseProgress())
        XCTAssertNil(loaded.note)
    }

    func testSave_mergesWhatAnotherNotebookSavedMeanwhile() throws {
        let file = ExerciseProgressFile(path: folder + "/progress.json")
        _ = file.save(try solvedCifar())
        var other = ExerciseProgress()
        other.record(id: "pad-same", verdict: try ExerciseBank.standard.check(id: "pad-same", answer: .number(2)))
        let merged = file.save(other).progress
        XCTAssertTrue(merged.isSolved("volume-cifar"), "kept from the first notebook")
        XCTAssertTrue(merged.isSolved("pad-same"), "added by the second")
        XCTAssertEqual(file.load().progress, merged)
    }

    func testDamagedFile_isSetAsideWithANote_andANewRecordStarts() throws {
        let path = folder + "/progress.json"
        for damage in ["{\"version\": 1, \"exer", "[1, 2]", "{\"version\": 7, \"exercises\": {}}",
                       "{\"version\": 1, \"exercises\": {\"x\": {\"attempts\": -3, \"solved\": true}}}", "\u{0}\u{1}binary"] {
            try Data(damage.utf8).write(to: URL(fileURLWithPath: path))
            let loaded = ExerciseProgressFile(path: path).load()
            XCTAssertEqual(loaded.progress, ExerciseProgress(), damage)
            let note = try XCTUnwrap(loaded.note, damage)
            XCTAssertTrue(note.contains("was damaged") && note.contains("moved to"), note)
            XCTAssertFalse(FileManager.default.fileExists(atPath: path), "the damaged file is moved, not overwritten")
            let aside = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("progress.json.damaged-") }
            XCTAssertFalse(aside.isEmpty)
            let kept = try String(contentsOfFile: folder + "/" + aside[0], encoding: .utf8)
            XCTAssertFalse(kept.isEmpty, "what was there is kept for the learner")
            for name in aside { try FileManager.default.removeItem(atPath: folder + "/" + name) }
        }
    }

    func testDamagedFileFoundWhenSaving_isSetAsideAndTheNewProgressSaved() throws {
        let path = folder + "/progress.json"
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: path))
        let saved = ExerciseProgressFile(path: path).save(try solvedCifar())
        XCTAssertNotNil(saved.note)
        XCTAssertEqual(ExerciseProgressFile(path: path).load().progress, try solvedCifar())
    }

    func testFolderThatCannotBeMade_keepsProgressInMemoryWithANote() throws {
        FileManager.default.createFile(atPath: folder + "/a-file", contents: Data())
        let file = ExerciseProgressFile(path: folder + "/a-file/progress.json")
        let saved = file.save(try solvedCifar())
        XCTAssertEqual(saved.progress, try solvedCifar())
        XCTAssertTrue(saved.note?.contains("cannot be saved") ?? false, saved.note ?? "no note")
    }

    func testPathFromTheEnvironment() {
        XCTAssertEqual(ExerciseProgressFile(environment: ["CONVNET_PROGRESS": "/p.json", "HOME": "/h"])?.path, "/p.json")
        XCTAssertEqual(ExerciseProgressFile(environment: ["XDG_DATA_HOME": "/d", "HOME": "/h"])?.path, "/d/convnet-kernel/progress.json")
        XCTAssertEqual(ExerciseProgressFile(environment: ["HOME": "/h"])?.path, "/h/.local/share/convnet-kernel/progress.json")
        XCTAssertNil(ExerciseProgressFile(environment: ["CONVNET_PROGRESS": "off", "HOME": "/h"]))
        XCTAssertNil(ExerciseProgressFile(environment: [:]))
    }

    func testManyConcurrentSaves_loseNoSolvedExercise() throws {
        let path = folder + "/progress.json"
        let ids = ExerciseBank.standard.exercises.prefix(8).map(\.id)
        DispatchQueue.concurrentPerform(iterations: ids.count) { i in
            var progress = ExerciseProgress()
            progress.record(id: ids[i], verdict: .correct(message: "ok"))
            _ = ExerciseProgressFile(path: path).save(progress)
        }
        let loaded = ExerciseProgressFile(path: path).load().progress
        XCTAssertEqual(ids.filter { loaded.isSolved($0) }, ids)
    }
}
