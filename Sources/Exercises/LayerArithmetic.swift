import Convnet

/// The arithmetic of the chapter's layers, from which the exercises compute their
/// expected answers (so a question changed in one place stays right).
///
/// These mirror the engine's rules but are written out here on purpose: the bank
/// teaches the formulas, and its tests check them against hand-worked values.
public enum LayerArithmetic {
    /// The width (or height) of a conv or pool output:
    /// `out = (in + 2*pad - size) / stride + 1`, nil when the filter does not fit
    /// or the division is not whole.
    public static func outputSize(input: Int, size: Int, stride: Int = 1, pad: Int = 0) -> Int? {
        let span = input + 2 * pad - size
        guard stride > 0, size > 0, span >= 0, span % stride == 0 else { return nil }
        return span / stride + 1
    }

    /// The output size of a pooling window that drops a leftover row or column, as
    /// ConvNetJS and PyTorch do: `floor((in - size) / stride) + 1`.
    public static func pooledSize(input: Int, size: Int, stride: Int) -> Int? {
        guard stride > 0, size > 0, input >= size else { return nil }
        return (input - size) / stride + 1
    }

    /// The output volume of a conv layer: one activation map per filter.
    public static func convVolume(input: Volume, filters: Int, size: Int, stride: Int = 1, pad: Int = 0) -> Volume? {
        guard let width = outputSize(input: input.width, size: size, stride: stride, pad: pad),
            let height = outputSize(input: input.height, size: size, stride: stride, pad: pad)
        else { return nil }
        return Volume(width, height, filters)
    }

    /// The output volume of a max or average pool: the depth is unchanged.
    public static func poolVolume(input: Volume, size: Int, stride: Int? = nil) -> Volume? {
        let step = stride ?? size
        guard let width = pooledSize(input: input.width, size: size, stride: step),
            let height = pooledSize(input: input.height, size: size, stride: step)
        else { return nil }
        return Volume(width, height, input.depth)
    }

    /// Learned numbers of a conv layer: each filter has `size*size*inputDepth`
    /// weights and one bias.
    public static func convParameters(inputDepth: Int, filters: Int, size: Int, bias: Bool = true) -> Int {
        filters * (size * size * inputDepth + (bias ? 1 : 0))
    }

    /// Learned numbers of a fully-connected layer: a weight per input per output, a bias per output.
    public static func denseParameters(inputs: Int, outputs: Int, bias: Bool = true) -> Int {
        outputs * (inputs + (bias ? 1 : 0))
    }

    /// The receptive field (in input pixels, along one side) of one output of a
    /// stack of windows `(size, stride)`: each layer widens it by
    /// `(size - 1) * jump`, where `jump` is the product of the strides before it.
    public static func receptiveField(_ layers: [(size: Int, stride: Int)]) -> Int {
        var field = 1
        var jump = 1
        for layer in layers {
            field += (layer.size - 1) * jump
            jump *= layer.stride
        }
        return field
    }

    /// Max pooling of a matrix by hand: the largest value of each `size x size`
    /// window, windows `stride` apart (leftover rows and columns dropped).
    public static func maxPool(_ matrix: [[Double]], size: Int, stride: Int) -> [[Double]] {
        guard let rows = pooledSize(input: matrix.count, size: size, stride: stride),
            let columns = pooledSize(input: matrix.first?.count ?? 0, size: size, stride: stride)
        else { return [] }
        return (0..<rows).map { row in
            (0..<columns).map { column in
                var best = -Double.infinity
                for dy in 0..<size {
                    for dx in 0..<size {
                        best = max(best, matrix[row * stride + dy][column * stride + dx])
                    }
                }
                return best
            }
        }
    }

    /// The fully-connected neuron: `z = b + sum(w * x)`.
    public static func weightedSum(weights: [Double], inputs: [Double], bias: Double) -> Double {
        precondition(weights.count == inputs.count, "one weight per input")
        return zip(weights, inputs).reduce(bias) { $0 + $1.0 * $1.1 }
    }
}
