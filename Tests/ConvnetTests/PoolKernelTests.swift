import XCTest
@testable import Convnet

/// The pooling layer's loops (SIMD 2x2, any size and stride, average) against plain nested
/// loops, on the nets' real shapes and on odd ones. Inputs are small integers, many of them
/// equal and negative, so windows have ties: the first maximum in row-major order must take
/// the gradient. Max pooling only moves values, so forward and backward must match exactly.
final class PoolKernelTests: XCTestCase {
    // MARK: - Max pooling, exact

    func testMax2x2_netB_shapes() throws {
        try checkMax(Volume(28, 28, 8), size: 2, stride: 2)
        try checkMax(Volume(14, 14, 16), size: 2, stride: 2)
        try checkMax(Volume(7, 7, 32), size: 2, stride: 2)
    }

    func testMax2x2_oddAndNarrowShapes() throws {
        for volume in [Volume(5, 5, 2), Volume(7, 7, 3), Volume(2, 2, 1), Volume(3, 9, 2),
                       Volume(8, 8, 1), Volume(9, 3, 2), Volume(10, 6, 1), Volume(17, 5, 2), Volume(24, 24, 8),
                       Volume(7, 8, 3), Volume(6, 6, 2), Volume(4, 4, 2), Volume(3, 2, 3)] {
            try checkMax(volume, size: 2, stride: 2)
        }
    }

    func testMax3x3stride3_netC_andLeftovers() throws {
        try checkMax(Volume(12, 12, 16), size: 3, stride: 3)
        try checkMax(Volume(11, 10, 2), size: 3, stride: 3)
        try checkMax(Volume(3, 3, 1), size: 3, stride: 3)
    }

    func testMaxOverlapping_addsUp() throws {
        try checkMax(Volume(7, 7, 2), size: 3, stride: 2)
        try checkMax(Volume(6, 5, 2), size: 3, stride: 1)
        try checkMax(Volume(9, 9, 1), size: 2, stride: 1)
    }

    func testMaxOtherTiles() throws {
        try checkMax(Volume(9, 9, 2), size: 4, stride: 4)
        try checkMax(Volume(8, 8, 2), size: 1, stride: 1)
        try checkMax(Volume(8, 7, 2), size: 2, stride: 3)
    }

    /// Every window holds one value four times: the top-left cell takes it all.
    func testMax2x2_allEqual_firstCellTakesTheGradient() throws {
        let volume = Volume(10, 4, 1)
        let x = [Float](repeating: -1.5, count: images * volume.count)
        try checkMax(volume, size: 2, stride: 2, x: x)
    }

    // MARK: - Average pooling, relative tolerance

    func testAverage() throws {
        try checkAverage(Volume(28, 28, 4), size: 2, stride: 2)
        try checkAverage(Volume(7, 7, 3), size: 2, stride: 2)
        try checkAverage(Volume(12, 12, 2), size: 3, stride: 3)
        try checkAverage(Volume(7, 6, 2), size: 3, stride: 2)
    }

    // MARK: - Helpers

    let images = 3

