/// How a layer's weights start: drawn from a seeded generator so a run can be repeated.
public enum Initialization: String, Sendable, Hashable, CaseIterable {
    /// Normal with standard deviation sqrt(2 / fanIn) (He et al. 2015): suits relu nets.
    case he
    /// Uniform in +-sqrt(6 / (fanIn + fanOut)) (Glorot and Bengio 2010): suits tanh and sigmoid.
    case glorot
}

/// What a layer's kernels get besides their buffers, for one call on a run of images.
struct LayerContext {
    /// This worker's scratch: at least the layer's `scratchCount` floats.
    var scratch: UnsafeMutablePointer<Float>
    /// Which worker calls: kernels that keep per-thread state (oneDNN's plans) index it by this.
    var worker: Int = 0
    /// Position in the batch of the first image of this call (dropout hashes it).
    var firstImage: Int
    /// Training (dropout active) or evaluation.
    var training: Bool
    /// The net's training step and seed, so dropout masks are reproducible and shared by
    /// forward and backward without being stored.
    var step: UInt64
    var seed: UInt64
    /// In training, this layer's own buffer for what forward keeps for backward
    /// (`savedCount` floats per image), at the first image of this call; nil in evaluation.
    var saved: UnsafeMutablePointer<Float>? = nil
}

/// One layer of a sequential net: its configuration, its output volume, forward,
/// backward and its parameters. Buffers are flat Float32, images in NCHW order, and
/// each call handles `images` consecutive images starting at the given pointers.
///
/// Parameters live in the net's single parameter block (`bind`); their gradients in a
/// block per worker thread, passed to `backward` and accumulated with `+=`.
protocol Layer: AnyObject {
    var spec: LayerSpec { get }
    var inputVolume: Volume { get }
    var outputVolume: Volume { get }
    /// Weights then biases; the first `weightCount` take L1/L2 decay, biases do not.
    var parameterCount: Int { get }
    var weightCount: Int { get }
    /// Floats of per-worker scratch a call needs, whatever the number of images.
    var scratchCount: Int { get }
    /// Floats per image that forward keeps for backward in training (conv: its im2col matrix).
    var savedCount: Int { get }
    /// Floats per image a layer's library keeps besides the net's buffers (oneDNN's copies of
    /// a conv's inputs and outputs in its own layout), so the memory cap counts them.
    var stagingCountPerImage: Int { get }
    /// Gives back what the layer keeps per batch size (oneDNN's plans); called on one thread
    /// with no pass running, when the net gives back its batch buffers.
    func releaseBatchState()
    /// Called on one thread before an evaluation pass, so a layer can derive what its
    /// inference kernels need from the current weights (conv: weights repacked by tap).
    func prepareForInference()
    /// Points the layer at its `parameterCount` floats of the net's parameter block.
    func bind(parameters: UnsafeMutablePointer<Float>)
    /// Draws fresh weights and zeroes the biases.
    func initialize(_ rng: inout SplitMix64, scheme: Initialization)
    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, images: Int, _ context: LayerContext)
    /// Given dLoss/dy, adds dLoss/dparameters into `gradients` and writes dLoss/dx into
    /// `dX` (overwriting it); `dX` is nil for the first layer, whose input needs no gradient.
    func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dY: UnsafePointer<Float>,
                  _ dX: UnsafeMutablePointer<Float>?, gradients: UnsafeMutablePointer<Float>?,
                  images: Int, _ context: LayerContext)
}

extension Layer {
    var weightCount: Int { 0 }
    var parameterCount: Int { 0 }
    var scratchCount: Int { 0 }
    var savedCount: Int { 0 }
    var stagingCountPerImage: Int { 0 }
    func releaseBatchState() {}
    func bind(parameters: UnsafeMutablePointer<Float>) {}
    func prepareForInference() {}
    func initialize(_ rng: inout SplitMix64, scheme: Initialization) {}
}

/// Fills `count` weights for a layer with the given fan-in and fan-out.
func drawWeights(_ weights: UnsafeMutablePointer<Float>, count: Int, fanIn: Int, fanOut: Int,
                 scheme: Initialization, rng: inout SplitMix64) {
    switch scheme {
    case .he:
        let std = (2.0 / Double(fanIn)).squareRoot()
        for i in 0..<count { weights[i] = Float(rng.nextGaussian() * std) }
    case .glorot:
        let limit = (6.0 / Double(fanIn + fanOut)).squareRoot()
        for i in 0..<count { weights[i] = Float((rng.nextUnitDouble() * 2 - 1) * limit) }
    }
}

/// Makes the layer object for a spec whose shapes have been checked.
func makeLayer(_ spec: LayerSpec, input: Volume, output: Volume) -> Layer {
    switch spec {
    case let .conv(filters, size, stride, pad, bias):
        return ConvLayer(spec: spec, input: input, output: output, filters: filters, size: size,
                         stride: stride, pad: pad, hasBias: bias)
    case let .dense(units, bias):
        return DenseLayer(spec: spec, input: input, units: units, hasBias: bias)
    case let .maxpool(size, stride):
        return PoolLayer(spec: spec, input: input, output: output, size: size, stride: stride, mode: .max)
    case let .avgpool(size, stride):
        return PoolLayer(spec: spec, input: input, output: output, size: size, stride: stride, mode: .average)
    case .relu:
        return ActivationLayer(spec: spec, volume: input, function: .relu)
    case let .leakyRelu(slope):
        return ActivationLayer(spec: spec, volume: input, function: .leakyRelu(slope))
    case .sigmoid:
        return ActivationLayer(spec: spec, volume: input, function: .sigmoid)
    case .tanh:
        return ActivationLayer(spec: spec, volume: input, function: .tanh)
    case .softmax:
        return SoftmaxLayer(spec: spec, volume: input)
    case let .dropout(rate):
        return DropoutLayer(spec: spec, volume: input, rate: rate)
    case .flatten:
        return FlattenLayer(spec: spec, input: input)
    }
}
