import Foundation

/// Everything the engine refuses, each with a message a learner can act on.
public enum ConvnetError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// A layer's window does not tile its input: `arithmetic` is the formula with the
    /// numbers filled in ("(12 - 7) / 2 + 1 is not whole").
    case volumeDoesNotFit(layerIndex: Int, layer: String, input: Volume, arithmetic: String)
    /// A layer's window is larger than its (padded) input.
    case windowLargerThanInput(layerIndex: Int, layer: String, input: Volume, paddedWidth: Int, paddedHeight: Int)
    /// A layer's own settings are impossible (zero filters, a dropout rate of 1, ...).
    case invalidLayer(layerIndex: Int, layer: String, reason: String)
    /// A layer (its parameters, their gradients and optimizer state, or its activations
    /// for a batch) would need more memory than the cap allows; refused before allocating.
    case tooLarge(layerIndex: Int, layer: String, bytes: Int, limit: Int)
    /// A data set or an input whose volume is not the net's input volume.
    case inputMismatch(expected: Volume, got: Volume, what: String)
    /// A label outside the net's output classes.
    case labelOutOfRange(label: Int, classes: Int, index: Int)
    /// A training or evaluation option that cannot work (batch size 0, negative rate, ...).
    case invalidOption(String)
    /// A layer number outside the net, or a layer without the thing asked for.
    case noSuchLayer(index: Int, reason: String)
    /// A saved net that cannot be read; `reason` says what was wrong and where.
    case unreadableFile(path: String, reason: String)
    /// A file that could not be written.
    case unwritableFile(path: String, reason: String)

    public var description: String {
        switch self {
        case let .volumeDoesNotFit(i, layer, input, arithmetic):
            return "layer \(i): \(layer) on \(input.width)x\(input.height): \(arithmetic); "
                + "change the size, stride or padding so the windows tile the input"
        case let .windowLargerThanInput(i, layer, input, pw, ph):
            return "layer \(i): \(layer) on \(input.width)x\(input.height): its window is larger than the input"
                + (pw == input.width && ph == input.height ? "" : " padded to \(pw)x\(ph)")
        case let .invalidLayer(i, layer, reason):
            return "layer \(i): \(layer): \(reason)"
        case let .tooLarge(i, layer, bytes, limit):
            return "layer \(i): \(layer) needs \(Self.megabytes(bytes)), over the memory cap of \(Self.megabytes(limit)); "
                + "use fewer filters or units, a smaller batch, or raise the cap"
        case let .inputMismatch(expected, got, what):
            return "\(what) has volume \(got) but the net takes \(expected)"
        case let .labelOutOfRange(label, classes, index):
            return "image \(index) has label \(label), but the net's last layer gives \(classes) classes"
        case let .invalidOption(message):
            return message
        case let .noSuchLayer(index, reason):
            return "layer \(index): \(reason)"
        case let .unreadableFile(path, reason):
            return "cannot load \(path): \(reason)"
        case let .unwritableFile(path, reason):
            return "cannot save \(path): \(reason)"
        }
    }

    public var errorDescription: String? { description }

    static func megabytes(_ bytes: Int) -> String {
        bytes >= 1 << 30
            ? String(format: "%.1f GB", Double(bytes) / Double(1 << 30))
            : String(format: "%.1f MB", Double(bytes) / Double(1 << 20))
    }
}
