/// Pooling: y[c, oy, ox] = max (or mean) of x[c, oy*stride + ky, ox*stride + kx] over ky, kx < size.
///
/// out = floor((in - size) / stride) + 1; a last partial window is dropped. Max pooling
/// finds each window's maximum again in backward instead of storing where it was (the
/// first maximum wins, in forward and backward alike), so it keeps no state per batch.
final class PoolLayer: Layer {
    enum Mode { case max, average }

    let spec: LayerSpec
    let inputVolume: Volume
    let outputVolume: Volume
    let size: Int
    let stride: Int
    let mode: Mode

    init(spec: LayerSpec, input: Volume, output: Volume, size: Int, stride: Int, mode: Mode) {
        self.spec = spec
        self.inputVolume = input
        self.outputVolume = output
        self.size = size
        self.stride = stride
        self.mode = mode
    }

    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, images: Int, _ context: LayerContext) {
        let (inW, inH) = (inputVolume.width, inputVolume.height)
        let (outW, outH) = (outputVolume.width, outputVolume.height)
        let planes = images * inputVolume.depth
        if mode == .max && size == 2 && stride == 2 {
            maxpool2x2Forward(x, y, planes: planes)
            return
        }
        let scale = 1 / Float(size * size)
        for p in 0..<planes {
            let src = x + p * inW * inH
            let dst = y + p * outW * outH
            for oy in 0..<outH {
                for ox in 0..<outW {
                    let corner = src + (oy * stride) * inW + ox * stride
                    switch mode {
                    case .max:
                        var best = corner[0]
                        for ky in 0..<size {
                            let row = corner + ky * inW
                            for kx in 0..<size where row[kx] > best { best = row[kx] }
                        }
                        dst[oy * outW + ox] = best
                    case .average:
                        var sum: Float = 0
                        for ky in 0..<size {
                            let row = corner + ky * inW
                            for kx in 0..<size { sum += row[kx] }
                        }
                        dst[oy * outW + ox] = sum * scale
                    }
                }
            }
        }
    }

    func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dY: UnsafePointer<Float>,
                  _ dX: UnsafeMutablePointer<Float>?, gradients: UnsafeMutablePointer<Float>?,
                  images: Int, _ context: LayerContext) {
        guard let dX else { return }
        let (inW, inH) = (inputVolume.width, inputVolume.height)
        let (outW, outH) = (outputVolume.width, outputVolume.height)
        let planes = images * inputVolume.depth
        if mode == .max && size == 2 && stride == 2 {
            maxpool2x2Backward(x, y, dY, dX, planes: planes)
            return
        }
        let scale = 1 / Float(size * size)
        dX.update(repeating: 0, count: planes * inW * inH)
        for p in 0..<planes {
            let src = x + p * inW * inH
            let dSrc = dX + p * inW * inH
            let dDst = dY + p * outW * outH
            for oy in 0..<outH {
                for ox in 0..<outW {
                    let offset = (oy * stride) * inW + ox * stride
                    let g = dDst[oy * outW + ox]
                    switch mode {
                    case .max:
                        var bestOffset = offset
                        var best = src[offset]
                        for ky in 0..<size {
                            for kx in 0..<size {
                                let o = offset + ky * inW + kx
                                if src[o] > best { best = src[o]; bestOffset = o }
                            }
                        }
                        dSrc[bestOffset] += g
                    case .average:
                        let share = g * scale
                        for ky in 0..<size {
                            let row = dSrc + offset + ky * inW
                            for kx in 0..<size { row[kx] += share }
                        }
                    }
                }
            }
        }
    }

    // The common 2x2 stride-2 max pool, unrolled; the same first-maximum rule as the general loop.
    private func maxpool2x2Forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, planes: Int) {
        let (inW, inH) = (inputVolume.width, inputVolume.height)
        let (outW, outH) = (outputVolume.width, outputVolume.height)
        for p in 0..<planes {
            let src = x + p * inW * inH
            let dst = y + p * outW * outH
            for oy in 0..<outH {
                let top = src + 2 * oy * inW
                let bottom = top + inW
                let out = dst + oy * outW
                for ox in 0..<outW {
                    out[ox] = max(max(top[2 * ox], top[2 * ox + 1]), max(bottom[2 * ox], bottom[2 * ox + 1]))
                }
            }
        }
    }

    private func maxpool2x2Backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dY: UnsafePointer<Float>,
                                    _ dX: UnsafeMutablePointer<Float>, planes: Int) {
        let (inW, inH) = (inputVolume.width, inputVolume.height)
        let (outW, outH) = (outputVolume.width, outputVolume.height)
        for p in 0..<planes {
            let src = x + p * inW * inH
            let dSrc = dX + p * inW * inH
            let out = y + p * outW * outH
            let dOut = dY + p * outW * outH
            for oy in 0..<outH {
                let top = 2 * oy * inW
                for ox in 0..<outW {
                    let m = out[oy * outW + ox]
                    let g = dOut[oy * outW + ox]
                    let a = top + 2 * ox
                    // The first of the four (row-major) equal to the maximum takes the gradient;
                    // every cell of the window is written, so no zeroing pass is needed. Written
                    // with 0/1 integers, not && and ?:, so it compiles without branches (the
                    // comparisons are unpredictable and mispredictions dominated this loop).
                    let e0 = Self.bit(src[a] == m), e1 = Self.bit(src[a + 1] == m), e2 = Self.bit(src[a + inW] == m)
                    let t1 = (1 - e0) & e1
                    let t2 = (1 - e0) & (1 - e1) & e2
                    let t3 = (1 - e0) & (1 - e1) & (1 - e2)
                    dSrc[a] = g * Float(e0)
                    dSrc[a + 1] = g * Float(t1)
                    dSrc[a + inW] = g * Float(t2)
                    dSrc[a + inW + 1] = g * Float(t3)
                }
                // An odd last column is in no window.
                if inW > 2 * outW {
                    dSrc[top + inW - 1] = 0
                    dSrc[top + 2 * inW - 1] = 0
                }
            }
            // An odd last row is in no window.
            for y in (2 * outH)..<inH {
                for x in 0..<inW { dSrc[y * inW + x] = 0 }
            }
        }
    }

    @inline(__always)
    private static func bit(_ b: Bool) -> Int32 { Int32(unsafeBitCast(b, to: UInt8.self)) }
}
