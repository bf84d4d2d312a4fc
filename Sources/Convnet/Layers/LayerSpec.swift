/// A layer as a learner writes it: the public, declarative description that the
/// language builds nets from, `summary` prints and the file format stores.
///
/// Sizes are square (`size: 5` is a 5x5 window). Output volumes follow
/// `out = (in + 2*pad - size) / stride + 1` for conv (which must be whole) and
/// `out = floor((in - size) / stride) + 1` for pooling (a last partial window is
/// dropped, as in ConvNetJS and PyTorch).
public enum LayerSpec: Hashable, Sendable {
    /// `filters` filters of `size`x`size`x(input depth), moved `stride` pixels at a time
    /// over the input padded with `pad` zeros on every side; `bias` adds one number per filter.
    case conv(filters: Int, size: Int, stride: Int = 1, pad: Int = 0, bias: Bool = true)
    /// The largest value of each `size`x`size` window, windows `stride` apart.
    case maxpool(size: Int, stride: Int)
    /// The mean of each `size`x`size` window, windows `stride` apart.
    case avgpool(size: Int, stride: Int)
    /// Fully connected: every one of `units` outputs sees the whole input (flattened).
    case dense(units: Int, bias: Bool = true)
    /// `y = max(0, x)`.
    case relu
    /// `y = x` for x > 0, `slope * x` otherwise.
    case leakyRelu(slope: Float = 0.01)
    /// `y = 1 / (1 + e^-x)`.
    case sigmoid
    /// `y = tanh(x)`.
    case tanh
    /// `y_i = e^x_i / sum_j e^x_j` over the whole volume of each image.
    case softmax
    /// In training, zero each value with probability `rate` and scale the rest by
    /// 1 / (1 - rate); in evaluation, `y = x`.
    case dropout(rate: Float = 0.5)
    /// The volume as a 1x1xN column (implied before a dense layer).
    case flatten

    /// `maxpool(size: 2)`: windows that do not overlap.
    public static func maxpool(size: Int) -> LayerSpec { .maxpool(size: size, stride: size) }
    /// `avgpool(size: 2)`: windows that do not overlap.
    public static func avgpool(size: Int) -> LayerSpec { .avgpool(size: size, stride: size) }

    /// The layer's kind as one word: "conv", "maxpool", "dense", "relu", ...
    public var kind: String {
        switch self {
        case .conv: return "conv"
        case .maxpool: return "maxpool"
        case .avgpool: return "avgpool"
        case .dense: return "dense"
        case .relu: return "relu"
        case .leakyRelu: return "leakyrelu"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .softmax: return "softmax"
        case .dropout: return "dropout"
        case .flatten: return "flatten"
        }
    }

    /// Whether the layer has weights that training changes.
    public var hasParameters: Bool {
        switch self {
        case .conv, .dense: return true
        default: return false
        }
    }
}

extension LayerSpec: CustomStringConvertible {
    /// "conv 8 5x5 stride 1 pad 2", "maxpool 2x2 stride 2", "dense 10", "relu".
    public var description: String {
        switch self {
        case let .conv(filters, size, stride, pad, bias):
            var text = "conv \(filters) \(size)x\(size)"
            if stride != 1 { text += " stride \(stride)" }
            if pad != 0 { text += " pad \(pad)" }
            if !bias { text += " no bias" }
            return text
        case let .maxpool(size, stride):
            return "maxpool \(size)x\(size)" + (stride == size ? "" : " stride \(stride)")
        case let .avgpool(size, stride):
            return "avgpool \(size)x\(size)" + (stride == size ? "" : " stride \(stride)")
        case let .dense(units, bias):
            return "dense \(units)" + (bias ? "" : " no bias")
        case let .leakyRelu(slope):
            return "leakyrelu \(slope)"
        case let .dropout(rate):
            return "dropout \(rate)"
        default:
            return kind
        }
    }
}
