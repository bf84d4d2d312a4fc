import Convnet
import Foundation
import Pictures
import XCTest

@testable import ConvnetLanguage
import JupyterProtocol

/// The demos' values hold the right numbers, and show as the pictures they promise.
final class DemoTests: XCTestCase {
    private func run(_ session: LanguageSession, _ code: String, _ context: RecordingContext = RecordingContext()) throws -> Value? {
        switch session.run(code, context: context) {
        case .success(let v): return v
        case .failure(let e): throw e
        }
    }

    private func record(_ value: Value?) throws -> Record {
        guard case .record(let r)? = value else { throw XCTSkip("expected a record, got \(String(describing: value))") }
        return r
    }

    private func image(_ r: Record, _ name: String) throws -> ImageValue {
        guard case .image(let i)? = r[name] else { throw XCTSkip("no image \(name)") }
        return i
    }

    func testConvolutionStep_sumIsTheMapsValueThere_andTheWeightedSumOfThePatch() throws {
        let session = LanguageSession()
        session.variables["data"] = .record(FuzzTests.tinyData())
        for (x, y, stride, pad) in [(10, 12, 1, 0), (0, 0, 1, 2), (27, 27, 1, 1), (6, 3, 2, 1)] {
            let r = try record(try run(session, "convolution_step(data.test[1], filter(\"sobel-y\"), \(x), \(y), stride: \(stride), pad: \(pad))"))
            let map = try image(r, "map")
            let expected = try XCTUnwrap(try run(session, "convolve(data.test[1], filter(\"sobel-y\"), stride: \(stride), pad: \(pad))"))
            XCTAssertEqual(Value.image(map), expected, "the whole map is convolve's")
            guard case .number(let sum)? = r["sum"] else { return XCTFail("no sum") }
            XCTAssertEqual(Float(sum), map.values[y * map.volume.width + x], accuracy: 1e-5, "at \(x), \(y)")
            let patch = try image(r, "patch"), products = try image(r, "products"), kernel = try image(r, "kernel")
            XCTAssertEqual(products.values, zip(patch.values, kernel.values).map { $0 * $1 })
            XCTAssertEqual(products.values.reduce(0, +), Float(sum), accuracy: 1e-5)
        }
    }

    func testConvolutionStep_patchReadsZerosInThePadding() throws {
        let session = LanguageSession()
        _ = try run(session, "m = kernel([[1, 2], [3, 4]])")
        let r = try record(try run(session, "convolution_step(m, kernel([[1, 1], [1, 1]]), 0, 0, pad: 1)"))
        XCTAssertEqual(try image(r, "patch").values, [0, 0, 0, 1])
        XCTAssertEqual(r["sum"], .number(1))
    }

    func testLayerMaps_areTheConvLayersOutputs_withItsFilters() throws {
        let session = LanguageSession()
        session.variables["data"] = .record(FuzzTests.tinyData())
        _ = try run(session, "net = sequential(28x28x1, conv(4, 5x5), relu(), dense(10), softmax())")
        let r = try record(try run(session, "layer_maps(net, data.test[0])"))
        guard case .gallery(let maps)? = r["maps"], case .gallery(let filters)? = r["filters"] else { return XCTFail() }
        let all = try XCTUnwrap(try run(session, "activations(net, data.test[0])"))
        guard case .gallery(let layers) = all else { return XCTFail() }
        XCTAssertEqual(maps.sections[0].images.map(\.values), layers.sections[1].images.map(\.values), "layer 1's outputs")
        guard case .gallery(let learned) = try XCTUnwrap(try run(session, "filters(net, 1)")) else { return XCTFail() }
        XCTAssertEqual(filters.sections[0].images.map(\.values), learned.sections[0].images.map(\.values))
        let png = Display.bundle(for: .record(r))
        XCTAssertNotNil(png.data["image/png"])
        XCTAssertEqual(png.metadata["image/png"]?["alt"], png.data["text/plain"])
    }

    func testTrainWatching_redrawsTheTrainingViewInPlace() throws {
        let session = LanguageSession()
        session.variables["data"] = .record(FuzzTests.tinyData())
        let context = RecordingContext()
        _ = try run(session, "net = sequential(28x28x1, conv(2, 5x5), relu(), dense(10), softmax())\ntrain(net, data.train, epochs: 3, batch: 4, watch: data.test[0])", context)
        let displays = context.displays
        XCTAssertGreaterThanOrEqual(displays.count, 2)
        XCTAssertEqual(Set(displays.map(\.displayID)).count, 1, "one display, updated in place")
        let last = try XCTUnwrap(displays.last)
        let svg = try XCTUnwrap(last.bundle.data["image/svg+xml"]?.stringValue)
        XCTAssertTrue(svg.contains("<title>loss and accuracy</title>"), "the chart")
        XCTAssertTrue(svg.contains("href=\"data:image/png;base64,"), "the filters and maps")
        let text = try XCTUnwrap(last.bundle.data["text/plain"]?.stringValue)
        XCTAssertTrue(text.contains("done: 12 batches"), text)
        XCTAssertTrue(text.contains("layer 1: conv 2 5x5"), text)
        XCTAssertEqual(last.bundle.metadata["image/svg+xml"]?["alt"], last.bundle.data["text/plain"])
    }

    func testConfusionExamples_areTheImagesOfThatCell() throws {
        let session = LanguageSession()
        session.variables["data"] = .record(FuzzTests.tinyData())
        _ = try run(session, "net = sequential(28x28x1, dense(10), softmax())\nm = confusion(net, data.test)\np = predict(net, data.test)")
        guard case .list(let predictions)? = session.variables["p"], case .confusion(let matrix)? = session.variables["m"],
              case .dataset(let test)? = try run(session, "data.test") else { return XCTFail() }
        var checked = 0
        for actual in 0..<10 {
            for predicted in 0..<10 {
                let r = try record(try run(session, "confusion_examples(m, \(actual), \(predicted))"))
                let expected = test.labels.indices.filter { test.labels[$0] == actual && predictions[$0] == .number(Double(predicted)) }
                XCTAssertEqual(r["indices"], .list(expected.map { .number(Double($0)) }))
                XCTAssertEqual(r["count"], .number(Double(matrix.counts[actual][predicted])))
                checked += expected.count
            }
        }
        XCTAssertEqual(checked, test.count, "every image is in one cell")
        let bundle = Display.bundle(for: try XCTUnwrap(try run(session, "confusion_examples(m, 0, 0)")))
        let svg = try XCTUnwrap(bundle.data["image/svg+xml"]?.stringValue)
        XCTAssertTrue(svg.contains("stroke=\"#ff7f0e\""), "the cell is outlined in the matrix")
    }
}
