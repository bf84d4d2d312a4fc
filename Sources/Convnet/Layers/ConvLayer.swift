/// Conv: y[f, oy, ox] = b[f] + sum over c, ky, kx of w[f, c, ky, kx] * x[c, oy*stride - pad + ky, ox*stride - pad + kx].
///
/// Forward and backward go through im2col and one sgemm per image (into a per-worker
/// scratch matrix, so nothing is allocated per batch), except stride-1 layers on 1 to 3
/// channels, which use the direct SIMD kernels of `DirectConv` for forward, and dW of every
/// stride-1 layer with outputs 12 or more wide, which reads the padded input (`WeightGradient.swift`),
/// not a col matrix; dX of stride-1 layers on a multiple of 8 channels is a forward conv of dOut
/// (`transposed`). Stride-1 layers with a multiple of 8 filters run `FilterVectorConv` forward,
/// which needs no col matrix: in evaluation always, in training when dW needs none either. Weights are stored
/// filters x channels x size x size, then one bias per filter.
///
/// Layers on 4 or more channels run on oneDNN instead when it is loaded (`OneDNNConv`,
/// `ConvolutionLibrary`); the kernels above remain for 1 to 3 channels, for
/// `CONVNET_CONV=engine`, and for any shape oneDNN refuses.
final class ConvLayer: Layer {
    let spec: LayerSpec
    let inputVolume: Volume
    let outputVolume: Volume
    let filters: Int
    let geometry: ConvGeometry
    let hasBias: Bool
    private(set) var weights: UnsafeMutablePointer<Float>?
    /// Set when the direct kernels suit this layer's shape.
    let direct: DirectConv?
    /// For every stride-1 layer but 1x1 unpadded ones: the kernel of backward's dW (and dBias),
    /// which reads the padded input (a few KB, in L1) instead of a col matrix saved by
    /// forward (up to 157 KB an image, long out of cache by backward); see WeightGradient.
    let directGradient: DirectConv?
    /// Set when the filter-vectorised inference kernel suits this layer, with its packed weights.
    let wide: FilterVectorConv?
    private let packed: UnsafeMutablePointer<Float>?
    /// For stride-1 layers on a multiple of 8 channels: backward's dX as a forward conv of
    /// dOut with the weights flipped and channels and filters swapped, pad size-1-pad
    /// (dX[c] = sum over f of dOut[f] correlated with w[f, c] turned 180 degrees), by the
    /// filter-vectorised kernel. W^T * dOut then col2im ran at a third of the machine's
    /// sgemm rate on net B's second layer, the scatter of col2im costing more than the multiply.
    let transposed: FilterVectorConv?
    /// oneDNN's forward, dX and dW, where it is loaded and the direct kernels do not suit.
    let onednn: OneDNNConv?

    init(spec: LayerSpec, input: Volume, output: Volume, filters: Int, size: Int, stride: Int, pad: Int, hasBias: Bool,
         library: ConvolutionLibrary = .current) {
        self.spec = spec
        self.inputVolume = input
        self.outputVolume = output
        self.filters = filters
        self.hasBias = hasBias
        geometry = ConvGeometry(channels: input.depth, height: input.height, width: input.width,
                                size: size, stride: stride, pad: pad,
                                outHeight: output.height, outWidth: output.width)
        direct = DirectConv.suits(geometry) ? DirectConv(geometry: geometry, filters: filters) : nil
        onednn = library == .onednn && direct == nil ? OneDNNConv(geometry: geometry, filters: filters, hasBias: hasBias) : nil
        let needsIm2col = !(size == 1 && stride == 1 && pad == 0)
        // The blocked dW kernel wins on wide outputs; on narrow ones (7x7) its 8-wide rows
        // are mostly padding and its horizontal sums dominate, and sgemm on the saved col
        // matrix runs twice as fast (BENCHMARKS.md).
        let wideOutput = output.width >= 12
        directGradient = direct ?? (stride == 1 && needsIm2col && wideOutput ? DirectConv(geometry: geometry, filters: filters) : nil)
        let flipped = ConvGeometry(channels: filters, height: output.height, width: output.width, size: size, stride: 1,
                                   pad: size - 1 - pad, outHeight: input.height, outWidth: input.width)
        transposed = stride == 1 && pad <= size - 1 && FilterVectorConv.suits(flipped, filters: input.depth)
            ? FilterVectorConv(geometry: flipped, filters: input.depth) : nil
        if direct == nil && FilterVectorConv.suits(geometry, filters: filters) {
            let kernel = FilterVectorConv(geometry: geometry, filters: filters)
            wide = kernel
            packed = .allocate(capacity: kernel.packedCount)
            packed!.initialize(repeating: 0, count: kernel.packedCount)
        } else {
            wide = nil
            packed = nil
        }
    }