    /// Integers in -4...3: about one cell in eight equals its neighbour.
    func tiedInputs(_ count: Int, seed: UInt64) -> [Float] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in Float(rng.nextIndex(below: 8)) - 4 }
    }

    func run(_ spec: LayerSpec, _ input: Volume, x: [Float], dY: [Float], training: Bool)
        throws -> (y: [Float], dX: [Float], output: Volume) {
        let output = try spec.outputVolume(for: input)
        let layer = makeLayer(spec, input: input, output: output)
        XCTAssertEqual(layer.savedCount, 0)
        var y = [Float](repeating: .nan, count: images * output.count)
        // NaN everywhere: backward must overwrite every cell, those in no window included.
        var dX = [Float](repeating: .nan, count: x.count)
        var scratch = [Float](repeating: 0, count: max(1, layer.scratchCount))
        scratch.withUnsafeMutableBufferPointer { s in
            let context = LayerContext(scratch: s.baseAddress!, firstImage: 0, training: training, step: 0, seed: 0)
            y.withUnsafeMutableBufferPointer { layer.forward(x, $0.baseAddress!, images: images, context) }
            dX.withUnsafeMutableBufferPointer {
                layer.backward(x, y, dY, $0.baseAddress!, gradients: nil, images: images, context)
            }
        }
        return (y, dX, output)
    }

    func checkMax(_ input: Volume, size: Int, stride: Int, x given: [Float]? = nil,
                  file: StaticString = #filePath, line: UInt = #line) throws {
        let spec = LayerSpec.maxpool(size: size, stride: stride)
        let output = try spec.outputVolume(for: input)
        let x = given ?? tiedInputs(images * input.count, seed: UInt64(input.count * 31 + size))
        let dY = tiedInputs(images * output.count, seed: 5).map { $0 + 0.25 }
        for training in [true, false] {
            let got = try run(spec, input, x: x, dY: dY, training: training)
            var wantY = [Float](repeating: 0, count: dY.count)
            var wantDX = [Float](repeating: 0, count: x.count)
            forEachWindow(input, output, size: size, stride: stride) { out, cells in
                var first = cells[0]
                for c in cells where x[c] > x[first] { first = c }
                wantY[out] = x[first]
                wantDX[first] += dY[out]
            }
            expectEqual(got.y, wantY, "forward \(input) \(size)/\(stride)", file: file, line: line)
            expectEqual(got.dX, wantDX, "backward \(input) \(size)/\(stride)", file: file, line: line)
        }
    }

    func checkAverage(_ input: Volume, size: Int, stride: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let spec = LayerSpec.avgpool(size: size, stride: stride)
        let output = try spec.outputVolume(for: input)
        var rng = SplitMix64(seed: 11)
        let x = (0..<(images * input.count)).map { _ in Float(rng.nextGaussian()) }
        let dY = (0..<(images * output.count)).map { _ in Float(rng.nextGaussian()) }
        let got = try run(spec, input, x: x, dY: dY, training: true)
        var wantY = ExactSums(count: dY.count), wantDX = ExactSums(count: x.count)
        let share = 1 / Double(size * size)
        forEachWindow(input, output, size: size, stride: stride) { out, cells in
            for c in cells {
                wantY.add(Double(x[c]) * share, at: out)
                wantDX.add(Double(dY[out]) * share, at: c)
            }
        }
        expectClose(got.y, wantY, "forward \(input) \(size)/\(stride)", file: file, line: line)
        expectClose(got.dX, wantDX, "backward \(input) \(size)/\(stride)", file: file, line: line)
    }

    /// Each window of each image's planes: its output index and its input cells in row-major order.
    func forEachWindow(_ input: Volume, _ output: Volume, size: Int, stride: Int, _ body: (Int, [Int]) -> Void) {
        for plane in 0..<(images * input.depth) {
            for oy in 0..<output.height {
                for ox in 0..<output.width {
                    var cells: [Int] = []
                    for ky in 0..<size {
                        for kx in 0..<size {
                            cells.append((plane * input.height + oy * stride + ky) * input.width + ox * stride + kx)
                        }
                    }
                    body((plane * output.height + oy) * output.width + ox, cells)
                }
            }
        }
    }

    func expectEqual(_ got: [Float], _ want: [Float], _ what: String, file: StaticString, line: UInt) {
        let bad = got.indices.filter { got[$0] != want[$0] }
        XCTAssert(bad.isEmpty, "\(what): \(bad.count) of \(got.count) differ, first "
                  + bad.prefix(5).map { "[\($0)] \(got[$0]) want \(want[$0])" }.joined(separator: ", "),
                  file: file, line: line)
    }

    func expectClose(_ got: [Float], _ want: ExactSums, _ what: String, file: StaticString, line: UInt) {
        let bad = got.indices.filter { !(abs(Double(got[$0]) - want.value[$0]) <= 1e-6 * want.magnitude[$0] + 1e-30) }
        XCTAssert(bad.isEmpty, "\(what): \(bad.count) of \(got.count) differ, first "
                  + bad.prefix(5).map { "[\($0)] \(got[$0]) want \(want.value[$0])" }.joined(separator: ", "),
                  file: file, line: line)
    }
}
