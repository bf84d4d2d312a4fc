/// Conv: y[f, oy, ox] = b[f] + sum over c, ky, kx of w[f, c, ky, kx] * x[c, oy*stride - pad + ky, ox*stride - pad + kx].
///
/// Forward and backward go through im2col and one sgemm per image (into a per-worker
/// scratch matrix, so nothing is allocated per batch). Weights are stored
/// filters x channels x size x size, then one bias per filter.
final class ConvLayer: Layer {
    let spec: LayerSpec
    let inputVolume: Volume
    let outputVolume: Volume
    let filters: Int
    let geometry: ConvGeometry
    let hasBias: Bool
    private(set) var weights: UnsafeMutablePointer<Float>?

    init(spec: LayerSpec, input: Volume, output: Volume, filters: Int, size: Int, stride: Int, pad: Int, hasBias: Bool) {
        self.spec = spec
        self.inputVolume = input
        self.outputVolume = output
        self.filters = filters
        self.hasBias = hasBias
        geometry = ConvGeometry(channels: input.depth, height: input.height, width: input.width,
                                size: size, stride: stride, pad: pad,
                                outHeight: output.height, outWidth: output.width)
    }

    var weightCount: Int { filters * geometry.rows }
    var parameterCount: Int { weightCount + (hasBias ? filters : 0) }
    /// A 1x1 stride-1 unpadded conv reads its input as the col matrix directly.
    private var needsIm2col: Bool { !(geometry.size == 1 && geometry.stride == 1 && geometry.pad == 0) }
    var scratchCount: Int { needsIm2col ? geometry.rows * geometry.columns : 0 }

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
        for i in 0..<images {
            let image = x + i * inputVolume.count
            let out = y + i * outputVolume.count
            let col: UnsafePointer<Float>
            if needsIm2col {
                geometry.im2col(image, context.scratch)
                col = UnsafePointer(context.scratch)
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
        for i in 0..<images {
            let image = x + i * inputVolume.count
            let dOut = dY + i * outputVolume.count
            // dW[f x K] += dOut[f x N] * col^T
            let col: UnsafePointer<Float>
            if needsIm2col {
                geometry.im2col(image, context.scratch)
                col = UnsafePointer(context.scratch)
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
            let dImage = dX + i * inputVolume.count
            if needsIm2col {
                // dCol[K x N] = W^T * dOut, reusing the col scratch, then scattered back.
                gemm(transposeA: true, m: kk, n: nn, k: filters, a: w, lda: kk, b: dOut, ldb: nn,
                     beta: 0, c: context.scratch, ldc: nn)
                dImage.update(repeating: 0, count: inputVolume.count)
                geometry.col2imAdding(context.scratch, dImage)
            } else {
                gemm(transposeA: true, m: kk, n: nn, k: filters, a: w, lda: kk, b: dOut, ldb: nn,
                     beta: 0, c: dImage, ldc: nn)
            }
        }
    }
}
