import Convnet
import XCTest

@testable import Exercises

/// The bank teaches the formulas with its own arithmetic; the engine computes the same
/// volumes and parameter counts when it builds a net. They must agree.
final class ArithmeticAgreesWithEngineTests: XCTestCase {
    func testConvVolumesAndParameters_matchTheEngine() throws {
        let cases: [(input: Volume, filters: Int, size: Int, stride: Int, pad: Int)] = [
            (Volume(28, 28, 1), 8, 5, 1, 0), (Volume(28, 28, 1), 8, 5, 1, 2), (Volume(32, 32, 3), 20, 7, 1, 0),
            (Volume(28, 28, 1), 8, 4, 2, 1), (Volume(227, 227, 3), 96, 11, 4, 0), (Volume(63, 63, 2), 4, 5, 2, 2),
        ]
        for c in cases {
            let net = try Network(input: c.input, layers: [.conv(filters: c.filters, size: c.size, stride: c.stride, pad: c.pad)])
            XCTAssertEqual(LayerArithmetic.convVolume(input: c.input, filters: c.filters, size: c.size, stride: c.stride, pad: c.pad),
                           net.volumes[1], "\(c)")
            XCTAssertEqual(LayerArithmetic.convParameters(inputDepth: c.input.depth, filters: c.filters, size: c.size),
                           net.parameterCounts[0], "\(c)")
        }
    }

    func testTheChaptersDeepNet_flattensLikeTheEngine() throws {
        var layers: [LayerSpec] = []
        for stage in DeepNetExercises.stages {
            layers += [.conv(filters: stage.filters, size: stage.size, pad: stage.pad), .relu, .maxpool(size: 2)]
        }
        let net = try Network(input: Volume(28, 28, 1), layers: layers + [.dense(units: 64), .relu, .dense(units: 10), .softmax])
        XCTAssertEqual(net.volumes[layers.count], DeepNetExercises.deepNetFlatVolume)
    }

    func testPoolVolumes_andDenseParameters_matchTheEngine() throws {
        for input in [Volume(24, 24, 8), Volume(7, 7, 32), Volume(13, 9, 3)] {
            let net = try Network(input: input, layers: [.maxpool(size: 2), .dense(units: 10)])
            XCTAssertEqual(LayerArithmetic.poolVolume(input: input, size: 2), net.volumes[1], "\(input)")
            XCTAssertEqual(LayerArithmetic.denseParameters(inputs: net.volumes[1].count, outputs: 10), net.parameterCounts[1])
        }
    }
}
