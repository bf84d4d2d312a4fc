import Foundation
import XCTest

@testable import ConvnetLanguage

/// docs/language.md's built-in section is generated from the built-ins' doc texts;
/// this test fails when they drift apart. `UPDATE_DOCS=1 swift test --filter DocsTests` rewrites it.
final class DocsTests: XCTestCase {
    private var docsURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/language.md")
    }

    func testLanguageDoc_builtinsSection_isInSyncWithDocTexts() throws {
        let text = try String(contentsOf: docsURL, encoding: .utf8)
        let generated = BuiltinReference.markdown()
        guard let begin = text.range(of: BuiltinReference.beginMarker),
            let end = text.range(of: BuiltinReference.endMarker)
        else { return XCTFail("docs/language.md lacks the built-ins markers") }
        let current = String(text[begin.lowerBound..<end.upperBound])
        if current != generated, ProcessInfo.processInfo.environment["UPDATE_DOCS"] == "1" {
            try text.replacingCharacters(in: begin.lowerBound..<end.upperBound, with: generated)
                .write(to: docsURL, atomically: true, encoding: .utf8)
            return
        }
        XCTAssertEqual(current, generated, "docs/language.md is out of date: run UPDATE_DOCS=1 swift test --filter DocsTests")
    }

    func testEveryBuiltin_hasSummaryAndExample_thatParses() throws {
        for b in Builtins.all {
            XCTAssertFalse(b.summary.isEmpty, b.name)
            XCTAssertNoThrow(try Parser.parse(b.example), "\(b.name)'s example does not parse: \(b.example)")
            XCTAssertTrue(b.example.contains(b.name), "\(b.name)'s example does not use it")
        }
        let names = Builtins.all.map(\.name)
        XCTAssertEqual(names.count, Set(names).count, "duplicate built-in names")
        // The DESIGN.md sketch's calls, all present.
        for name in [
            "dataset", "kernel", "convolve", "shape", "sequential", "conv", "maxpool", "avgpool", "dense", "relu",
            "leakyrelu", "sigmoid", "tanh", "softmax", "dropout", "flatten", "add", "summary", "train", "evaluate",
            "predict", "filters", "activations", "confusion", "templates", "save", "load", "show", "print", "input",
            "reset", "vars", "help", "warn", "clear", "sleep", "check", "todo", "exercises", "exercise", "answer", "sgd",
        ] {
            XCTAssertTrue(names.contains(name), "missing built-in \(name)")
        }
    }
}
