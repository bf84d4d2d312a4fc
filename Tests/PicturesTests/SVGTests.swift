import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import Pictures

/// Parses an SVG with Foundation's XMLParser: whether it is well-formed, the
/// root's attributes, every text node, and how many of each element there are.
private final class SVGReader: NSObject, XMLParserDelegate {
    var rootAttributes: [String: String] = [:]
    var texts: [String] = []
    var elements: [String: Int] = [:]
    var error: Error?
    private var current = ""

    init(_ svg: String) {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        if !parser.parse() { error = parser.parserError ?? CocoaError(.coderReadCorrupt) }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if elements.isEmpty { rootAttributes = attributes }
        elements[name, default: 0] += 1
        current = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" || name == "title" { texts.append(current) }
        current = ""
    }
}

final class SVGTests: XCTestCase {
    private func lossAndAccuracy() -> LineChart {
        LineChart(
            title: "Training <net B> & co", xLabel: "batch", yLabel: "loss", rightLabel: "accuracy",
            series: [
                .init(name: "loss", y: [2.3, 1.2, 0.8, 0.6, 0.55]),
                .init(name: "accuracy", y: [0.1, 0.55, 0.7, 0.78, 0.81], axis: .right),
            ])
    }

    func testLineChart_isWellFormedWithSizeAndViewBox() throws {
        let reader = SVGReader(lossAndAccuracy().svg())
        XCTAssertNil(reader.error, "the SVG parses as XML")
        XCTAssertEqual(reader.rootAttributes["width"], "640")
        XCTAssertEqual(reader.rootAttributes["height"], "360")
        XCTAssertEqual(reader.rootAttributes["viewBox"], "0 0 640 360")
        XCTAssertEqual(reader.rootAttributes["xmlns"], "http://www.w3.org/2000/svg")
        XCTAssertEqual(reader.elements["polyline"], 2, "one line per series")
    }

    func testLineChart_hasEscapedTitleAxisLabelsLegendAndTicks() {
        let texts = SVGReader(lossAndAccuracy().svg()).texts
        XCTAssertTrue(texts.contains("Training <net B> & co"), "the title survives escaping: \(texts)")
        for expected in ["batch", "loss", "accuracy (right axis)", "0.5", "1", "2.5", "5"] {
            XCTAssertTrue(texts.contains(expected), "missing \(expected) in \(texts)")
        }
    }

    func testLineChart_polylineFollowsTheData() throws {
        let chart = LineChart(title: "t", series: [.init(name: "s", y: [0, 10], x: [0, 10])], width: 240, height: 200)
        let svg = chart.svg()
        // Plot area: x from 64 to 216, y from 56 to 148; (0, 0) is bottom left, (10, 10) top right.
        XCTAssertTrue(svg.contains("points=\"64,148 216,56\""), svg)
    }

    func testLineChart_emptyAndSinglePointAndNaN_stayWellFormed() {
        let empty = LineChart(title: "nothing", series: [.init(name: "loss", y: [])]).svg()
        XCTAssertNil(SVGReader(empty).error)
        XCTAssertTrue(SVGReader(empty).texts.contains("no data yet"))
        let single = LineChart(title: "one", series: [.init(name: "loss", y: [0.7])]).svg()
        XCTAssertEqual(SVGReader(single).elements["circle"], 1)
        let gappy = LineChart(title: "gaps", series: [.init(name: "loss", y: [1, .nan, .infinity, 0.5])]).svg()
        XCTAssertNil(SVGReader(gappy).error)
        XCTAssertFalse(gappy.contains("nan") || gappy.contains("inf"), "no NaN or inf coordinates")
    }

    func testConfusionMatrix_cellsCountsAndClassNames() {
        let names = ["T-shirt/top", "Trouser", "<Bag & Co>"]
        let chart = ConfusionMatrixChart(counts: [[50, 3, 0], [1, 60, 2], [7, 0, 41]], classNames: names)
        let reader = SVGReader(chart.svg())
        XCTAssertNil(reader.error)
        XCTAssertEqual(reader.elements["rect"], 1 + 9, "background plus one cell per pair")
        for count in ["50", "3", "60", "41", "7"] { XCTAssertTrue(reader.texts.contains(count), count) }
        for name in names {
            XCTAssertEqual(reader.texts.filter { $0 == name }.count, 2, "\(name) labels a row and a column")
        }
        XCTAssertTrue(reader.texts.contains("true <Bag & Co>, predicted T-shirt/top: 7 (14.6% of the row)"))
        XCTAssertTrue(reader.texts.contains("predicted class") && reader.texts.contains("true class"))
    }

    func testConfusionMatrix_shadeFollowsTheRowShare() {
        let svg = ConfusionMatrixChart(counts: [[10, 0], [5, 5]], classNames: ["a", "b"]).svg()
        XCTAssertTrue(svg.contains("fill=\"\(ConfusionMatrixChart.css(ConfusionMatrixChart.fullColor))\""), "a full row is darkest")
        XCTAssertTrue(svg.contains("fill=\"#ffffff\""), "an empty cell is white")
        XCTAssertTrue(svg.contains("fill=\"#84a2ca\""), "half a row is halfway: \(svg)")
    }

    func testConfusionMatrix_raggedCountsReadAsZeros() {
        let reader = SVGReader(ConfusionMatrixChart(counts: [[1]], classNames: ["a", "b"]).svg())
        XCTAssertNil(reader.error)
        XCTAssertEqual(reader.texts.filter { $0 == "0" }.count, 3)
    }

    func testEscape_dropsControlCharactersXMLForbids() {
        XCTAssertNil(SVGReader(LineChart(title: "bell \u{7}", series: []).svg()).error)
    }

    func testAxisTicks_roundSteps() {
        XCTAssertEqual(AxisTicks.nice(low: 0.1, high: 0.81).values, [0, 0.2, 0.4, 0.6, 0.8, 1.0])
        XCTAssertEqual(AxisTicks.nice(low: 1, high: 1875, count: 6).values, [0, 500, 1000, 1500, 2000])
        XCTAssertEqual(AxisTicks.label(0.25, step: 0.25), "0.25")
        XCTAssertEqual(AxisTicks.label(1500, step: 500), "1500")
        XCTAssertEqual(AxisTicks.nice(low: 3, high: 3).values.count >= 2, true, "a flat series still gets an axis")
    }

    func testLineChart_longSeriesIsThinnedButKeepsEndsAndExtremes() {
        let noisy = (0..<20000).map { i in Double(i % 2 == 0 ? 1 : 3) - Double(i) / 20000 }
        let thinned = LineChart.thinned(Array(zip(noisy.indices.map(Double.init), noisy)), buckets: 100)
        XCTAssertLessThanOrEqual(thinned.count, 202)
        XCTAssertEqual(thinned.first?.0, 0)
        XCTAssertEqual(thinned.last?.0, 19999)
        XCTAssertEqual(thinned.map(\.1).max(), noisy.max(), "the highest point survives")
        XCTAssertEqual(thinned.map(\.1).min(), noisy.min(), "and the lowest")
        XCTAssertEqual(thinned.map(\.0), thinned.map(\.0).sorted(), "still in x order")
        let svg = LineChart(title: "long", series: [.init(name: "loss", y: noisy)]).svg()
        XCTAssertLessThan(svg.utf8.count, 20_000, "a 20,000-batch curve stays a small SVG")
        XCTAssertNil(SVGReader(svg).error)
    }
}
