import Convnet
import Foundation
import Jupyter
import XCTest

@testable import ConvnetLanguage

/// Golden tests of the mime bundles each kind of value displays.
final class DisplayTests: XCTestCase {
    private func run(_ session: LanguageSession, _ code: String, _ context: RecordingContext = RecordingContext()) throws -> Value? {
        switch session.run(code, context: context) {
        case .success(let v): return v
        case .failure(let e): throw e
        }
    }

    private func decodePNG(_ bundle: MimeBundle) throws -> PNGReader.Image {
        let base64 = try XCTUnwrap(bundle.data["image/png"]?.stringValue)
        let bytes = try XCTUnwrap(Data(base64Encoded: base64))
        return try PNGReader.decode([UInt8](bytes))
    }

    func testImage_isNearestNeighbourUpscaledPNG_withTextTwin() throws {
        let image = ImageValue(volume: Volume(2, 2, 1), values: [0, 1, 1, 0], label: 3, labelName: "Dress")
        let bundle = Display.bundle(for: .image(image))
        XCTAssertEqual(bundle.data["text/plain"], "image 2x2x1 (Dress)\n  0 1\n  1 0")
        let png = try decodePNG(bundle)
        XCTAssertEqual(png.volume, Volume(160, 160, 1))
        XCTAssertEqual(bundle.metadata["image/png"], ["width": 160, "height": 160])
        // Each source pixel is an 80x80 block: top-left black, top-right white.
        XCTAssertEqual(png.pixels[0], 0)
        XCTAssertEqual(png.pixels[79], 0)
        XCTAssertEqual(png.pixels[80], 255)
        XCTAssertEqual(png.pixels[159 * 160 + 159], 0)
    }

    func testKernel_isDivergingColour_blueNegativeRedPositive() throws {
        let session = LanguageSession()
        let value = try XCTUnwrap(try run(session, "kernel([[-1, 0, 1]])"))
        let bundle = Display.bundle(for: value)
        XCTAssertEqual(bundle.data["text/plain"], "kernel 3x1x1\n  -1  0  1")
        let png = try decodePNG(bundle)
        XCTAssertEqual(png.volume.depth, 3)
        let w = png.volume.width, plane = png.volume.width * png.volume.height
        let left = (png.pixels[0], png.pixels[plane], png.pixels[2 * plane])
        let middle = (png.pixels[w / 2], png.pixels[plane + w / 2], png.pixels[2 * plane + w / 2])
        let right = (png.pixels[w - 1], png.pixels[plane + w - 1], png.pixels[2 * plane + w - 1])
        XCTAssertTrue(left.2 > left.0, "negative should be blue: \(left)")
        XCTAssertEqual(middle.0, 255)
        XCTAssertTrue(right.0 > right.2, "positive should be red: \(right)")
    }

    func testTable_htmlAndPlainTwins() {
        let table = Table(title: nil, columns: ["name", "n"], rows: [["a<b", "1"], ["cc", "22"]], footer: "two rows", numericColumns: [1])
        let bundle = Display.bundle(for: .table(table))
        XCTAssertEqual(bundle.data["text/plain"], "name   n\n----  --\na<b    1\ncc    22\ntwo rows")
        XCTAssertEqual(
            bundle.data["text/html"],
            .string("<table>\n<thead><tr><th style=\"text-align: left\">name</th><th style=\"text-align: right\">n</th></tr></thead>\n"
                + "<tbody>\n<tr><td style=\"text-align: left\">a&lt;b</td><td style=\"text-align: right\">1</td></tr>\n"
                + "<tr><td style=\"text-align: left\">cc</td><td style=\"text-align: right\">22</td></tr>\n</tbody>\n"
                + "<tfoot><tr><td colspan=\"2\">two rows</td></tr></tfoot>\n</table>"))
    }

    func testVars_isATableOfNameKindVolume() throws {
        let session = LanguageSession()
        _ = try run(session, "size = 24x24x8\nlr = 0.01")
        let bundle = Display.bundle(for: try XCTUnwrap(try run(session, "vars()")))
        XCTAssertEqual(
            bundle.data["text/plain"],
            "name  kind    volume   value\n----  ------  -------  -------\nsize  volume  24x24x8  24x24x8\nlr    number           0.01")
        XCTAssertNotNil(bundle.data["text/html"])
    }

    func testGallery_ofADataSetSlice_isOnePNGWithLabels() throws {
        let session = LanguageSession()
        session.variables["data"] = .record(FuzzTests.tinyData())
        let value = try XCTUnwrap(try run(session, "data.test[0:4]"))
        let bundle = Display.bundle(for: value)
        XCTAssertEqual(bundle.data["text/plain"], "dataset \"tiny test[0:4]\": 4 images of 28x28x1, 10 classes")
        let png = try decodePNG(bundle)
        // Four 28x28 images at 2x (56 px) with 4 px gaps, one row, a label line under them.
        XCTAssertEqual(png.volume.width, 4 + 4 * (56 + 4))
        XCTAssertEqual(png.volume.height, 4 + 56 + BitmapFontHeight.labelLine + 4)
    }

    func testShow_sendsDisplayData_andNoResult() throws {
        let session = LanguageSession()
        session.variables["data"] = .record(FuzzTests.tinyData())
        let context = RecordingContext()
        XCTAssertNil(try run(session, "show(data.test[0:3])", context))
        XCTAssertEqual(context.displays.count, 1)
        XCTAssertNotNil(context.displays[0].bundle.data["image/png"])
        XCTAssertNil(context.displays[0].displayID)
    }

    func testHistoryAndConfusion_areSVGCharts_withTextTwins() throws {
        let session = LanguageSession()
        session.variables["data"] = .record(FuzzTests.tinyData())
        _ = try run(session, "net = sequential(28x28x1, dense(10), softmax())\nh = train(net, data.train, epochs: 2, batch: 8)")
        let history = Display.bundle(for: session.variables["h"]!)
        XCTAssertTrue(history.data["image/svg+xml"]!.stringValue!.hasPrefix("<svg"))
        let plain = history.data["text/plain"]!.stringValue!
        XCTAssertTrue(plain.hasPrefix("training history: 4 of 4 batches, 32 images, last epoch loss "), plain)
        XCTAssertTrue(plain.contains("epoch  "), plain)
        let confusion = Display.bundle(for: try XCTUnwrap(try run(session, "confusion(net, data.test)")))
        XCTAssertTrue(confusion.data["image/svg+xml"]!.stringValue!.contains("<svg"))
        let lines = confusion.data["text/plain"]!.stringValue!.split(separator: "\n")
        XCTAssertEqual(lines.count, 2 + 10 + 1)
        XCTAssertTrue(lines[0].hasPrefix("true \\ predicted"))
        XCTAssertTrue(lines.last!.hasPrefix("accuracy "))
    }

    func testEvaluation_isATable_withSummaryText() throws {
        let session = LanguageSession()
        session.variables["data"] = .record(FuzzTests.tinyData())
        _ = try run(session, "net = sequential(28x28x1, dense(10), softmax())")
        let bundle = Display.bundle(for: try XCTUnwrap(try run(session, "evaluate(net, data.test)")))
        XCTAssertTrue(bundle.data["text/plain"]!.stringValue!.hasPrefix("accuracy "))
        XCTAssertTrue(bundle.data["text/html"]!.stringValue!.contains(">accuracy</td>"))
    }
}

/// The height of a label line under grid images (the bitmap font's line plus its margin).
enum BitmapFontHeight {
    static let labelLine = 9 + 2
}
