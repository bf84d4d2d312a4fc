import XCTest
@testable import Convnet

final class LayerGradientTests: XCTestCase {
    let checker = GradientChecker()

    func testConv_stride1_noPadding() throws {
        try checker.check(.conv(filters: 3, size: 3), input: Volume(5, 5, 2))
    }

    func testConv_manyChannels_im2colPath() throws {
        try checker.check(.conv(filters: 3, size: 3, pad: 1), input: Volume(4, 5, 5))
    }

    func testConv_direct_colourInput_widerThanOneChunk() throws {
        try checker.check(.conv(filters: 2, size: 3, pad: 1), input: Volume(11, 3, 3))
    }

    func testConv_stride2_padding1() throws {
        try checker.check(.conv(filters: 2, size: 3, stride: 2, pad: 1), input: Volume(5, 5, 3))
    }

    func testConv_padding2_5x5_likeTheChapter() throws {
        try checker.check(.conv(filters: 2, size: 5, pad: 2), input: Volume(6, 6, 1))
    }

    func testConv_rectangularInput_stride3() throws {
        try checker.check(.conv(filters: 2, size: 3, stride: 3, pad: 1), input: Volume(7, 4, 2))
    }

    func testConv_1x1_noBias() throws {
        try checker.check(.conv(filters: 3, size: 1, bias: false), input: Volume(3, 4, 2))
    }

    func testDense() throws {
        try checker.check(.dense(units: 4), input: Volume(1, 1, 6))
    }

    func testDense_onAVolume_flattensImplicitly() throws {
        try checker.check(.dense(units: 3), input: Volume(3, 2, 2))
    }

    func testDense_noBias() throws {
        try checker.check(.dense(units: 3, bias: false), input: Volume(1, 1, 5))
    }

    func testMaxpool_2x2() throws {
        try checker.check(.maxpool(size: 2), input: Volume(4, 4, 2))
    }

    func testMaxpool_overlapping3x3stride2_withLeftover() throws {
        try checker.check(.maxpool(size: 3, stride: 2), input: Volume(6, 5, 2))
    }

    func testAvgpool() throws {
        try checker.check(.avgpool(size: 2), input: Volume(5, 4, 2))
    }

    func testAvgpool_overlapping() throws {
        try checker.check(.avgpool(size: 3, stride: 1), input: Volume(4, 4, 1))
    }

    func testRelu() throws {
        try checker.check(.relu, input: Volume(3, 3, 2))
    }

    func testLeakyRelu() throws {
        try checker.check(.leakyRelu(slope: 0.1), input: Volume(3, 3, 2))
    }

    func testSigmoid() throws {
        try checker.check(.sigmoid, input: Volume(3, 3, 2))
    }

    func testTanh() throws {
        try checker.check(.tanh, input: Volume(3, 3, 2))
    }

    func testSoftmax() throws {
        try checker.check(.softmax, input: Volume(1, 1, 6))
    }

    func testDropout_training() throws {
        try checker.check(.dropout(rate: 0.4), input: Volume(3, 3, 2), training: true)
    }

    func testDropout_evaluation_isIdentity() throws {
        try checker.check(.dropout(rate: 0.4), input: Volume(3, 3, 2), training: false)
    }

    func testFlatten() throws {
        try checker.check(.flatten, input: Volume(2, 3, 2))
    }

    func testDropout_dropsAboutItsRate_andScalesTheRest() throws {
        let volume = Volume(100, 100, 1)
        let layer = makeLayer(.dropout(rate: 0.3), input: volume, output: volume)
        let x = [Float](repeating: 1, count: volume.count)
        var y = [Float](repeating: 0, count: volume.count)
        var scratch: [Float] = [0]
        scratch.withUnsafeMutableBufferPointer { s in
            let ctx = LayerContext(scratch: s.baseAddress!, firstImage: 0, training: true, step: 1, seed: 5)
            y.withUnsafeMutableBufferPointer { layer.forward(x, $0.baseAddress!, images: 1, ctx) }
        }
        let dropped = y.filter { $0 == 0 }.count
        XCTAssertEqual(Double(dropped) / Double(volume.count), 0.3, accuracy: 0.02)
        XCTAssertEqual(y.first { $0 != 0 }!, 1 / 0.7, accuracy: 1e-6)
    }
}
