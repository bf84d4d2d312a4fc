import XCTest
@testable import Convnet

/// The fast kernels against the plain ones they replace.
final class KernelTests: XCTestCase {
    private func geometry(_ c: Int, _ h: Int, _ w: Int, size: Int, pad: Int) -> ConvGeometry {
        ConvGeometry(channels: c, height: h, width: w, size: size, stride: 1, pad: pad,
                     outHeight: h + 2 * pad - size + 1, outWidth: w + 2 * pad - size + 1)
    }

    func testIm2colStride1_matchesThePlainIm2col() {
        for g in [geometry(8, 14, 14, size: 5, pad: 2), geometry(16, 7, 7, size: 3, pad: 1),
                  geometry(3, 9, 20, size: 4, pad: 0), geometry(2, 5, 3, size: 1, pad: 0)] {
            let image = GradientChecker.inputs(count: g.channels * g.height * g.width, seed: 3)
            var plain = [Float](repeating: -1, count: g.rows * g.columns)
            var fast = [Float](repeating: -1, count: g.rows * g.columns + ConvGeometry.colSlack)
            var padded = [Float](repeating: 0, count: g.paddedInputCount)
            g.im2col(image, &plain)
            padded.withUnsafeMutableBufferPointer { p in
                fast.withUnsafeMutableBufferPointer { g.im2colStride1(image, $0.baseAddress!, padded: p.baseAddress!) }
            }
            XCTAssertEqual(Array(fast.prefix(plain.count)), plain, "\(g)")
        }
    }

    func testCol2imStride1_matchesThePlainCol2im() {
        for g in [geometry(8, 14, 14, size: 5, pad: 2), geometry(16, 7, 7, size: 3, pad: 1),
                  geometry(3, 9, 20, size: 4, pad: 0), geometry(2, 5, 3, size: 1, pad: 0)] {
            let count = g.channels * g.height * g.width
            // Values past the end of col must not leak in.
            let col = GradientChecker.inputs(count: g.rows * g.columns, seed: 4) + [Float](repeating: 1000, count: ConvGeometry.colSlack)
            var fast = [Float](repeating: -7, count: count)
            var padded = [Float](repeating: 0, count: g.paddedInputCount)
            padded.withUnsafeMutableBufferPointer { p in
                fast.withUnsafeMutableBufferPointer { g.col2imStride1(col, $0.baseAddress!, padded: p.baseAddress!) }
            }
            var plain = [Float](repeating: 0, count: count)
            g.col2imAdding(col, &plain)
            let exact = ExactSums.col2im(Array(col.prefix(g.rows * g.columns)), g)
            assertWithinRounding(fast, exact, "col2imStride1 \(g)")
            assertWithinRounding(plain, exact, "col2imAdding \(g)")
        }
    }

    func testDirectConv_matchesIm2colAndGemm() throws {
        for (input, spec) in [(Volume(28, 28, 1), LayerSpec.conv(filters: 8, size: 5, pad: 2)),
                              (Volume(13, 6, 3), LayerSpec.conv(filters: 5, size: 3, pad: 1)),
                              (Volume(9, 9, 2), LayerSpec.conv(filters: 6, size: 4))] {
            let output = try spec.outputVolume(for: input)
            let direct = makeLayer(spec, input: input, output: output) as! ConvLayer
            XCTAssertNotNil(direct.direct)
            var params = GradientChecker.inputs(count: direct.parameterCount, seed: 5)
            let x = GradientChecker.inputs(count: 2 * input.count, seed: 6)
            var scratch = [Float](repeating: 0, count: max(direct.scratchCount, 2 * (direct.geometry.rows * direct.geometry.columns + 8)))
            var fast = [Float](repeating: 0, count: 2 * output.count)
            var reference = [Float](repeating: 0, count: 2 * output.count)
            params.withUnsafeMutableBufferPointer { p in
                scratch.withUnsafeMutableBufferPointer { s in
                    direct.bind(parameters: p.baseAddress!)
                    let ctx = LayerContext(scratch: s.baseAddress!, firstImage: 0, training: false, step: 0, seed: 0)
                    fast.withUnsafeMutableBufferPointer { direct.forward(x, $0.baseAddress!, images: 2, ctx) }
                    // The reference: im2col and one sgemm per image, plus the biases.
                    let g = direct.geometry
                    for i in 0..<2 {
                        g.im2col(x.withUnsafeBufferPointer { $0.baseAddress! } + i * input.count, s.baseAddress!)
                        reference.withUnsafeMutableBufferPointer { r in
                            gemm(m: direct.filters, n: g.columns, k: g.rows, a: p.baseAddress!, lda: g.rows,
                                 b: s.baseAddress!, ldb: g.columns, beta: 0, c: r.baseAddress! + i * output.count, ldc: g.columns)
                            for f in 0..<direct.filters {
                                for j in 0..<g.columns { r[i * output.count + f * g.columns + j] += p[direct.weightCount + f] }
                            }
                        }
                    }
                }
            }
            let exact = params.withUnsafeBufferPointer { p in
                ExactSums.conv(x, images: 2, weights: p.baseAddress!, bias: direct.hasBias ? p.baseAddress! + direct.weightCount : nil,
                               filters: direct.filters, direct.geometry)
            }
            assertWithinRounding(fast, exact, "direct conv, \(spec) on \(input)")
            assertWithinRounding(reference, exact, "im2col + sgemm, \(spec) on \(input)")
        }
    }

