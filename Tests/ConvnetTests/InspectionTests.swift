import XCTest
@testable import Convnet

final class InspectionTests: XCTestCase {
    func testActivations_giveEveryLayersOutput_withItsVolume() throws {
        let net = try Network(input: Volume(28, 28, 1), layers: [.conv(filters: 8, size: 5), .relu, .maxpool(size: 2), .dense(units: 10)])
        let image = (0..<784).map { Float($0 % 28) / 28 - 0.5 }
        let maps = try net.activations(for: image)
        XCTAssertEqual(maps.map { $0.volume! }, [Volume(28, 28, 1), Volume(24, 24, 8), Volume(24, 24, 8), Volume(12, 12, 8), Volume(1, 1, 10)])
        XCTAssertEqual(maps[0].values, image)
        XCTAssert(maps[2].values.allSatisfy { $0 >= 0 }, "relu output is never negative")
        // The conv output at (0, 0) of filter 0 is the dot product of the filter with the top-left 5x5 patch.
        let (weights, biases) = try net.filters(layer: 1)
        XCTAssertEqual(weights.shape, [8, 1, 5, 5])
        XCTAssertEqual(weights.layout, .filterChannelsRowsColumns)
        var dot = ExactSums(count: 1)
        dot.add(Double(biases.values[0]), at: 0)
        for ky in 0..<5 { for kx in 0..<5 { dot.add(Double(weights.values[ky * 5 + kx]) * Double(image[ky * 28 + kx]), at: 0) } }
        assertWithinRounding([maps[1].values[0]], dot, "conv output (0, 0) of filter 0")
    }

    func testFilters_ofALayerWithoutWeights_orOutsideTheNet_areRefused() throws {
        let net = try Network(input: Volume(4, 4, 1), layers: [.relu, .dense(units: 2)])
        XCTAssertThrowsError(try net.filters(layer: 1)) { XCTAssert("\($0)".contains("relu has no weights"), "\($0)") }
        XCTAssertThrowsError(try net.filters(layer: 3)) { XCTAssert("\($0)".contains("layers 1 to 2"), "\($0)") }
        XCTAssertEqual(try net.filters(layer: 2).weights.shape, [2, 16])
    }

    func testSetFilters_thenPredict_usesThem() throws {
        let net = try Network(input: Volume(1, 1, 2), layers: [.dense(units: 2), .softmax])
        try net.setFilters(layer: 1, weights: [1, 0, 0, 1], biases: [0, 0])
        let p = try net.predict([2, 0])
        XCTAssertEqual(p.label, 0)
        XCTAssertEqual(p.probabilities[0], Float(exp(2.0) / (exp(2.0) + 1)), accuracy: 1e-6)
        XCTAssertThrowsError(try net.predict([1, 2, 3]))
    }

    func testPredictAndEvaluate_agree() throws {
        let data = syntheticImages()
        let net = try Network(input: data.volume, layers: [.conv(filters: 2, size: 3), .relu, .dense(units: 10)])
        let predictions = try predict(net, data, batchSize: 7)
        let evaluation = try evaluate(net, on: data, batchSize: 13)
        let right = zip(predictions, data.labels).filter { $0.label == $1 }.count
        XCTAssertEqual(evaluation.accuracy, Double(right) / 100)
        XCTAssertEqual(evaluation.count, 100)
        XCTAssert(predictions.allSatisfy { abs($0.probabilities.reduce(0, +) - 1) < 1e-5 })
        XCTAssertEqual(evaluation.confusion.flatMap { $0 }.reduce(0, +), 100)
    }

    func testImageScaling_isExplicit() {
        let data = Dataset(name: "one", volume: Volume(2, 1, 1), pixels: [0, 255], labels: [0], classNames: ["a"])
        XCTAssertEqual(data.image(0), [-0.5, 0.5])
        XCTAssertEqual(data.image(0, scaling: .unit), [0, 1])
        XCTAssertEqual(data.image(0, scaling: PixelScaling(scale: 2, offset: 1)), [1, 511])
    }
}
