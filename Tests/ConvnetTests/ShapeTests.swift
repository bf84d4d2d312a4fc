import XCTest
@testable import Convnet

final class ShapeTests: XCTestCase {
    func testChapter_conv8_5x5_on28x28x1_gives24x24x8() throws {
        XCTAssertEqual(try LayerSpec.conv(filters: 8, size: 5).outputVolume(for: Volume(28, 28, 1)), Volume(24, 24, 8))
        XCTAssertEqual(LayerSpec.conv(filters: 8, size: 5).parameterCount(for: Volume(28, 28, 1)), 8 * 25 + 8)
    }

    func testChapter_pool2_on24x24x8_gives12x12x8() throws {
        XCTAssertEqual(try LayerSpec.maxpool(size: 2).outputVolume(for: Volume(24, 24, 8)), Volume(12, 12, 8))
        XCTAssertEqual(LayerSpec.maxpool(size: 2).parameterCount(for: Volume(24, 24, 8)), 0)
    }

    func testChapter_colourImage_20filters7x7x3_gives26x26x20() throws {
        let conv = LayerSpec.conv(filters: 20, size: 7)
        XCTAssertEqual(try conv.outputVolume(for: Volume(32, 32, 3)), Volume(26, 26, 20))
        XCTAssertEqual(conv.parameterCount(for: Volume(32, 32, 3)), 20 * (7 * 7 * 3 + 1))
    }

    func testPadding2_keeps28x28_andStride2_halves() throws {
        XCTAssertEqual(try LayerSpec.conv(filters: 8, size: 5, pad: 2).outputVolume(for: Volume(28, 28, 1)), Volume(28, 28, 8))
        XCTAssertEqual(try LayerSpec.conv(filters: 4, size: 2, stride: 2).outputVolume(for: Volume(28, 28, 1)), Volume(14, 14, 4))
    }

    func testDeepNetB_volumesAndParameters() throws {
        let net = try Network(input: Volume(28, 28, 1), layers: [
            .conv(filters: 8, size: 5, pad: 2), .relu, .maxpool(size: 2),
            .conv(filters: 16, size: 5, pad: 2), .relu, .maxpool(size: 2),
            .conv(filters: 32, size: 3, pad: 1), .relu, .maxpool(size: 2),
            .dense(units: 64), .relu, .dense(units: 10), .softmax,
        ])
        XCTAssertEqual(net.volumes.map(\.description), [
            "28x28x1", "28x28x8", "28x28x8", "14x14x8", "14x14x16", "14x14x16", "7x7x16",
            "7x7x32", "7x7x32", "3x3x32", "1x1x64", "1x1x64", "1x1x10", "1x1x10",
        ])
        XCTAssertEqual(net.parameterCounts, [208, 0, 0, 3216, 0, 0, 4640, 0, 0, 18496, 0, 650, 0])
        XCTAssertEqual(net.parameterCount, 208 + 3216 + 4640 + 18496 + 650)
        XCTAssert(net.summaryText.contains("dense 64"), net.summaryText)
        XCTAssert(net.summaryText.contains("27210"), net.summaryText)
    }

    func testConvThatDoesNotTile_namesTheLayerAndTheArithmetic() {
        XCTAssertThrowsError(try Network(input: Volume(12, 12, 4), layers: [.relu, .conv(filters: 3, size: 7, stride: 2)])) { error in
            XCTAssertEqual(error as? ConvnetError, .volumeDoesNotFit(
                layerIndex: 2, layer: "conv 3 7x7 stride 2", input: Volume(12, 12, 4),
                arithmetic: "(12 - 7) / 2 + 1 is not whole"))
            XCTAssert("\(error)".hasPrefix("layer 2: conv 3 7x7 stride 2 on 12x12: (12 - 7) / 2 + 1 is not whole"), "\(error)")
        }
    }

    func testConvThatDoesNotTile_withPadding_showsThePadding() {
        XCTAssertThrowsError(try LayerSpec.conv(filters: 1, size: 4, stride: 2, pad: 1).outputVolume(for: Volume(7, 7, 1))) { error in
            XCTAssert("\(error)".contains("(7 + 2*1 - 4) / 2 + 1 is not whole"), "\(error)")
        }
    }

    func testWindowLargerThanInput_isRefused() {
        XCTAssertThrowsError(try Network(input: Volume(4, 4, 1), layers: [.conv(filters: 1, size: 5)])) { error in
            XCTAssert("\(error)".contains("layer 1: conv 1 5x5 on 4x4: its window is larger than the input"), "\(error)")
        }
        XCTAssertThrowsError(try LayerSpec.maxpool(size: 3).outputVolume(for: Volume(2, 2, 1)))
    }

    func testPooling_dropsALastPartialWindow_asConvNetJSAndPyTorchDo() throws {
        XCTAssertEqual(try LayerSpec.maxpool(size: 2).outputVolume(for: Volume(7, 7, 32)), Volume(3, 3, 32))
        XCTAssertEqual(try LayerSpec.avgpool(size: 3, stride: 2).outputVolume(for: Volume(6, 5, 1)), Volume(2, 2, 1))
    }

    func testImpossibleSettings_areRefusedWithAReason() {
        let cases: [(LayerSpec, String)] = [
            (.conv(filters: 0, size: 3), "at least 1 filter"),
            (.conv(filters: 2, size: 3, stride: 0), "stride must be at least 1"),
            (.conv(filters: 2, size: 3, pad: 3), "use pad < size"),
            (.dense(units: 0), "at least 1 unit"),
            (.dropout(rate: 1), "below 1"),
            (.maxpool(size: 0, stride: 1), "at least 1x1"),
        ]
        for (spec, expected) in cases {
            XCTAssertThrowsError(try spec.outputVolume(for: Volume(8, 8, 1)), "\(spec)") { error in
                XCTAssert("\(error)".contains(expected), "\(spec): \(error)")
            }
        }
    }

    func testMemoryCap_refusesALayerBeforeAllocating() {
        XCTAssertThrowsError(try Network(input: Volume(100, 100, 3), layers: [.dense(units: 100_000)], memoryLimit: 1 << 30)) { error in
            guard case let .tooLarge(index, _, bytes, limit)? = error as? ConvnetError else { return XCTFail("\(error)") }
            XCTAssertEqual(index, 1)
            XCTAssertGreaterThan(bytes, limit)
            XCTAssert("\(error)".contains("over the memory cap of 1.0 GB"), "\(error)")
        }
    }

    func testMemoryCap_refusesABatchTooLarge() throws {
        let net = try Network(input: Volume(28, 28, 1), layers: [.conv(filters: 64, size: 3, pad: 1), .dense(units: 10)],
                              memoryLimit: 20 << 20)
        let data = Dataset(name: "blank", volume: Volume(28, 28, 1), pixels: [UInt8](repeating: 0, count: 784 * 64),
                           labels: [Int](repeating: 0, count: 64), classNames: (0..<10).map(String.init))
        XCTAssertThrowsError(try train(net, on: data, options: TrainingOptions(batchSize: 64))) { error in
            XCTAssert("\(error)".contains("for a batch of 64"), "\(error)")
        }
        XCTAssertNoThrow(try train(net, on: data.slice(0..<2), options: TrainingOptions(batchSize: 2)))
    }

    func testEmptyNetAndZeroInput_areRefused() {
        XCTAssertThrowsError(try Network(input: Volume(28, 28, 1), layers: []))
        XCTAssertThrowsError(try Network(input: Volume(0, 28, 1), layers: [.relu]))
    }
}
