/// Dense: y[o] = b[o] + sum over i of w[o, i] * x[i], the input volume read flat (CHW order).
///
/// One sgemm for all the images of a call. Weights are stored outputs x inputs, then
/// one bias per output.
final class DenseLayer: Layer {
    let spec: LayerSpec
    let inputVolume: Volume
    let outputVolume: Volume
    let units: Int
    let inputs: Int
    let hasBias: Bool
    private(set) var weights: UnsafeMutablePointer<Float>?

    init(spec: LayerSpec, input: Volume, units: Int, hasBias: Bool) {
        self.spec = spec
        self.inputVolume = input
        self.outputVolume = Volume(1, 1, units)
        self.units = units
        self.inputs = input.count
        self.hasBias = hasBias
    }

    var weightCount: Int { units * inputs }
    var parameterCount: Int { weightCount + (hasBias ? units : 0) }

    func bind(parameters: UnsafeMutablePointer<Float>) { weights = parameters }

    func initialize(_ rng: inout SplitMix64, scheme: Initialization) {
        guard let w = weights else { return }
        drawWeights(w, count: weightCount, fanIn: inputs, fanOut: units, scheme: scheme, rng: &rng)
        if hasBias { (w + weightCount).update(repeating: 0, count: units) }
    }

    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, images: Int, _ context: LayerContext) {
        let w = weights!
        if hasBias {
            for i in 0..<images { (y + i * units).update(from: w + weightCount, count: units) }
        }
        // y[n x O] = x[n x I] * W^T (+ the biases already in y)
        gemm(transposeB: true, m: images, n: units, k: inputs, a: x, lda: inputs, b: w, ldb: inputs,
             beta: hasBias ? 1 : 0, c: y, ldc: units)
    }

    func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dY: UnsafePointer<Float>,
                  _ dX: UnsafeMutablePointer<Float>?, gradients: UnsafeMutablePointer<Float>?,
                  images: Int, _ context: LayerContext) {
        let w = weights!
        let dW = gradients!
        // dW[O x I] += dY^T[O x n] * x[n x I]
        gemm(transposeA: true, m: units, n: inputs, k: images, a: dY, lda: units, b: x, ldb: inputs,
             beta: 1, c: dW, ldc: inputs)
        if hasBias {
            let dB = dW + weightCount
            for i in 0..<images {
                let row = dY + i * units
                for o in 0..<units { dB[o] += row[o] }
            }
        }
        // dX[n x I] = dY[n x O] * W[O x I]
        if let dX {
            gemm(m: images, n: inputs, k: units, a: dY, lda: units, b: w, ldb: inputs, beta: 0, c: dX, ldc: inputs)
        }
    }
}

/// Flatten: y = x, the volume W x H x D read as 1 x 1 x (W*H*D) in CHW order.
final class FlattenLayer: Layer {
    let spec: LayerSpec
    let inputVolume: Volume
    let outputVolume: Volume

    init(spec: LayerSpec, input: Volume) {
        self.spec = spec
        self.inputVolume = input
        self.outputVolume = Volume(1, 1, input.count)
    }

    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, images: Int, _ context: LayerContext) {
        y.update(from: x, count: images * inputVolume.count)
    }

    func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dY: UnsafePointer<Float>,
                  _ dX: UnsafeMutablePointer<Float>?, gradients: UnsafeMutablePointer<Float>?,
                  images: Int, _ context: LayerContext) {
        dX?.update(from: dY, count: images * inputVolume.count)
    }
}
