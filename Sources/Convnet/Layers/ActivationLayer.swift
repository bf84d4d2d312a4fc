import Foundation

/// Elementwise nonlinearities: relu y = max(0, x); leaky relu y = x > 0 ? x : slope*x;
/// sigmoid y = 1 / (1 + e^-x); tanh y = tanh(x). Backward reads y where it can
/// (relu' = y > 0, sigmoid' = y(1 - y), tanh' = 1 - y^2).
final class ActivationLayer: Layer {
    enum Function {
        case relu
        case leakyRelu(Float)
        case sigmoid
        case tanh
    }

    let spec: LayerSpec
    let inputVolume: Volume
    let outputVolume: Volume
    let function: Function

    init(spec: LayerSpec, volume: Volume, function: Function) {
        self.spec = spec
        self.inputVolume = volume
        self.outputVolume = volume
        self.function = function
    }

    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, images: Int, _ context: LayerContext) {
        let n = images * inputVolume.count
        switch function {
        case .relu:
            Relu.forward(x, y, count: n)
        case let .leakyRelu(slope):
            for i in 0..<n { y[i] = x[i] > 0 ? x[i] : slope * x[i] }
        case .sigmoid:
            for i in 0..<n { y[i] = 1 / (1 + Foundation.exp(-x[i])) }
        case .tanh:
            for i in 0..<n { y[i] = Foundation.tanh(x[i]) }
        }
    }

    func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dY: UnsafePointer<Float>,
                  _ dX: UnsafeMutablePointer<Float>?, gradients: UnsafeMutablePointer<Float>?,
                  images: Int, _ context: LayerContext) {
        guard let dX else { return }
        let n = images * inputVolume.count
        switch function {
        case .relu:
            // From y (> 0 exactly where x is), not x: y was just read by the layer after, so it
            // is in cache. (Before a max pool no relu layer runs: the pool does its work.)
            Relu.backward(y, dY, dX, count: n)
        case let .leakyRelu(slope):
            for i in 0..<n { dX[i] = x[i] > 0 ? dY[i] : slope * dY[i] }
        case .sigmoid:
            for i in 0..<n { dX[i] = dY[i] * y[i] * (1 - y[i]) }
        case .tanh:
            for i in 0..<n { dX[i] = dY[i] * (1 - y[i] * y[i]) }
        }
    }
}

/// Relu 8 lanes at a time: the plain loops stayed scalar (Swift's max orders NaN, and the
/// select did not vectorise), and were a tenth of net B's inference. The last few values go
/// one by one with the same rule.
enum Relu {
    static func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count n: Int) {
        let zero = SIMD8<Float>()
        var i = 0
        while i + 8 <= n {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: v.replacing(with: zero, where: v .< zero), as: SIMD8<Float>.self)
            i += 8
        }
        while i < n {
            y[i] = x[i] < 0 ? 0 : x[i]
            i += 1
        }
    }

    /// dX = y > 0 ? dY : 0.
    static func backward(_ y: UnsafePointer<Float>, _ dY: UnsafePointer<Float>, _ dX: UnsafeMutablePointer<Float>, count n: Int) {
        let zero = SIMD8<Float>()
        var i = 0
        while i + 8 <= n {
            let v = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
            let g = UnsafeRawPointer(dY + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(dX + i).storeBytes(of: zero.replacing(with: g, where: v .> zero), as: SIMD8<Float>.self)
            i += 8
        }
        while i < n {
            dX[i] = y[i] > 0 ? dY[i] : 0
            i += 1
        }
    }
}

/// Softmax: y_i = e^(x_i - max x) / sum_j e^(x_j - max x), over each image's whole volume.
/// Backward: dx_i = y_i * (dy_i - sum_j dy_j y_j). (Training with cross-entropy skips this
/// and starts from y - onehot; see `Loss`.)
final class SoftmaxLayer: Layer {
    let spec: LayerSpec
    let inputVolume: Volume
    let outputVolume: Volume

    init(spec: LayerSpec, volume: Volume) {
        self.spec = spec
        self.inputVolume = volume
        self.outputVolume = volume
    }

    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, images: Int, _ context: LayerContext) {
        let k = inputVolume.count
        for i in 0..<images {
            softmax(x + i * k, y + i * k, count: k)
        }
    }

    func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dY: UnsafePointer<Float>,
                  _ dX: UnsafeMutablePointer<Float>?, gradients: UnsafeMutablePointer<Float>?,
                  images: Int, _ context: LayerContext) {
        guard let dX else { return }
        let k = inputVolume.count
        for i in 0..<images {
            let (p, g, d) = (y + i * k, dY + i * k, dX + i * k)
            var dot: Float = 0
            for j in 0..<k { dot += g[j] * p[j] }
            for j in 0..<k { d[j] = p[j] * (g[j] - dot) }
        }
    }
}

/// Softmax of `count` values, shifted by their maximum so exp never overflows.
func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count k: Int) {
    var top = x[0]
    for j in 1..<max(k, 1) where x[j] > top { top = x[j] }
    var sum: Float = 0
    for j in 0..<k {
        let e = Foundation.exp(x[j] - top)
        y[j] = e
        sum += e
    }
    let inv = 1 / sum
    for j in 0..<k { y[j] *= inv }
}

/// Dropout: in training y = x * keep / (1 - rate) with keep drawn per value (probability
/// 1 - rate); in evaluation y = x.
///
/// The keep mask is a hash of (seed, training step, image in batch, position), so
/// backward recomputes it instead of storing it and worker threads need no shared generator.
final class DropoutLayer: Layer {
    let spec: LayerSpec
    let inputVolume: Volume
    let outputVolume: Volume
    let rate: Float

    init(spec: LayerSpec, volume: Volume, rate: Float) {
        self.spec = spec
        self.inputVolume = volume
        self.outputVolume = volume
        self.rate = rate
    }

    @inline(__always)
    private func keeps(_ context: LayerContext, image: Int, position: Int) -> Bool {
        let key = context.seed ^ (context.step &* 0x9E37_79B9_7F4A_7C15)
            ^ (UInt64(image) &* 0xD1B5_4A32_D192_ED03) ^ (UInt64(position) &* 0x8CB9_2BA7_2F3D_8DD7)
        let u = Float(SplitMix64.mix(key) >> 40) * (1.0 / 16_777_216.0)
        return u >= rate
    }

    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, images: Int, _ context: LayerContext) {
        let k = inputVolume.count
        guard context.training, rate > 0 else {
            y.update(from: x, count: images * k)
            return
        }
        let scale = 1 / (1 - rate)
        for i in 0..<images {
            for j in 0..<k {
                y[i * k + j] = keeps(context, image: context.firstImage + i, position: j) ? x[i * k + j] * scale : 0
            }
        }
    }

    func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dY: UnsafePointer<Float>,
                  _ dX: UnsafeMutablePointer<Float>?, gradients: UnsafeMutablePointer<Float>?,
                  images: Int, _ context: LayerContext) {
        guard let dX else { return }
        let k = inputVolume.count
        guard context.training, rate > 0 else {
            dX.update(from: dY, count: images * k)
            return
        }
        let scale = 1 / (1 - rate)
        for i in 0..<images {
            for j in 0..<k {
                dX[i * k + j] = keeps(context, image: context.firstImage + i, position: j) ? dY[i * k + j] * scale : 0
            }
        }
    }
}