    deinit { packed?.deallocate() }

    /// Source, destination and their gradients, each at most once more in oneDNN's layout.
    var stagingCountPerImage: Int { onednn == nil ? 0 : 2 * (inputVolume.count + outputVolume.count) }

    func releaseBatchState() { onednn?.releasePlans() }

    func prepareForInference() {
        if let wide, let packed, let weights { wide.pack(weights, into: packed) }
    }

    var weightCount: Int { filters * geometry.rows }
    var parameterCount: Int { weightCount + (hasBias ? filters : 0) }
    /// A 1x1 stride-1 unpadded conv reads its input as the col matrix directly.
    private var needsIm2col: Bool { !(geometry.size == 1 && geometry.stride == 1 && geometry.pad == 0) }
    /// Training keeps each image's im2col matrix from forward for backward's dW (stride > 1
    /// only; oneDNN keeps its own, and should it refuse a shape backward rebuilds the matrix).
    var savedCount: Int { onednn == nil && directGradient == nil && needsIm2col ? colCount : 0 }
    /// One image's im2col matrix, with the slack the stride-1 copy writes past its end.
    private var colCount: Int { geometry.rows * geometry.columns + ConvGeometry.colSlack }
    /// Scratch: a col matrix, then the padded input copy of the stride-1 im2col; or the
    /// kernels' own; then backward's flipped weights for `transposed`.
    var scratchCount: Int { workCount + max(transposed?.packedCount ?? 0, wide?.packedCount ?? 0) }
    private var workCount: Int {
        max(needsIm2col ? colCount + geometry.paddedInputCount : 0, direct?.scratchCount ?? 0,
            wide?.scratchCount ?? 0, directGradient?.blockedGradientScratchCount ?? 0, transposed?.scratchCount ?? 0)
    }

    /// The weights of `transposed`, packed taps x filters: tap (f, ky, kx) of filter c is
    /// w[f, c, size-1-ky, size-1-kx].
    private func packFlipped(into out: UnsafeMutablePointer<Float>) {
        let w = weights!
        let (k, channels) = (geometry.size, geometry.channels)
        for f in 0..<filters {
            for c in 0..<channels {
                let src = w + (f * channels + c) * k * k
                for ky in 0..<k {
                    for kx in 0..<k {
                        out[((f * k + ky) * k + kx) * channels + c] = src[(k - 1 - ky) * k + (k - 1 - kx)]
                    }
                }
            }
        }
    }

    /// Writes image's col matrix into `col`, the fast way for stride 1.
    private func im2col(_ image: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>, _ context: LayerContext) {
        if geometry.stride == 1 {
            geometry.im2colStride1(image, col, padded: context.scratch + colCount)
        } else {
            geometry.im2col(image, col)
        }
    }

    func bind(parameters: UnsafeMutablePointer<Float>) { weights = parameters }

