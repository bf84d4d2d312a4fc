import Convnet
import XCTest

@testable import Exercises

final class LayerArithmeticTests: XCTestCase {
    func testConvVolume_chapterExamples() {
        XCTAssertEqual(LayerArithmetic.convVolume(input: Volume(28, 28, 1), filters: 8, size: 5), Volume(24, 24, 8))
        XCTAssertEqual(LayerArithmetic.convVolume(input: Volume(32, 32, 3), filters: 20, size: 7), Volume(26, 26, 20))
        XCTAssertEqual(LayerArithmetic.convVolume(input: Volume(28, 28, 1), filters: 8, size: 5, pad: 2), Volume(28, 28, 8))
        XCTAssertEqual(LayerArithmetic.convVolume(input: Volume(227, 227, 3), filters: 96, size: 11, stride: 4), Volume(55, 55, 96))
    }

    func testOutputSize_notWhole_isNil() {
        XCTAssertNil(LayerArithmetic.outputSize(input: 12, size: 7, stride: 2))
        XCTAssertNil(LayerArithmetic.outputSize(input: 4, size: 5))
        XCTAssertEqual(LayerArithmetic.outputSize(input: 4, size: 5, pad: 1), 2)
    }

    func testPoolVolume_halvesAndRoundsDown() {
        XCTAssertEqual(LayerArithmetic.poolVolume(input: Volume(24, 24, 8), size: 2), Volume(12, 12, 8))
        XCTAssertEqual(LayerArithmetic.poolVolume(input: Volume(7, 7, 32), size: 2), Volume(3, 3, 32))
    }

    func testParameterCounts() {
        XCTAssertEqual(LayerArithmetic.convParameters(inputDepth: 1, filters: 8, size: 5), 208)
        XCTAssertEqual(LayerArithmetic.convParameters(inputDepth: 3, filters: 20, size: 7), 2960)
        XCTAssertEqual(LayerArithmetic.convParameters(inputDepth: 3, filters: 20, size: 7, bias: false), 2940)
        XCTAssertEqual(LayerArithmetic.denseParameters(inputs: 784, outputs: 10), 7850)
    }

    func testReceptiveField() {
        XCTAssertEqual(LayerArithmetic.receptiveField([(3, 1), (3, 1)]), 5)
        XCTAssertEqual(LayerArithmetic.receptiveField([(3, 1), (3, 1), (3, 1)]), 7)
        XCTAssertEqual(LayerArithmetic.receptiveField([(5, 1), (2, 2), (5, 1)]), 14)
    }

    func testMaxPoolByHand() {
        let pooled = LayerArithmetic.maxPool([[1, 3, 2, 0], [5, 6, 1, 8], [0, 2, 4, 1], [3, 1, 0, 2]], size: 2, stride: 2)
        XCTAssertEqual(pooled, [[6, 8], [3, 4]])
    }

    func testWeightedSum() {
        XCTAssertEqual(LayerArithmetic.weightedSum(weights: [0.5, -1, 2], inputs: [4, 2, 3], bias: -1), 5)
    }
}