    func testBlockedWeightGradient_matchesIm2colAndGemm() {
        // Nets B and C's shapes, a first layer, and leftovers in taps (odd K) and filters (F % 4).
        for (g, filters) in [(geometry(8, 14, 14, size: 5, pad: 2), 16), (geometry(16, 7, 7, size: 3, pad: 1), 32),
                             (geometry(8, 12, 12, size: 5, pad: 2), 16), (geometry(1, 28, 28, size: 5, pad: 2), 8),
                             (geometry(3, 9, 20, size: 3, pad: 0), 7), (geometry(2, 5, 3, size: 2, pad: 1), 2)] {
            let kernel = DirectConv(geometry: g, filters: filters)
            let image = GradientChecker.inputs(count: g.channels * g.height * g.width, seed: 11)
            let dOut = GradientChecker.inputs(count: filters * g.columns, seed: 12)
            let start = GradientChecker.inputs(count: filters * (g.rows + 1), seed: 13)
            var fast = start
            var scratch = [Float](repeating: .nan, count: kernel.blockedGradientScratchCount)
            fast.withUnsafeMutableBufferPointer { dW in
                scratch.withUnsafeMutableBufferPointer {
                    kernel.accumulateWeightGradientsBlocked(image, dOut, dWeights: dW.baseAddress!,
                                                            dBias: dW.baseAddress! + filters * g.rows, scratch: $0.baseAddress!)
                }
            }
            // The exact sums in Double: dW[f, r] = start + sum over positions of dOut[f] * col[r], dBias[f] = start + sum of dOut[f].
            var col = [Float](repeating: 0, count: g.rows * g.columns)
            g.im2col(image, &col)
            var exact = ExactSums(count: start.count)
            for f in 0..<filters {
                for r in 0...g.rows {
                    let o = r == g.rows ? filters * g.rows + f : f * g.rows + r
                    exact.add(Double(start[o]), at: o)
                    for j in 0..<g.columns {
                        exact.add(Double(dOut[f * g.columns + j]) * (r == g.rows ? 1 : Double(col[r * g.columns + j])), at: o)
                    }
                }
            }
            assertWithinRounding(fast, exact, "blocked dW, \(g), \(filters) filters")
        }
    }

    func testWorkSplit_coversEveryImageOnce_inContiguousRuns() {
        for (total, parts) in [(32, 2), (33, 2), (1, 2), (5, 3), (7, 1), (2, 8)] {
            let split = WorkSplit(total, parts: parts)
            let runs = (0..<split.parts).map { split[$0] }
            XCTAssertEqual(runs.flatMap { Array($0) }, Array(0..<total), "\(total) in \(parts)")
            XCTAssert(runs.allSatisfy { !$0.isEmpty })
            XCTAssertLessThanOrEqual(runs.map(\.count).max()! - runs.map(\.count).min()!, 1)
        }
    }

