import Foundation
import XCTest

@testable import ConvnetLanguage
import JupyterProtocol

/// Runs every cell file in Cells/: the language's tests as data.
///
/// A file is a notebook: cells separated by `#%%` lines, run in order in one
/// session. Expectations are comments in the cell itself:
///
///     # result: 6              the execute_result's text/plain (several lines join with newlines)
///     # result-contains: hint  part of the execute_result's text/plain
///     # stdout: hi             a line of stdout (all of them, in order)
///     # stderr: careful        a line of stderr
///     # error: NameError: 'x' is not defined    ename: evalue, exactly
///     # error-contains: did you mean           part of the evalue
///     # error-at: 2:5          line:column of the caret
///     # mime: image/png        the result carries this mime type
///
/// A cell without `# result:` must send no execute_result; without `# error`, it must
/// succeed; without `# stderr:`, it must write nothing to stderr.
final class CellFileTests: XCTestCase {
    func testCellFiles() throws {
        let folder = try XCTUnwrap(Bundle.module.url(forResource: "Cells", withExtension: nil))
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "cells" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        XCTAssertFalse(files.isEmpty, "no cell files found in \(folder.path)")
        var cellCount = 0
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let interpreter = ConvnetInterpreter(session: LanguageSession(limits: Limits(memoryBytes: 1 << 30)))
            for (number, cell) in cells(in: text).enumerated() {
                cellCount += 1
                check(cell, interpreter: interpreter, where: "\(file.lastPathComponent) cell \(number + 1)")
            }
        }
        print("ran \(cellCount) cells from \(files.count) files")
    }

    private func cells(in text: String) -> [String] {
        var cells: [String] = []
        var current: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("#%%") {
                if current.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                    cells.append(current.joined(separator: "\n"))
                }
                current = []
            } else {
                current.append(String(line))
            }
        }
        if current.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            cells.append(current.joined(separator: "\n"))
        }
        return cells
    }

    private func expectations(_ cell: String, _ key: String) -> [String] {
        cell.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let marker = "# \(key):"
            guard trimmed.hasPrefix(marker) else { return nil }
            var rest = String(trimmed.dropFirst(marker.count))
            if rest.hasPrefix(" ") { rest.removeFirst() }
            return rest
        }
    }

    private func check(_ cell: String, interpreter: ConvnetInterpreter, where place: String) {
        let context = RecordingContext()
        let outcome = interpreter.executeRequest(code: cell, context: context)
        let results = expectations(cell, "result")
        let resultContains = expectations(cell, "result-contains")
        let stdout = expectations(cell, "stdout")
        let stderr = expectations(cell, "stderr")
        let error = expectations(cell, "error").first
        let errorContains = expectations(cell, "error-contains")
        let errorAt = expectations(cell, "error-at").first
        let mimes = expectations(cell, "mime")
        let expectsError = error != nil || !errorContains.isEmpty || errorAt != nil

        XCTAssertEqual(context.stdout, stdout.map { $0 + "\n" }.joined(), "stdout of \(place)")
        XCTAssertEqual(context.stderr, stderr.map { $0 + "\n" }.joined(), "stderr of \(place)")
        switch outcome {
        case .ok(let result):
            XCTAssertFalse(expectsError, "\(place) succeeded but should fail:\n\(cell)")
            for part in resultContains {
                let text = result?.data["text/plain"]?.stringValue ?? ""
                XCTAssertTrue(text.contains(part), "result of \(place) is '\(text)', lacks '\(part)'")
            }
            if results.isEmpty && resultContains.isEmpty {
                XCTAssertNil(result, "\(place) should send no execute_result, sent \(String(describing: result?.data["text/plain"]))")
            } else if !results.isEmpty {
                XCTAssertEqual(result?.data["text/plain"]?.stringValue, results.joined(separator: "\n"), "result of \(place)")
            }
            for mime in mimes {
                XCTAssertNotNil(result?.data[mime], "\(place) result lacks \(mime)")
            }
        case .error(let ename, let evalue, let traceback):
            XCTAssertTrue(expectsError, "\(place) failed: \(traceback.joined(separator: "\n"))")
            if let error { XCTAssertEqual("\(ename): \(evalue)", error, "error of \(place)") }
            for part in errorContains {
                XCTAssertTrue(evalue.contains(part), "error of \(place) is '\(evalue)', lacks '\(part)'")
            }
            if let errorAt {
                XCTAssertTrue(
                    traceback.first?.hasSuffix("line \(errorAt.replacingOccurrences(of: ":", with: ", column "))") ?? false,
                    "error of \(place) is at '\(traceback.first ?? "")', expected \(errorAt)")
            }
            XCTAssertFalse(traceback.isEmpty)
        }
    }
}
