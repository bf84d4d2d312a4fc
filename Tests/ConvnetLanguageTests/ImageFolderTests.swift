import Foundation
import Pictures
import XCTest

@testable import ConvnetLanguage

/// A learner's own PNG images reach the language: `images(folder)` and `image(path)`, on
/// files this test writes.
final class ImageFolderTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("image-folder-\(UUID().uuidString)")
        // Two classes of 8x8 images: bright squares and dark ones, one of them in colour.
        for (name, level, count) in [("bright", UInt8(230), 3), ("dark", UInt8(20), 2)] {
            let classFolder = folder.appendingPathComponent("photos/\(name)")
            try FileManager.default.createDirectory(at: classFolder, withIntermediateDirectories: true)
            for i in 0..<count {
                let grey = PixelImage(width: 8, height: 8, format: .grey, pixels: [UInt8](repeating: level, count: 64))
                try Data(grey.pngData()).write(to: classFolder.appendingPathComponent("\(i).png"))
            }
        }
        let colour = PixelImage(
            width: 8, height: 8, format: .rgb, pixels: (0..<64).flatMap { _ in [UInt8(200), 10, 10] })
        try Data(colour.pngData()).write(to: folder.appendingPathComponent("photos/bright/colour.png"))
        let odd = PixelImage(width: 5, height: 8, format: .grey, pixels: [UInt8](repeating: 1, count: 40))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("mixed/a"), withIntermediateDirectories: true)
        try Data(odd.pngData()).write(to: folder.appendingPathComponent("mixed/a/odd.png"))
        let square = PixelImage(width: 8, height: 8, format: .grey, pixels: [UInt8](repeating: 1, count: 64))
        try Data(square.pngData()).write(to: folder.appendingPathComponent("mixed/a/square.png"))
    }

    override func tearDownWithError() throws { try FileManager.default.removeItem(at: folder) }

    /// The cells as a notebook would run them, with their expected outputs.
    func testImagesCells_loadShowTrainAndEvaluate() throws {
        let interpreter = ConvnetInterpreter(session: LanguageSession(limits: Limits(memoryBytes: 1 << 30)))
        let root = folder.path
        let cells: [(code: String, expected: String?)] = [
            ("mine = images(\"\(root)/photos\", depth: 1)\nlen(mine)", "6"),
            ("shape(mine)", "8x8x1"),
            ("[mine[0].class, mine[5].class, mine[5].label]", "[\"bright\", \"dark\", 1]"),
            ("shape(images(\"\(root)/photos\"))", "8x8x3"),
            ("image(\"\(root)/photos/dark/0.png\").volume", "8x8x1"),
            ("net = sequential(8x8x1, dense(2), softmax())\nh = train(net, mine, epochs: 20, batch: 6, optimizer: sgd(lr: 0.5))\nevaluate(net, mine).accuracy", "1"),
        ]
        for (code, expected) in cells {
            let context = RecordingContext()
            switch interpreter.executeRequest(code: code, context: context) {
            case .ok(let result):
                XCTAssertEqual(result?.data["text/plain"]?.stringValue, expected, code)
            case .error(let ename, let evalue, _):
                XCTFail("\(code): \(ename): \(evalue)")
            }
            XCTAssertEqual(context.stderr, "", code)
        }
        XCTAssertTrue(interpreter.executeRequest(code: "show(mine)", context: RecordingContext()) == .ok(result: nil))
    }

    func testImages_badFolders_areClearErrors() {
        let interpreter = ConvnetInterpreter()
        let root = folder.path
        for (code, expected) in [
            ("images(\"\(root)/nowhere\")", "IOError"),
            ("images(\"\(root)/mixed\")", "IOError"),
            ("images(\"\(root)/photos/bright\")", "IOError"),
            ("images(\"\(root)/photos\", depth: 2)", "ValueError"),
            ("image(\"\(root)/photos/dark/0.png\", depth: 2)", "ValueError"),
            ("images(3)", "TypeError"),
        ] {
            guard case .error(let ename, let evalue, _) = interpreter.executeRequest(code: code, context: RecordingContext())
            else { XCTFail("\(code) succeeded"); continue }
            XCTAssertEqual(ename, expected, "\(code): \(evalue)")
            XCTAssertFalse(evalue.isEmpty)
        }
    }
}
