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
}
