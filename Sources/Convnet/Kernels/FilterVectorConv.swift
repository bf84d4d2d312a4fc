/// Direct stride-1 convolution vectorised across filters, for the forward pass of deeper
/// conv layers when nothing needs their im2col matrix (evaluation and prediction).
///
/// im2col + sgemm spends more time writing and packing the col matrix than multiplying
/// on these small shapes (16 filters of 5x5x8 on 14x14: OpenBLAS's packing alone was 13% of
/// a training run). Here each step loads 16 filters' weights for one tap (weights repacked
/// as taps x filters) and 4 neighbouring input pixels, and does 8 SIMD8 multiply-adds.
struct FilterVectorConv {
    let geometry: ConvGeometry
    let filters: Int

    /// Output columns rounded up to whole blocks of 8 pixels (the one-vector loop's step).
    var paddedOutWidth: Int { (geometry.outWidth + 7) / 8 * 8 }
    var paddedWidth: Int { max(geometry.width + 2 * geometry.pad, paddedOutWidth + geometry.size - 1) }
    var paddedHeight: Int { geometry.height + 2 * geometry.pad }
    var scratchCount: Int { geometry.channels * paddedHeight * paddedWidth }
    /// Floats of the repacked weights: taps (channel, row, column) x filters.
    var packedCount: Int { geometry.rows * filters }

    static func suits(_ g: ConvGeometry, filters: Int) -> Bool {
        g.stride == 1 && filters % 8 == 0
    }

    /// Weights from filters x taps to taps x filters, so one tap's filters are contiguous.
    func pack(_ weights: UnsafePointer<Float>, into packed: UnsafeMutablePointer<Float>) {
        let taps = geometry.rows
        for f in 0..<filters {
            for t in 0..<taps { packed[t * filters + f] = weights[f * taps + t] }
        }
    }

    @inline(__always)
    private static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// y = conv(x) + bias for one image; `packed` from `pack`.
    func forward(_ image: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, packed: UnsafePointer<Float>,
                 bias: UnsafePointer<Float>?, scratch: UnsafeMutablePointer<Float>) {
        let g = geometry
        let (pw, ph, k, n) = (paddedWidth, paddedHeight, g.size, g.columns)
        scratch.update(repeating: 0, count: scratchCount)
        for c in 0..<g.channels {
            for y in 0..<g.height {
                let src = image + (c * g.height + y) * g.width
                let dst = scratch + (c * ph + y + g.pad) * pw + g.pad
                for x in 0..<g.width { dst[x] = src[x] }
            }
        }
        let padded = UnsafePointer(scratch)
        var f0 = 0
        while f0 < filters {
            // Two vectors of 8 filters, or a lone last one.
            let f1 = min(f0 + 8, filters - 8)
            var b0 = SIMD8<Float>(repeating: 0), b1 = SIMD8<Float>(repeating: 0)
            if let bias {
                b0 = Self.load(bias + f0)
                b1 = Self.load(bias + f1)
            }
            if f1 == f0 {
                lone(padded, out, packed: packed, f0, bias: b0)
                f0 += 16
                continue
            }
            for oy in 0..<g.outHeight {
                var x0 = 0
                while x0 < g.outWidth {
                    var a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1
                    for c in 0..<g.channels {
                        for ky in 0..<k {
                            let row = padded + (c * ph + oy + ky) * pw + x0
                            var tap = packed + ((c * k + ky) * k) * filters
                            for kx in 0..<k {
                                let w0 = Self.load(tap + f0), w1 = Self.load(tap + f1)
                                let p0 = row[kx], p1 = row[kx + 1], p2 = row[kx + 2], p3 = row[kx + 3]
                                a00 += p0 * w0; a01 += p0 * w1
                                a10 += p1 * w0; a11 += p1 * w1
                                a20 += p2 * w0; a21 += p2 * w1
                                a30 += p3 * w0; a31 += p3 * w1
                                tap += filters
                            }
                        }
                    }
                    let pixels = min(4, g.outWidth - x0)
                    let base = out + oy * g.outWidth + x0
                    let second = f1 > f0
                    for lane in 0..<8 {
                        let p0 = base + (f0 + lane) * n
                        p0[0] = a00[lane]
                        if pixels > 1 { p0[1] = a10[lane] }
                        if pixels > 2 { p0[2] = a20[lane] }
                        if pixels > 3 { p0[3] = a30[lane] }
                        if second {
                            let p1 = base + (f1 + lane) * n
                            p1[0] = a01[lane]
                            if pixels > 1 { p1[1] = a11[lane] }
                            if pixels > 2 { p1[2] = a21[lane] }
                            if pixels > 3 { p1[3] = a31[lane] }
                        }
                    }
                    x0 += 4
                }
            }
            f0 += 16
        }
    }

    /// One vector of 8 filters (a layer's dX on 8 channels, or a last odd vector), 8 pixels
    /// a step so each weight load still feeds 8 multiply-adds.
    @inline(__always)
    private func lone(_ padded: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, packed: UnsafePointer<Float>,
                      _ f0: Int, bias: SIMD8<Float>) {
        let g = geometry
        let (pw, ph, k, n) = (paddedWidth, paddedHeight, g.size, g.columns)
        for oy in 0..<g.outHeight {
            var x0 = 0
            while x0 < g.outWidth {
                var a0 = bias, a1 = bias, a2 = bias, a3 = bias, a4 = bias, a5 = bias, a6 = bias, a7 = bias
                for c in 0..<g.channels {
                    for ky in 0..<k {
                        let row = padded + (c * ph + oy + ky) * pw + x0
                        var tap = packed + ((c * k + ky) * k) * filters + f0
                        for kx in 0..<k {
                            let w = Self.load(tap)
                            a0 += row[kx] * w; a1 += row[kx + 1] * w
                            a2 += row[kx + 2] * w; a3 += row[kx + 3] * w
                            a4 += row[kx + 4] * w; a5 += row[kx + 5] * w
                            a6 += row[kx + 6] * w; a7 += row[kx + 7] * w
                            tap += filters
                        }
                    }
                }
                let pixels = min(8, g.outWidth - x0)
                let base = out + oy * g.outWidth + x0
                for lane in 0..<8 {
                    let p = base + (f0 + lane) * n
                    let column = SIMD8<Float>(a0[lane], a1[lane], a2[lane], a3[lane], a4[lane], a5[lane], a6[lane], a7[lane])
                    for j in 0..<pixels { p[j] = column[j] }
                }
                x0 += 8
            }
        }
    }
}
