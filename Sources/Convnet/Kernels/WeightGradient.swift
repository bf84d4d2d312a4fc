/// The weight gradient of a stride-1 conv for one image, read from the zero-padded input
/// instead of an im2col matrix.
///
/// Through sgemm, `dW[F x K] += dOut[F x N] * col[K x N]^T` for nets B and C (F = 16 or
/// 32, K = 144 to 200, N = 49 to 196) spent about as long re-packing the col matrix as
/// multiplying, and the col matrix saved by forward (157 KB an image) came back from
/// memory. Row (c, ky, kx) of col is just the padded input's rows shifted by (ky, kx), so
/// this kernel reads those rows where they lie (the padded input is a few KB, in L1) and
/// computes a 2-tap x 4-filter block of dot products at a time, 8 columns per step, so each
/// load feeds two or four multiply-adds.
extension DirectConv {
    /// Scratch `accumulateWeightGradientsBlocked` needs: the padded input, then every
    /// filter's output gradient with rows padded by zeros to whole chunks.
    var blockedGradientScratchCount: Int { paddedInputCount + filters * geometry.outHeight * paddedOutWidth }

    @inline(__always)
    private static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// dW += sum over positions of dOut * x (and dBias += sum of dOut), for one image.
    func accumulateWeightGradientsBlocked(_ image: UnsafePointer<Float>, _ dOut: UnsafePointer<Float>,
                                          dWeights: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>?,
                                          scratch: UnsafeMutablePointer<Float>) {
        let g = geometry
        let (pw, ph, k, ow8, oh) = (paddedWidth, paddedHeight, g.size, paddedOutWidth, g.outHeight)
        padInput(image, into: scratch)
        let padded = UnsafePointer(scratch)
        let dRows = scratch + paddedInputCount
        let filterStride = oh * ow8
        for f in 0..<filters {
            var sum: Float = 0
            for oy in 0..<oh {
                let src = dOut + (f * oh + oy) * g.outWidth
                let dst = dRows + f * filterStride + oy * ow8
                for x in 0..<g.outWidth { dst[x] = src[x]; sum += src[x] }
                for x in g.outWidth..<ow8 { dst[x] = 0 }
            }
            dBias?[f] += sum
        }
        let d = UnsafePointer(dRows)
        // Where tap t = (c, ky, kx) starts in the padded input (its row for oy = 0).
        @inline(__always) func tapStart(_ t: Int) -> UnsafePointer<Float> {
            let (c, rest) = t.quotientAndRemainder(dividingBy: k * k)
            let (ky, kx) = rest.quotientAndRemainder(dividingBy: k)
            return padded + (c * ph + ky) * pw + kx
        }
        let taps = g.rows
        var t = 0
        while t + 2 <= taps {
            let x0 = tapStart(t), x1 = tapStart(t + 1)
            var f = 0
            while f + 4 <= filters {
                let d0 = d + f * filterStride, d1 = d0 + filterStride, d2 = d1 + filterStride, d3 = d2 + filterStride
                var a00 = SIMD8<Float>(), a01 = SIMD8<Float>()
                var a10 = SIMD8<Float>(), a11 = SIMD8<Float>()
                var a20 = SIMD8<Float>(), a21 = SIMD8<Float>()
                var a30 = SIMD8<Float>(), a31 = SIMD8<Float>()
                for oy in 0..<oh {
                    let (i0, i1, o) = (x0 + oy * pw, x1 + oy * pw, oy * ow8)
                    var j = 0
                    while j < ow8 {
                        let u0 = Self.load(i0 + j), u1 = Self.load(i1 + j)
                        let y0 = Self.load(d0 + o + j), y1 = Self.load(d1 + o + j)
                        let y2 = Self.load(d2 + o + j), y3 = Self.load(d3 + o + j)
                        a00.addProduct(y0, u0); a01.addProduct(y0, u1)
                        a10.addProduct(y1, u0); a11.addProduct(y1, u1)
                        a20.addProduct(y2, u0); a21.addProduct(y2, u1)
                        a30.addProduct(y3, u0); a31.addProduct(y3, u1)
                        j += 8
                    }
                }
                let w = dWeights + f * taps + t
                w[0] += a00.sum(); w[1] += a01.sum()
                w[taps] += a10.sum(); w[taps + 1] += a11.sum()
                w[2 * taps] += a20.sum(); w[2 * taps + 1] += a21.sum()
                w[3 * taps] += a30.sum(); w[3 * taps + 1] += a31.sum()
                f += 4
            }
            for f in f..<filters {
                dWeights[f * taps + t] += dot(x0, d + f * filterStride)
                dWeights[f * taps + t + 1] += dot(x1, d + f * filterStride)
            }
            t += 2
        }
        for t in t..<taps {
            let x = tapStart(t)
            for f in 0..<filters { dWeights[f * taps + t] += dot(x, d + f * filterStride) }
        }
    }

    /// One tap of one filter, for the blocks' leftovers, summed in the same order as the blocks.
    @inline(__always)
    private func dot(_ x: UnsafePointer<Float>, _ dRows: UnsafePointer<Float>) -> Float {
        let (pw, ow8) = (paddedWidth, paddedOutWidth)
        var acc = SIMD8<Float>()
        for oy in 0..<geometry.outHeight {
            var j = 0
            while j < ow8 {
                acc.addProduct(Self.load(dRows + oy * ow8 + j), Self.load(x + oy * pw + j))
                j += 8
            }
        }
        return acc.sum()
    }
}
