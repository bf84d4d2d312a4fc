import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import Pictures

/// The demos' compositions: a convolution step, a layer's maps, figures mixing SVG and pixels.
final class DemoPictureTests: XCTestCase {
    private let step = ConvolutionStepPicture(
        image: [Float](repeating: 0.5, count: 36), imageWidth: 6, imageHeight: 6, imageColorMap: .grey(range: 0...1),
        kernel: [1, 0, 0, 1], kernelWidth: 2, kernelHeight: 2, map: (0..<25).map(Float.init), mapWidth: 5, mapHeight: 5,
        x: 2, y: 1)

    func testConvolutionStep_mapIsFilledUpToThePosition_inReadingOrder() {
        let panel = step.mapPanel()
        let s = PixelImage.legibleScale(width: 5, height: 5, target: ConvolutionStepPicture.panelSide)
        func centre(_ column: Int, _ row: Int) -> PixelColor { panel[1 + column * s + s / 2, 1 + row * s + s / 2] }
        let filled = centre(1, 1)
        XCTAssertTrue(filled.red == filled.green && filled.green == filled.blue, "a computed cell is grey: \(filled)")
        XCTAssertNotEqual(centre(4, 0), ConvolutionStepPicture.pendingColor, "the whole first row is done")
        XCTAssertEqual(centre(3, 1), ConvolutionStepPicture.pendingColor, "the cell after (2, 1) is not")
        XCTAssertEqual(centre(0, 4), ConvolutionStepPicture.pendingColor)
        XCTAssertEqual(panel[1 + 2 * s, 1 + s], ConvolutionStepPicture.windowColor, "the current cell is outlined")
    }

    func testConvolutionStep_windowSitsAtThePositionTimesTheStride_inThePaddedImage() {
        var strided = step
        (strided.stride, strided.pad, strided.x, strided.y) = (2, 1, 1, 2)
        let panel = strided.imagePanel()
        let s = PixelImage.legibleScale(width: 8, height: 8, target: ConvolutionStepPicture.panelSide)
        XCTAssertEqual(panel.width, 8 * s + 2, "the padded image in its frame")
        XCTAssertEqual(panel[1 + 2 * s, 1 + 4 * s], ConvolutionStepPicture.windowColor, "the window's corner at (2, 4)")
        XCTAssertEqual(panel[1 + s / 2, 1 + s / 2], ConvolutionStepPicture.pendingColor, "the padding's zeros")
    }

    func testConvolutionStep_patchProductsAndSum() {
        XCTAssertEqual(step.patch, [0.5, 0.5, 0.5, 0.5])
        XCTAssertEqual(step.products, [0.5, 0, 0, 0.5])
        XCTAssertEqual(step.sum, 1)
        var padded = step
        (padded.pad, padded.x, padded.y) = (1, 0, 0)
        XCTAssertEqual(padded.patch, [0, 0, 0, 0.5], "the window over the corner reads three zeros")
        XCTAssertNoThrow(try step.render().pngData())
    }

    func testLayerMaps_pairsEachFilterWithItsMap_inNumberedColumns() {
        let picture = LayerMapsPicture(
            input: PixelImage(width: 28, height: 28, format: .grey, fill: .black), inputTitle: "input",
            filters: [[1, -1, 0, 0], [0, 0, 1, -1]], filterWidth: 2, filterHeight: 2,
            maps: [[0, 1, 2, 3], [3, 2, 1, 0]], mapWidth: 2, mapHeight: 2, title: "layer 1")
        let image = picture.render()
        XCTAssertEqual(image.format, .rgb, "filters are blue and red")
        XCTAssertGreaterThan(image.width, 28 + 2 * (LayerMapsPicture.cellSide + 2))
        XCTAssertGreaterThan(image.height, 2 * LayerMapsPicture.cellSide, "filters above maps")
        let mapsOnly = LayerMapsPicture(
            input: PixelImage(width: 4, height: 4, format: .grey, fill: .black), inputTitle: "input", filters: [],
            filterWidth: 1, filterHeight: 1, maps: [[0, 1, 2, 3]], mapWidth: 2, mapHeight: 2, title: "layer 4").render()
        XCTAssertLessThan(mapsOnly.height, image.height)
    }

    func testSVGFigure_placesChartsAndPicturesInOneWellFormedDocument() throws {
        let chart = LineChart(title: "loss", series: [.init(name: "loss", y: [2, 1, 0.5])], width: 300, height: 200)
        let down = SVGFigure(title: "a & b", parts: [
            .text("epoch 1 <of 2>", size: 12), .svg(chart.svg(), width: 300, height: 200),
            .picture(PixelImage(width: 50, height: 40, format: .grey, fill: .black)),
        ])
        let svg = try down.svg()
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"316\""), svg)
        XCTAssertTrue(svg.contains("href=\"data:image/png;base64,"))
        XCTAssertTrue(svg.contains("epoch 1 &lt;of 2&gt;"))
        XCTAssertNil(WellFormed(svg).error)
        XCTAssertTrue(svg.contains("translate(8,\(8 + 18 + 8))"), "the chart under the text line")
        let across = try SVGFigure(title: "row", parts: [.svg(chart.svg(), width: 300, height: 200),
                                                         .picture(PixelImage(width: 50, height: 40, format: .grey, fill: .black))],
                                   direction: .across).svg()
        XCTAssertTrue(across.contains("width=\"\(8 + 300 + 8 + 50 + 8)\" height=\"\(8 + 200 + 8)\""), across)
        XCTAssertThrowsError(try SVGFigure(title: "empty", parts: [.picture(PixelImage(width: 0, height: 0, format: .grey, pixels: []))]).svg())
    }

    func testConfusionMatrix_highlightOutlinesTheCell() {
        let chart = ConfusionMatrixChart(counts: [[5, 1], [2, 4]], classNames: ["a", "b"], highlight: (1, 0))
        let svg = chart.svg()
        XCTAssertEqual(svg.components(separatedBy: "stroke=\"#ff7f0e\"").count - 1, 1)
        XCTAssertFalse(ConfusionMatrixChart(counts: [[1]], classNames: ["a"], highlight: (3, 3)).svg().contains("#ff7f0e"),
                       "a cell outside the matrix outlines nothing")
        XCTAssertEqual(chart.size.width, Int(svg.split(separator: "\"")[3])!)
    }
}

/// Whether a document parses as XML.
private final class WellFormed: NSObject, XMLParserDelegate {
    var error: Error?

    init(_ xml: String) {
        super.init()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = self
        if !parser.parse() { error = parser.parserError ?? CocoaError(.coderReadCorrupt) }
    }
}