    func testFilterVectorConv_inEvaluation_matchesTheTrainingPath() throws {
        for (input, spec) in [(Volume(14, 14, 8), LayerSpec.conv(filters: 16, size: 5, pad: 2)),
                              (Volume(9, 7, 5), LayerSpec.conv(filters: 24, size: 3, pad: 1)),
                              (Volume(6, 5, 4), LayerSpec.conv(filters: 8, size: 2, bias: false))] {
            let net = try Network(input: input, layers: [spec], seed: 3, threads: 1)
            XCTAssertNotNil((net.layers[0] as! ConvLayer).wide, "\(spec)")
            let images = 3
            try net.reserve(images: images, training: true)
            let x = GradientChecker.inputs(count: images * input.count, seed: 8)
            let n = images * net.outputVolume.count
            func run(training: Bool) -> [Float] {
                x.withUnsafeBufferPointer { net.inputBuffer.update(from: $0.baseAddress!, count: x.count) }
                net.forwardBatch(images: images, training: training)
                return Array(UnsafeBufferPointer(start: net.output(ofLayer: 1), count: n))
            }
            let fast = run(training: false)
            let reference = run(training: true)
            let layer = net.layers[0] as! ConvLayer
            let exact = ExactSums.conv(x, images: images, weights: layer.weights!,
                                       bias: layer.hasBias ? UnsafePointer(layer.weights! + layer.weightCount) : nil,
                                       filters: layer.filters, layer.geometry)
            assertWithinRounding(fast, exact, "filter-vector conv, \(spec) on \(input)")
            assertWithinRounding(reference, exact, "training path, \(spec) on \(input)")
        }
    }

    /// Every conv path of backward (blocked dW, sgemm dW on the saved col, dX as a flipped
    /// forward conv, dX by W^T * dOut and col2im) on the nets' real shapes and leftovers.
    func testConvBackward_matchesThePlainSums_onTheNetsShapes() throws {
        for (input, spec) in [(Volume(28, 28, 1), LayerSpec.conv(filters: 8, size: 5, pad: 2)),   // B, C first layers
                              (Volume(14, 14, 8), LayerSpec.conv(filters: 16, size: 5, pad: 2)),  // B second
                              (Volume(7, 7, 16), LayerSpec.conv(filters: 32, size: 3, pad: 1)),   // B third
                              (Volume(12, 12, 8), LayerSpec.conv(filters: 16, size: 5, pad: 2)),  // C second
                              (Volume(9, 7, 5), LayerSpec.conv(filters: 6, size: 3, pad: 1)),
                              (Volume(9, 9, 16), LayerSpec.conv(filters: 8, size: 3, stride: 2, pad: 1)),
                              (Volume(6, 5, 8), LayerSpec.conv(filters: 4, size: 2, bias: false))] {
            let output = try spec.outputVolume(for: input)
            let layer = makeLayer(spec, input: input, output: output) as! ConvLayer
            let images = 3
            var params = GradientChecker.inputs(count: layer.parameterCount, seed: 31).map { $0 * 0.1 }
            let x = GradientChecker.inputs(count: images * input.count, seed: 32)
            let dOut = GradientChecker.inputs(count: images * output.count, seed: 33)
            let start = GradientChecker.inputs(count: layer.parameterCount, seed: 34)
            var dW = start
            var dX = [Float](repeating: .nan, count: images * input.count)
            var y = [Float](repeating: 0, count: images * output.count)
            var scratch = [Float](repeating: .nan, count: layer.scratchCount)
            var saved = [Float](repeating: .nan, count: max(1, layer.savedCount * images))
            params.withUnsafeMutableBufferPointer { p in
                layer.bind(parameters: p.baseAddress!)
                scratch.withUnsafeMutableBufferPointer { s in
                    saved.withUnsafeMutableBufferPointer { sv in
                        let ctx = LayerContext(scratch: s.baseAddress!, firstImage: 0, training: true, step: 0, seed: 0,
                                               saved: layer.savedCount > 0 ? sv.baseAddress! : nil)
                        y.withUnsafeMutableBufferPointer { layer.forward(x, $0.baseAddress!, images: images, ctx) }
                        dX.withUnsafeMutableBufferPointer { dx in
                            dW.withUnsafeMutableBufferPointer {
                                layer.backward(x, y, dOut, dx.baseAddress!, gradients: $0.baseAddress!, images: images, ctx)
                            }
                        }
                    }
                }
            }
            let exact = params.withUnsafeBufferPointer {
                ExactSums.convBackward(x, dOut, images: images, weights: $0.baseAddress!, hasBias: layer.hasBias,
                                       filters: layer.filters, start: start, layer.geometry)
            }
            XCTAssertEqual(layer.transposed != nil, input.depth % 8 == 0 && layer.geometry.stride == 1, "\(spec) on \(input)")
            let paths = "dX \(layer.transposed != nil ? "flipped conv" : "col2im"), dW \(layer.directGradient != nil ? "blocked" : "sgemm")"
            assertWithinRounding(dX, exact.dX, "dX (\(paths)), \(spec) on \(input)")
            assertWithinRounding(dW, exact.dW, "dW (\(paths)), \(spec) on \(input)")
        }
    }
}