    func initialize(_ rng: inout SplitMix64, scheme: Initialization) {
        guard let w = weights else { return }
        let k = geometry.size * geometry.size
        drawWeights(w, count: weightCount, fanIn: geometry.channels * k, fanOut: filters * k, scheme: scheme, rng: &rng)
        if hasBias { (w + weightCount).update(repeating: 0, count: filters) }
    }

    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, images: Int, _ context: LayerContext) {
        let w = weights!
        let (kk, nn) = (geometry.rows, geometry.columns)
        if let onednn, onednn.forward(x, y, weights: w, bias: hasBias ? UnsafePointer(w + weightCount) : nil,
                                      images: images, worker: context.worker) {
            return
        }
        if let direct {
            for i in 0..<images {
                direct.forward(x + i * inputVolume.count, y + i * outputVolume.count, weights: w,
                               bias: hasBias ? UnsafePointer(w + weightCount) : nil, scratch: context.scratch)
            }
            return
        }
        // In training too when backward needs no col matrix from forward, with the weights
        // packed into this worker's scratch (they change every step).
        if let wide, let packed, !context.training || directGradient != nil {
            let taps = context.training ? context.scratch + workCount : packed
            if context.training { wide.pack(w, into: taps) }
            for i in 0..<images {
                wide.forward(x + i * inputVolume.count, y + i * outputVolume.count, packed: taps,
                             bias: hasBias ? UnsafePointer(w + weightCount) : nil, scratch: context.scratch)
            }
            return
        }
        for i in 0..<images {
            let image = x + i * inputVolume.count
            let out = y + i * outputVolume.count
            let col: UnsafePointer<Float>
            if needsIm2col {
                let target = context.saved.map { $0 + i * savedCount } ?? context.scratch
                im2col(image, target, context)
                col = UnsafePointer(target)
            } else {
                col = image
            }
            gemm(m: filters, n: nn, k: kk, a: w, lda: kk, b: col, ldb: nn, beta: 0, c: out, ldc: nn)
            if hasBias {
                let bias = w + weightCount
                for f in 0..<filters {
                    let b = bias[f]
                    let row = out + f * nn
                    for j in 0..<nn { row[j] += b }
                }
            }
        }
    }

    func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dY: UnsafePointer<Float>,
                  _ dX: UnsafeMutablePointer<Float>?, gradients: UnsafeMutablePointer<Float>?,
                  images: Int, _ context: LayerContext) {
        let w = weights!
        let dW = gradients!
        let (kk, nn) = (geometry.rows, geometry.columns)
        if let onednn, onednn.backward(x, dY, dX, weights: w, dWeights: dW, dBias: hasBias ? dW + weightCount : nil,
                                       images: images, worker: context.worker) {
            return
        }
        if transposed != nil && dX != nil { packFlipped(into: context.scratch + workCount) }
        for i in 0..<images {
            let image = x + i * inputVolume.count
            let dOut = dY + i * outputVolume.count
            if let directGradient {
                directGradient.accumulateWeightGradientsBlocked(image, dOut, dWeights: dW, dBias: hasBias ? dW + weightCount : nil,
                                                                scratch: context.scratch)
                if let dX {
                    inputGradient(dOut, dX + i * inputVolume.count, scratch: context.scratch)
                }
                continue
            }
            // dW[f x K] += dOut[f x N] * col^T
            let col: UnsafePointer<Float>
            if needsIm2col {
                if let saved = context.saved {
                    col = UnsafePointer(saved + i * savedCount)
                } else {
                    im2col(image, context.scratch, context)
                    col = UnsafePointer(context.scratch)
                }
            } else {
                col = image
            }
            gemm(transposeB: true, m: filters, n: kk, k: nn, a: dOut, lda: nn, b: col, ldb: nn, beta: 1, c: dW, ldc: kk)
            if hasBias {
                let dB = dW + weightCount
                for f in 0..<filters {
                    let row = dOut + f * nn
                    var sum: Float = 0
                    for j in 0..<nn { sum += row[j] }
                    dB[f] += sum
                }
            }
            guard let dX else { continue }
            inputGradient(dOut, dX + i * inputVolume.count, scratch: context.scratch)
        }
    }

    /// dX = col2im(W^T * dOut) for one image.
    private func inputGradient(_ dOut: UnsafePointer<Float>, _ dImage: UnsafeMutablePointer<Float>,
                               scratch: UnsafeMutablePointer<Float>) {
        let w = weights!
        let (kk, nn) = (geometry.rows, geometry.columns)
        if let transposed {
            transposed.forward(dOut, dImage, packed: scratch + workCount, bias: nil, scratch: scratch)
        } else if needsIm2col {
            // dCol[K x N] = W^T * dOut, in the scratch, then scattered back.
            gemm(transposeA: true, m: kk, n: nn, k: filters, a: w, lda: kk, b: dOut, ldb: nn,
                 beta: 0, c: scratch, ldc: nn)
            if geometry.stride == 1 {
                geometry.col2imStride1(scratch, dImage, padded: scratch + colCount)
            } else {
                dImage.update(repeating: 0, count: inputVolume.count)
                geometry.col2imAdding(scratch, dImage)
            }
        } else {
            gemm(transposeA: true, m: kk, n: nn, k: filters, a: w, lda: kk, b: dOut, ldb: nn,
                 beta: 0, c: dImage, ldc: nn)
        }
    }
}
