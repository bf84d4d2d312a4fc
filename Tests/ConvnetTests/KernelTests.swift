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
                              (Volume(9, 9, 2), LayerSpec.conv(filters: 6, size: 4)),
                              (Volume(10, 7, 1), LayerSpec.conv(filters: 3, size: 3)),    // an odd last output row
                              (Volume(24, 24, 1), LayerSpec.conv(filters: 8, size: 5, pad: 2))] {
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

    /// A conv layer for `spec` on `input`, its convolutions run by `library`.
    private func convLayer(_ spec: LayerSpec, on input: Volume, library: ConvolutionLibrary) throws -> ConvLayer {
        guard case let .conv(filters, size, stride, pad, bias) = spec else { throw XCTSkip("not a conv: \(spec)") }
        return ConvLayer(spec: spec, input: input, output: try spec.outputVolume(for: input), filters: filters, size: size,
                         stride: stride, pad: pad, hasBias: bias, library: library)
    }

    /// Forward, then (given dOut) backward adding into `start`, of `images` images, through the
    /// layer's own buffers as a worker uses them.
    private func run(_ layer: ConvLayer, params: inout [Float], x: [Float], dOut: [Float], start: [Float], images: Int,
                     training: Bool = true) -> (y: [Float], dX: [Float], dW: [Float]) {
        var dW = start
        var dX = [Float](repeating: .nan, count: images * layer.inputVolume.count)
        var y = [Float](repeating: .nan, count: images * layer.outputVolume.count)
        var scratch = [Float](repeating: .nan, count: max(1, layer.scratchCount))
        var saved = [Float](repeating: .nan, count: max(1, layer.savedCount * images))
        params.withUnsafeMutableBufferPointer { p in
            layer.bind(parameters: p.baseAddress!)
            if !training { layer.prepareForInference() }
            scratch.withUnsafeMutableBufferPointer { s in
                saved.withUnsafeMutableBufferPointer { sv in
                    let ctx = LayerContext(scratch: s.baseAddress!, firstImage: 0, training: training, step: 0, seed: 0,
                                           saved: training && layer.savedCount > 0 ? sv.baseAddress! : nil)
                    y.withUnsafeMutableBufferPointer { layer.forward(x, $0.baseAddress!, images: images, ctx) }
                    guard training, !dOut.isEmpty else { return }
                    dX.withUnsafeMutableBufferPointer { dx in
                        dW.withUnsafeMutableBufferPointer {
                            layer.backward(x, y, dOut, dx.baseAddress!, gradients: $0.baseAddress!, images: images, ctx)
                        }
                    }
                }
            }
        }
        return (y, dX, dW)
    }

    func testFilterVectorConv_inEvaluation_matchesThePlainSums() throws {
        for (input, spec) in [(Volume(14, 14, 8), LayerSpec.conv(filters: 16, size: 5, pad: 2)),
                              (Volume(9, 7, 5), LayerSpec.conv(filters: 24, size: 3, pad: 1)),
                              (Volume(6, 5, 4), LayerSpec.conv(filters: 8, size: 2, bias: false))] {
            let layer = try convLayer(spec, on: input, library: .engine)
            XCTAssertNotNil(layer.wide, "\(spec)")
            XCTAssertNil(layer.onednn, "\(spec)")
            let images = 3
            var params = GradientChecker.inputs(count: layer.parameterCount, seed: 5).map { $0 * 0.1 }
            let x = GradientChecker.inputs(count: images * input.count, seed: 8)
            let fast = run(layer, params: &params, x: x, dOut: [], start: [], images: images, training: false).y
            let trained = run(layer, params: &params, x: x, dOut: [], start: [], images: images, training: true).y
            let exact = params.withUnsafeBufferPointer {
                ExactSums.conv(x, images: images, weights: $0.baseAddress!,
                               bias: layer.hasBias ? $0.baseAddress! + layer.weightCount : nil,
                               filters: layer.filters, layer.geometry)
            }
            assertWithinRounding(fast, exact, "filter-vector conv, \(spec) on \(input)")
            assertWithinRounding(trained, exact, "training path, \(spec) on \(input)")
        }
    }

    /// Every conv path, forward and backward, on the nets' real shapes and leftovers: the
    /// engine's (blocked dW, sgemm dW on the saved col, dX as a flipped forward conv, dX by
    /// W^T * dOut and col2im) and oneDNN's (on 4+ channels, at several numbers of images, so
    /// each plan is built and reused), against the plain sums.
    func testConv_matchesThePlainSums_onTheNetsShapes_onEveryLibrary() throws {
        XCTAssertNoThrow(try OneDNNLibrary.shared.get(), "oneDNN (libdnnl2) is a dependency: scripts/install-apt.sh installs it")
        let shapes = [(Volume(28, 28, 1), LayerSpec.conv(filters: 8, size: 5, pad: 2)),   // B, C first layers
                      (Volume(14, 14, 8), LayerSpec.conv(filters: 16, size: 5, pad: 2)),  // B second
                      (Volume(7, 7, 16), LayerSpec.conv(filters: 32, size: 3, pad: 1)),   // B third
                      (Volume(12, 12, 8), LayerSpec.conv(filters: 16, size: 5, pad: 2)),  // C second
                      (Volume(9, 7, 5), LayerSpec.conv(filters: 6, size: 3, pad: 1)),
                      (Volume(9, 9, 16), LayerSpec.conv(filters: 8, size: 3, stride: 2, pad: 1)),
                      (Volume(9, 12, 4), LayerSpec.conv(filters: 4, size: 3, stride: 3)),
                      (Volume(6, 5, 8), LayerSpec.conv(filters: 4, size: 2, bias: false)),
                      (Volume(5, 5, 12), LayerSpec.conv(filters: 20, size: 1))]
        for library in ConvolutionLibrary.allCases {
            for (input, spec) in shapes {
                let layer = try convLayer(spec, on: input, library: library)
                XCTAssertEqual(layer.onednn != nil, library == .onednn && input.depth >= 4, "\(spec) on \(input)")
                var paths = "oneDNN"
                if layer.onednn == nil {
                    XCTAssertEqual(layer.transposed != nil, input.depth % 8 == 0 && layer.geometry.stride == 1, "\(spec) on \(input)")
                    paths = "dX \(layer.transposed != nil ? "flipped conv" : "col2im"), dW \(layer.directGradient != nil ? "blocked" : "sgemm")"
                }
                for images in [3, 1, 3] {
                    let output = layer.outputVolume
                    var params = GradientChecker.inputs(count: layer.parameterCount, seed: UInt64(31 + images)).map { $0 * 0.1 }
                    let x = GradientChecker.inputs(count: images * input.count, seed: UInt64(32 + images))
                    let dOut = GradientChecker.inputs(count: images * output.count, seed: UInt64(33 + images))
                    let start = GradientChecker.inputs(count: layer.parameterCount, seed: 34)
                    let got = run(layer, params: &params, x: x, dOut: dOut, start: start, images: images)
                    let evaluated = run(layer, params: &params, x: x, dOut: dOut, start: start, images: images, training: false)
                    let (forward, backward) = params.withUnsafeBufferPointer {
                        (ExactSums.conv(x, images: images, weights: $0.baseAddress!,
                                        bias: layer.hasBias ? $0.baseAddress! + layer.weightCount : nil,
                                        filters: layer.filters, layer.geometry),
                         ExactSums.convBackward(x, dOut, images: images, weights: $0.baseAddress!, hasBias: layer.hasBias,
                                                filters: layer.filters, start: start, layer.geometry))
                    }
                    let what = "\(library), \(images) images, \(spec) on \(input)"
                    assertWithinRounding(got.y, forward, "forward (\(paths)), \(what)")
                    assertWithinRounding(evaluated.y, forward, "forward in evaluation (\(paths)), \(what)")
                    assertWithinRounding(got.dX, backward.dX, "dX (\(paths)), \(what)")
                    assertWithinRounding(got.dW, backward.dW, "dW (\(paths)), \(what)")
                }
            }
        }
    }

    /// Two workers at once on one layer, each with its own plans, as a batch split runs them.
    func testOneDNNConv_twoWorkersAtOnce_eachGetItsOwnResult() throws {
        let input = Volume(14, 14, 8), spec = LayerSpec.conv(filters: 16, size: 5, pad: 2)
        let layer = try convLayer(spec, on: input, library: .onednn)
        let onednn = try XCTUnwrap(layer.onednn)
        var params = GradientChecker.inputs(count: layer.parameterCount, seed: 2).map { $0 * 0.1 }
        let images = 4
        let inputs = (0..<2).map { GradientChecker.inputs(count: images * input.count, seed: UInt64(40 + $0)) }
        var outputs = [[Float]](repeating: [Float](repeating: .nan, count: images * layer.outputVolume.count), count: 2)
        params.withUnsafeMutableBufferPointer { p in
            layer.bind(parameters: p.baseAddress!)
            let w = UnsafePointer(p.baseAddress!)
            let results = outputs.map { UnsafeMutablePointer<Float>.allocate(capacity: $0.count) }
            defer { results.forEach { $0.deallocate() } }
            // The engine's own split: both workers at once, each many times over.
            parallelFor(2) { worker in
                for _ in 0..<20 {
                    let done = inputs[worker].withUnsafeBufferPointer {
                        onednn.forward($0.baseAddress!, results[worker], weights: w, bias: w + layer.weightCount,
                                       images: images, worker: worker)
                    }
                    XCTAssert(done)
                }
            }
            for worker in 0..<2 { outputs[worker] = Array(UnsafeBufferPointer(start: results[worker], count: outputs[worker].count)) }
        }
        for worker in 0..<2 {
            let exact = params.withUnsafeBufferPointer {
                ExactSums.conv(inputs[worker], images: images, weights: $0.baseAddress!, bias: $0.baseAddress! + layer.weightCount,
                               filters: layer.filters, layer.geometry)
            }
            assertWithinRounding(outputs[worker], exact, "worker \(worker)")
        }
    }
}
