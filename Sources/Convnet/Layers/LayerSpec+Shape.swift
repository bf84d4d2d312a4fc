/// Shape inference: the output volume and parameter count of each layer for an
/// input volume, with errors that show the arithmetic.
extension LayerSpec {
    /// The volume this layer makes from `input`.
    /// - Parameter layerIndex: the layer's position (from 1) for error messages.
    /// - Throws: `ConvnetError` when the windows do not tile the input, a window is larger
    ///   than the input, or a setting is impossible.
    public func outputVolume(for input: Volume, layerIndex: Int = 1) throws -> Volume {
        try validate(layerIndex: layerIndex)
        switch self {
        case let .conv(filters, size, stride, pad, _):
            let w = try Self.windows(input.width, size: size, stride: stride, pad: pad, exact: true,
                                     layerIndex: layerIndex, layer: description, input: input)
            let h = try Self.windows(input.height, size: size, stride: stride, pad: pad, exact: true,
                                     layerIndex: layerIndex, layer: description, input: input)
            return Volume(w, h, filters)
        case let .maxpool(size, stride), let .avgpool(size, stride):
            let w = try Self.windows(input.width, size: size, stride: stride, pad: 0, exact: false,
                                     layerIndex: layerIndex, layer: description, input: input)
            let h = try Self.windows(input.height, size: size, stride: stride, pad: 0, exact: false,
                                     layerIndex: layerIndex, layer: description, input: input)
            return Volume(w, h, input.depth)
        case let .dense(units, _):
            return Volume(1, 1, units)
        case .flatten:
            return Volume(1, 1, input.count)
        case .relu, .leakyRelu, .sigmoid, .tanh, .softmax, .dropout:
            return input
        }
    }

    /// Weights plus biases of this layer on `input`: conv `filters * (size*size*depth + 1)`,
    /// dense `units * (inputs + 1)`, others 0.
    public func parameterCount(for input: Volume) -> Int {
        switch self {
        case let .conv(filters, size, _, _, bias):
            return filters * size * size * input.depth + (bias ? filters : 0)
        case let .dense(units, bias):
            return units * input.count + (bias ? units : 0)
        default:
            return 0
        }
    }

    /// Multiply-adds of one image's forward pass (for benchmarks and summaries).
    public func multiplyAdds(for input: Volume) -> Int {
        guard let out = try? outputVolume(for: input) else { return 0 }
        switch self {
        case let .conv(_, size, _, _, _):
            return out.count * size * size * input.depth
        case .dense:
            return out.count * input.count
        default:
            return 0
        }
    }

    func validate(layerIndex: Int) throws {
        func fail(_ reason: String) -> ConvnetError {
            .invalidLayer(layerIndex: layerIndex, layer: description, reason: reason)
        }
        switch self {
        case let .conv(filters, size, stride, pad, _):
            if filters < 1 { throw fail("a conv layer needs at least 1 filter") }
            if size < 1 { throw fail("the filter size must be at least 1x1") }
            if stride < 1 { throw fail("the stride must be at least 1") }
            if pad < 0 { throw fail("the padding cannot be negative") }
            if pad >= size { throw fail("a padding of \(pad) on a \(size)x\(size) filter gives windows of only zeros; use pad < size") }
        case let .maxpool(size, stride), let .avgpool(size, stride):
            if size < 1 { throw fail("the window must be at least 1x1") }
            if stride < 1 { throw fail("the stride must be at least 1") }
        case let .dense(units, _):
            if units < 1 { throw fail("a dense layer needs at least 1 unit") }
        case let .leakyRelu(slope):
            if !slope.isFinite { throw fail("the slope must be a finite number") }
        case let .dropout(rate):
            if !(rate >= 0 && rate < 1) { throw fail("the dropout rate must be at least 0 and below 1, not \(rate)") }
        case .relu, .sigmoid, .tanh, .softmax, .flatten:
            break
        }
    }

    /// How many windows fit along one side, or the error with the arithmetic.
    private static func windows(_ side: Int, size: Int, stride: Int, pad: Int, exact: Bool,
                                layerIndex: Int, layer: String, input: Volume) throws -> Int {
        let padded = side + 2 * pad
        if size > padded {
            throw ConvnetError.windowLargerThanInput(
                layerIndex: layerIndex, layer: layer, input: input,
                paddedWidth: input.width + 2 * pad, paddedHeight: input.height + 2 * pad)
        }
        let span = padded - size
        if exact && span % stride != 0 {
            let inner = pad == 0 ? "\(side) - \(size)" : "\(side) + 2*\(pad) - \(size)"
            throw ConvnetError.volumeDoesNotFit(
                layerIndex: layerIndex, layer: layer, input: input,
                arithmetic: "(\(inner)) / \(stride) + 1 is not whole")
        }
        return span / stride + 1
    }
}
