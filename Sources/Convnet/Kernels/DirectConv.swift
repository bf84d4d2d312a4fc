/// Direct stride-1 convolution for layers with few input channels (a first layer on grey
/// or colour images), vectorised 8 output columns at a time.
///
/// MEASURED.md: for 1 to 8 input channels, SIMD loops along the output row beat
/// im2col + sgemm, whose K (channels*size*size = 25) is too skinny for the BLAS kernels and
/// whose col matrix costs as much to write as the multiply-adds. The input is first copied
/// into a zero-padded plane whose rows are long enough for whole 8-wide loads.
struct DirectConv {
    let geometry: ConvGeometry
    let filters: Int

    /// Output columns rounded up to whole SIMD8 chunks.
    var paddedOutWidth: Int { (geometry.outWidth + 7) / 8 * 8 }
    /// Row length of the padded input: room for the last chunk's loads at every tap.
    var paddedWidth: Int { max(geometry.width + 2 * geometry.pad, paddedOutWidth + geometry.size - 1) }
    var paddedHeight: Int { geometry.height + 2 * geometry.pad }
    var paddedInputCount: Int { geometry.channels * paddedHeight * paddedWidth }
    /// Scratch of `forward`: the padded input and one zero row after it, which an odd last
    /// output row's unused partner reads (backward needs `blockedGradientScratchCount`).
    var scratchCount: Int { paddedInputCount + paddedWidth }

    static func suits(_ g: ConvGeometry) -> Bool {
        g.stride == 1 && g.channels <= 3
    }

    func padInput(_ image: UnsafePointer<Float>, into padded: UnsafeMutablePointer<Float>) {
        let g = geometry
        let (pw, ph) = (paddedWidth, paddedHeight)
        padded.update(repeating: 0, count: paddedInputCount)
        for c in 0..<g.channels {
            for y in 0..<g.height {
                let src = image + (c * g.height + y) * g.width
                let dst = padded + (c * ph + y + g.pad) * pw + g.pad
                for x in 0..<g.width { dst[x] = src[x] }
            }
        }
    }

    @inline(__always)
    private static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// y = conv(x) + bias for one image. Four filters at a time share each input load, and two
    /// output rows each weight broadcast (AVX2 has no FMA with a broadcast operand: alone, a
    /// row spent a broadcast on every multiply-add pair). A missing fourth filter repeats the
    /// last, and a missing second row reads the rows below (the next channel's, or the zero
    /// row after the padded input); their results are dropped.
    func forward(_ image: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                 weights: UnsafePointer<Float>, bias: UnsafePointer<Float>?, scratch: UnsafeMutablePointer<Float>) {
        let g = geometry
        let (pw, ph, k, rows) = (paddedWidth, paddedHeight, g.size, g.rows)
        padInput(image, into: scratch)
        (scratch + paddedInputCount).update(repeating: 0, count: pw)
        let padded = UnsafePointer(scratch)
        let plane = g.outHeight * g.outWidth
        var f = 0
        while f < filters {
            let f1 = min(f + 1, filters - 1), f2 = min(f + 2, filters - 1), f3 = min(f + 3, filters - 1)
            let (w0, w1, w2, w3) = (weights + f * rows, weights + f1 * rows, weights + f2 * rows, weights + f3 * rows)
            let b0 = bias?[f] ?? 0, b1 = bias?[f1] ?? 0, b2 = bias?[f2] ?? 0, b3 = bias?[f3] ?? 0
            let count = min(4, filters - f)
            func write(_ a0: SIMD8<Float>, _ a1: SIMD8<Float>, _ a2: SIMD8<Float>, _ a3: SIMD8<Float>, row oy: Int, column x0: Int) {
                let n = min(8, g.outWidth - x0)
                let base = out + f * plane + oy * g.outWidth + x0
                store(a0, base, n)
                if count > 1 { store(a1, base + plane, n) }
                if count > 2 { store(a2, base + 2 * plane, n) }
                if count > 3 { store(a3, base + 3 * plane, n) }
            }
            for oy in stride(from: 0, to: g.outHeight, by: 2) {
                var x0 = 0
                while x0 < g.outWidth {
                    var a0 = SIMD8<Float>(repeating: b0), a1 = SIMD8<Float>(repeating: b1)
                    var a2 = SIMD8<Float>(repeating: b2), a3 = SIMD8<Float>(repeating: b3)
                    var c0 = a0, c1 = a1, c2 = a2, c3 = a3
                    for c in 0..<g.channels {
                        for ky in 0..<k {
                            let upper = padded + (c * ph + oy + ky) * pw + x0
                            let lower = upper + pw
                            let t = (c * k + ky) * k
                            for kx in 0..<k {
                                let (u, v) = (Self.load(upper + kx), Self.load(lower + kx))
                                let (p0, p1, p2, p3) = (w0[t + kx], w1[t + kx], w2[t + kx], w3[t + kx])
                                a0 += p0 * u; a1 += p1 * u; a2 += p2 * u; a3 += p3 * u
                                c0 += p0 * v; c1 += p1 * v; c2 += p2 * v; c3 += p3 * v
                            }
                        }
                    }
                    write(a0, a1, a2, a3, row: oy, column: x0)
                    if oy + 1 < g.outHeight { write(c0, c1, c2, c3, row: oy + 1, column: x0) }
                    x0 += 8
                }
            }
            f += 4
        }
    }

    @inline(__always)
    private func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ n: Int) {
        if n == 8 {
            UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
        } else {
            for j in 0..<n { p[j] = v[j] }
        }
    }
    // Backward's dW: accumulateWeightGradientsBlocked, in WeightGradient.swift.
}
