import Convnet
import Foundation
import Pictures
import XCTest

@testable import ConvnetLanguage
import JupyterProtocol

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
        XCTAssertEqual(bundle.metadata["image/png"], ["width": 160, "height": 160, "alt": "image 2x2x1 (Dress)\n  0 1\n  1 0"])
        // Each source pixel is an 80x80 block: top-left black, top-right white.
        XCTAssertEqual(png.pixels[0], 0)
        XCTAssertEqual(png.pixels[79], 0)
        XCTAssertEqual(png.pixels[80], 255)
        XCTAssertEqual(png.pixels[159 * 160 + 159], 0)
    }

    /// RGB of pixel (x, y) of a decoded colour PNG (planes stored CHW).
    private func rgb(_ png: PNGReader.Image, _ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8) {
        let plane = png.volume.width * png.volume.height, i = y * png.volume.width + x
        return (png.pixels[i], png.pixels[plane + i], png.pixels[2 * plane + i])
    }

    func testKernel_isDivergingColour_blueNegativeRedPositive_withItsNumbers() throws {
        let session = LanguageSession()
        let value = try XCTUnwrap(try run(session, "kernel([[-1, 0, 1]])"))
        let bundle = Display.bundle(for: value)
        XCTAssertEqual(bundle.data["text/plain"], "kernel 3x1x1\n  -1  0  1")
        let png = try decodePNG(bundle)
        XCTAssertEqual(png.volume, Volume(3 * 49 + 1, 49 + 1, 3), "48 px cells with 1 px lines")
        let left = rgb(png, 3, 3), middle = rgb(png, 52, 3), right = rgb(png, 101, 3)
        XCTAssertTrue(left.2 > left.0, "negative should be blue: \(left)")
        XCTAssertTrue(middle == (255, 255, 255), "zero is white: \(middle)")
        XCTAssertTrue(right.0 > right.2, "positive should be red: \(right)")
        XCTAssertTrue(rgb(png, 0, 3) == (190, 190, 190) && rgb(png, 49, 3) == (190, 190, 190), "grey lines keep the white cell visible")
        let middleCell = (1..<49).flatMap { y in (50..<98).map { rgb(png, $0, y).0 } }
        XCTAssertTrue(middleCell.contains { $0 < 60 }, "the 0 is written in dark ink on its white cell")
    }

    func testNonNegativeMatrix_isGreyFromZero_andItsPoolingToo() throws {
        let session = LanguageSession()
        _ = try run(session, "m = kernel([[1, 3, 2, 0], [5, 6, 1, 8], [0, 2, 4, 1], [3, 1, 0, 2]])")
        let matrix = Display.bundle(for: session.variables["m"]!)
        XCTAssertEqual(matrix.data["text/plain"], "kernel 4x4x1\n  1 3 2 0\n  5 6 1 8\n  0 2 4 1\n  3 1 0 2")
        let png = try decodePNG(matrix)
        XCTAssertTrue(rgb(png, 3 * 49 + 2, 2) == (0, 0, 0), "0 is black")
        XCTAssertTrue(rgb(png, 3 * 49 + 2, 49 + 2) == (255, 255, 255), "8, the largest, is white")
        let pooled = Display.bundle(for: try XCTUnwrap(try run(session, "maxpool(m, 2x2)")))
        XCTAssertEqual(pooled.data["text/plain"]?.stringValue?.hasSuffix("\n  6 8\n  3 4"), true)
        let pooledPNG = try decodePNG(pooled)
        XCTAssertEqual(pooledPNG.volume.width, 2 * 49 + 1)
        let three = rgb(pooledPNG, 2, 49 + 2)
        XCTAssertTrue(three.0 == three.2 && three.0 == UInt8((255 * 3.0 / 8).rounded()), "grey scale from 0: \(three)")
    }

    func testLearnedFilter_plainTextAlignsThreeDecimals() throws {
        let image = ImageValue(volume: Volume(2, 2, 1), values: [0.5, -0.125, 1, 0.0625], tone: .signed)
        XCTAssertEqual(Display.bundle(for: .image(image)).data["text/plain"], "kernel 2x2x1\n   0.500 -0.125\n   1.000  0.062")
    }

    func testFilters_areDrawnLegiblyLarge_inFrames() throws {
        let session = LanguageSession()
        let bundle = Display.bundle(for: try XCTUnwrap(try run(session, "filters(sequential(28x28x1, conv(8, 5x5), relu()), 1)")))
        let png = try decodePNG(bundle)
        // 8 filters of 5x5 at 16x (80 px) plus a 1 px frame, 4 px gaps, in one row under a title line.
        XCTAssertEqual(png.volume.width, 4 + 8 * (80 + 2 + 4))
        let titleHeight = 9 + 4
        XCTAssertTrue(rgb(png, 4, titleHeight + 4) == (190, 190, 190), "the frame's corner")
    }

    func testActivations_softmaxIsABarChartOfTheClasses() throws {
        let session = LanguageSession()
        session.variables["data"] = .record(FuzzTests.tinyData())
        _ = try run(session, "net = sequential(28x28x1, conv(2, 5x5), relu(), dense(10), softmax())\ntrain(net, data.train, epochs: 1, batch: 8)")
        let context = RecordingContext()
        let value = try XCTUnwrap(try run(session, "activations(net, data.test[0])", context))
        guard case .gallery(let gallery) = value else { return XCTFail("expected a gallery, got \(value)") }
        let last = try XCTUnwrap(gallery.sections.last)
        XCTAssertEqual(last.barNames, (0..<10).map { "class \($0)" })
        XCTAssertNil(gallery.sections[gallery.sections.count - 2].barNames, "dense outputs stay a strip of values")
        let probabilities = last.images[0].values
        let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] }!
        let plain = Display.bundle(for: value).data["text/plain"]!.stringValue!
        XCTAssertTrue(plain.contains("\n  predicted: class \(best) \(String(format: "%.2f", probabilities[best])), "), plain)
        let png = try decodePNG(Display.bundle(for: value))
        let barsHeight = 10 * ProbabilityBars.rowHeight + 4
        XCTAssertGreaterThan(png.volume.height, barsHeight)
        // The bottom of the picture is the chart: the top class in the highlight blue (31, 119, 180).
        let bottom = (png.volume.height - barsHeight..<png.volume.height).flatMap { y in (0..<png.volume.width).map { rgb(png, $0, y) } }
        XCTAssertTrue(bottom.contains { $0 == (31, 119, 180) })
        let bytes = try XCTUnwrap(Data(base64Encoded: Display.bundle(for: value).data["image/png"]!.stringValue!))
        XCTAssertEqual(bytes[25], 3, "grey maps and coloured bars still fit a palette PNG")
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
        guard case .confusion(let matrix) = try XCTUnwrap(try run(session, "confusion(net, data.test)")) else { return XCTFail() }
        XCTAssertTrue(confusion.data["image/svg+xml"]!.stringValue!.contains("accuracy \(String(format: "%.4f", matrix.accuracy))"),
                      "the chart's title gives the accuracy")
        let lines = confusion.data["text/plain"]!.stringValue!.split(separator: "\n")
        XCTAssertEqual(lines.count, 2 + 10 + 1)
        XCTAssertTrue(lines[0].hasPrefix("true \\ predicted"))
        XCTAssertTrue(lines.last!.hasPrefix("accuracy "))
    }

    func testLiveTrainingDisplay_endsWithPicturesLossAndAccuracyChart() throws {
        let session = LanguageSession()
        session.variables["data"] = .record(FuzzTests.tinyData())
        let context = RecordingContext()
        _ = try run(session, "net = sequential(28x28x1, dense(10), softmax())\ntrain(net, data.train, epochs: 2, batch: 8)", context)
        let last = try XCTUnwrap(context.displays.last)
        XCTAssertTrue(last.update, "the last display updates the first in place")
        let html = try XCTUnwrap(last.bundle.data["text/html"]?.stringValue)
        let svg = try XCTUnwrap(html.range(of: "<svg"), html)
        XCTAssertTrue(html[svg.lowerBound...].contains("<title>loss and accuracy</title>"), "the chart is Pictures' LineChart")
        XCTAssertEqual(html.components(separatedBy: "<polyline").count - 1, 2, "a loss and an accuracy curve")
        XCTAssertTrue(html.hasSuffix("</svg></div>"), html)
    }

    /// Every picture the language makes carries its text/plain twin as alternative text.
    func testEveryPicture_hasItsTextAsAltText() throws {
        let session = LanguageSession()
        session.variables["data"] = .record(FuzzTests.tinyData())
        _ = try run(session, "net = sequential(28x28x1, conv(2, 5x5), relu(), dense(10), softmax())\nh = train(net, data.train, epochs: 1, batch: 8)")
        let cells = [
            "data.test[0]", "kernel([[-1, 0, 1]])", "data.test[0:3]", "filters(net, 1)", "activations(net, data.test[0])",
            "h", "confusion(net, data.test)", "convolve(data.test[0], kernel([[1, 0], [0, -1]]))",
            "activations(net, data.test[0])[1][0]",
        ]
        var kinds = Set<String>()
        for cell in cells {
            let bundle = Display.bundle(for: try XCTUnwrap(try run(session, cell), cell))
            let pictures = ["image/png", "image/svg+xml"].filter { bundle.data[$0] != nil }
            XCTAssertFalse(pictures.isEmpty, "\(cell) shows no picture")
            for kind in pictures {
                kinds.insert(kind)
                guard case .object(let fields)? = bundle.metadata[kind] else { XCTFail("\(cell): no \(kind) metadata"); continue }
                XCTAssertEqual(fields["alt"], bundle.data["text/plain"], "\(cell): the alt text is the text/plain twin")
            }
        }
        XCTAssertEqual(kinds, ["image/png", "image/svg+xml"])
        let deep = ImageValue(volume: Volume(3, 3, 5), values: [Float](repeating: 0.5, count: 45), tone: .activation)
        let slices = Display.bundle(for: .image(deep))
        XCTAssertEqual(slices.metadata["image/png"]?["alt"], slices.data["text/plain"], "a re-texted bundle re-texts its alt")
    }

    func testEvaluation_isATable_withSummaryText() throws {
        let session = LanguageSession()
        session.variables["data"] = .record(FuzzTests.tinyData())
        _ = try run(session, "net = sequential(28x28x1, dense(10), softmax())")
        let bundle = Display.bundle(for: try XCTUnwrap(try run(session, "evaluate(net, data.test)")))
        XCTAssertTrue(bundle.data["text/plain"]!.stringValue!.hasPrefix("accuracy "))
        let html = bundle.data["text/html"]!.stringValue!
        XCTAssertTrue(html.contains(">accuracy</td>"), html)
        let loss = try XCTUnwrap(html.range(of: #">loss</td><td[^>]*>([0-9.]+)</td>"#, options: .regularExpression), html)
        XCTAssertTrue(html[loss].contains(#/>\d+\.\d{4}</td>$/#), "loss to 4 decimals: \(html[loss])")
        XCTAssertTrue(html.range(of: #">count</td><td[^>]*>16</td>"#, options: .regularExpression) != nil, html)
    }
}

/// The height of a label line under grid images (the bitmap font's line plus its margin).
enum BitmapFontHeight {
    static let labelLine = 9 + 2
}
