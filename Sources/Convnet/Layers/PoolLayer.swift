/// Pooling: y[c, oy, ox] = max (or mean) of x[c, oy*stride + ky, ox*stride + kx] over ky, kx < size.
///
/// out = floor((in - size) / stride) + 1; a last partial window is dropped. Max pooling
/// finds each window's maximum again in backward instead of storing where it was (the
/// first maximum in row-major order wins, in forward and backward alike), so it keeps no
/// state per batch. Each mode and shape has its own loop (the 2x2 stride-2 max pool in SIMD,
/// `MaxPool2x2`); no loop tests the mode inside.
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

    private var isMax2x2: Bool { mode == .max && size == 2 && stride == 2 }

    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, images: Int, _ context: LayerContext) {
        forward(x, y, images: images, context, floor: -.infinity)
    }

    /// Forward with every max pool output raised to `floor` at least: with 0, a relu before
    /// the pool done after it (max and relu commute), which the net's passes use to skip the
    /// relu's own pass (`Network.maxPoolTakingRelu`). Average pooling takes no floor.
    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, images: Int, _ context: LayerContext,
                 floor: Float) {
        let planes = images * inputVolume.depth
        switch mode {
        case .max where isMax2x2:
            MaxPool2x2.forward(x, y, planes: planes, width: inputVolume.width, height: inputVolume.height, floor: floor)
        case .max where size == 3 && stride == 3:
            maxForward(x, y, planes: planes, size: 3, stride: 3, floor: floor)
        case .max:
            maxForward(x, y, planes: planes, size: size, stride: stride, floor: floor)
        case .average:
            precondition(floor == -.infinity, "average pooling does not commute with relu")
            averageForward(x, y, planes: planes)
        }
    }

    func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dY: UnsafePointer<Float>,
                  _ dX: UnsafeMutablePointer<Float>?, gradients: UnsafeMutablePointer<Float>?,
                  images: Int, _ context: LayerContext) {
        backward(x, y, dY, dX, images: images, context, passingOnlyAboveZero: false)
    }

    /// Backward; with `passingOnlyAboveZero`, a window whose output is not above 0 passes no
    /// gradient: the backward of a relu before the pool that forward ran with floor 0, given
    /// the relu's input as x.
    func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dY: UnsafePointer<Float>,
                  _ dX: UnsafeMutablePointer<Float>?, images: Int, _ context: LayerContext, passingOnlyAboveZero gated: Bool) {
        guard let dX else { return }
        let planes = images * inputVolume.depth
        switch mode {
        case .max where isMax2x2:
            MaxPool2x2.backward(x, y, dY, dX, planes: planes, width: inputVolume.width, height: inputVolume.height,
                                passingOnlyAboveZero: gated)
        case .max where size == 3 && stride == 3:
            maxBackward(x, dY, dX, planes: planes, size: 3, stride: 3, gated: gated)
        case .max:
            maxBackward(x, dY, dX, planes: planes, size: size, stride: stride, gated: gated)
        case .average:
            precondition(!gated, "average pooling does not commute with relu")
            averageBackward(dY, dX, planes: planes)
        }
    }

    // MARK: - Any size and stride

    // Inlined, so a call with constants (net C's 3x3 stride 3) compiles to unrolled windows.
    @inline(__always)
    private func maxForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, planes: Int,
                            size: Int, stride: Int, floor: Float) {
        let (inW, inH) = (inputVolume.width, inputVolume.height)
        let (outW, outH) = (outputVolume.width, outputVolume.height)
        for p in 0..<planes {
            let src = x + p * inW * inH
            let dst = y + p * outW * outH
            for oy in 0..<outH {
                for ox in 0..<outW {
                    let corner = src + (oy * stride) * inW + ox * stride
                    var best = corner[0]
                    for ky in 0..<size {
                        let row = corner + ky * inW
                        for kx in 0..<size { best = max(best, row[kx]) }
                    }
                    dst[oy * outW + ox] = max(best, floor)
                }
            }
        }
    }

    /// Each window's gradient goes to its first maximum, found again as forward found it;
    /// windows that overlap (stride < size) add up.
    @inline(__always)
    private func maxBackward(_ x: UnsafePointer<Float>, _ dY: UnsafePointer<Float>,
                             _ dX: UnsafeMutablePointer<Float>, planes: Int, size: Int, stride: Int, gated: Bool) {
        let (inW, inH) = (inputVolume.width, inputVolume.height)
        let (outW, outH) = (outputVolume.width, outputVolume.height)
        dX.update(repeating: 0, count: planes * inW * inH)
        for p in 0..<planes {
            let src = x + p * inW * inH
            let dSrc = dX + p * inW * inH
            let dDst = dY + p * outW * outH
            for oy in 0..<outH {
                for ox in 0..<outW {
                    let corner = (oy * stride) * inW + ox * stride
                    var (best, bestOffset) = (src[corner], corner)
                    for ky in 0..<size {
                        for kx in 0..<size {
                            // Selects, not a branch: which cell is largest is unpredictable.
                            let o = corner + ky * inW + kx
                            let larger = src[o] > best
                            best = larger ? src[o] : best
                            bestOffset = larger ? o : bestOffset
                        }
                    }
                    let g = dDst[oy * outW + ox]
                    dSrc[bestOffset] += gated && !(best > 0) ? 0 : g
                }
            }
        }
    }

    private func averageForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, planes: Int) {
        let (inW, inH) = (inputVolume.width, inputVolume.height)
        let (outW, outH) = (outputVolume.width, outputVolume.height)
        let scale = 1 / Float(size * size)
        for p in 0..<planes {
            let src = x + p * inW * inH
            let dst = y + p * outW * outH
            for oy in 0..<outH {
                for ox in 0..<outW {
                    let corner = src + (oy * stride) * inW + ox * stride
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

    private func averageBackward(_ dY: UnsafePointer<Float>, _ dX: UnsafeMutablePointer<Float>, planes: Int) {
        let (inW, inH) = (inputVolume.width, inputVolume.height)
        let (outW, outH) = (outputVolume.width, outputVolume.height)
        let scale = 1 / Float(size * size)
        dX.update(repeating: 0, count: planes * inW * inH)
        for p in 0..<planes {
            let dSrc = dX + p * inW * inH
            let dDst = dY + p * outW * outH
            for oy in 0..<outH {
                for ox in 0..<outW {
                    let share = dDst[oy * outW + ox] * scale
                    let corner = dSrc + (oy * stride) * inW + ox * stride
                    for ky in 0..<size {
                        let row = corner + ky * inW
                        for kx in 0..<size { row[kx] += share }
                    }
                }
            }
        }
    }
}
