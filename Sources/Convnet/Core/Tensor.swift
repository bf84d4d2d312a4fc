/// How a tensor's flat values are ordered.
public enum TensorLayout: String, Sendable, Hashable {
    /// A batch of volumes: images, then channels (depth), then rows, then columns.
    case nchw
    /// One volume: channels (depth), then rows, then columns; the layout of `Volume`.
    case chw
    /// A conv layer's filters: filters, then input channels, then rows, then columns.
    case filterChannelsRowsColumns
    /// A dense layer's weights: one row of inputs per output unit.
    case outputsByInputs
    /// A plain list of values (biases, a vector of class scores).
    case vector
}

/// Float32 values with their shape and an explicit layout: what the engine hands
/// out when asked for activations, filters or predictions.
public struct Tensor: Sendable, Hashable {
    /// Sizes of each axis, outermost first, in the order `layout` names them.
    public var shape: [Int]
    public var layout: TensorLayout
    /// `shape.reduce(1, *)` values, the last axis varying fastest.
    public var values: [Float]

    public init(shape: [Int], layout: TensorLayout, values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not match \(values.count) values")
        self.shape = shape
        self.layout = layout
        self.values = values
    }

    /// A volume (CHW) holding `values`.
    public init(volume: Volume, values: [Float]) {
        self.init(shape: [volume.depth, volume.height, volume.width], layout: .chw, values: values)
    }

    /// The volume of a CHW tensor, or of one item of an NCHW tensor.
    public var volume: Volume? {
        switch layout {
        case .chw: return Volume(shape[2], shape[1], shape[0])
        case .nchw: return Volume(shape[3], shape[2], shape[1])
        default: return nil
        }
    }

    public var count: Int { values.count }
}
