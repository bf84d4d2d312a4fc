import Convnet

/// The memory a net would need, estimated in floating point before the engine is
/// asked to build it, so that absurd sizes (a 16M x 16M input, a dense layer of ten
/// million units on it) are refused with a MemoryError instead of overflowing the
/// engine's integer arithmetic.
enum MemoryCheck {
    /// Throws a MemoryError naming the first layer that passes `limit` bytes (its
    /// parameters with gradients and optimizer state, plus its outputs for 32 images),
    /// or a VolumeError for volumes that do not fit.
    static func net(input: Volume, layers: [LayerSpec], limit: Int) throws(LanguageError) {
        try volume(input, limit: limit, what: "the input volume \(input)")
        var current = input
        var total = 0.0
        for (i, spec) in layers.enumerated() {
            let output = try engine { try spec.outputVolume(for: current, layerIndex: i + 1) }
            let inputs = count(current), outputs = count(output)
            var parameters = 0.0
            switch spec {
            case let .conv(filters, size, _, _, bias):
                parameters = Double(filters) * Double(size) * Double(size) * Double(current.depth) + (bias ? Double(filters) : 0)
            case let .dense(units, bias):
                parameters = Double(units) * inputs + (bias ? Double(units) : 0)
            default:
                break
            }
            // Parameters, two gradient blocks and two optimizer states; outputs and
            // their gradients for a batch of 32.
            let bytes = (parameters * 5 + outputs * 2 * 32) * 4
            total += bytes
            if bytes > Double(limit) || total > Double(limit) {
                throw LanguageError(
                    .layerOverMemory(layer: i + 1, spec: spec.description, input: current.description, bytes: bytes, limit: limit))
            }
            current = output
        }
    }

    /// Refuses a single volume whose values alone pass the cap.
    static func volume(_ v: Volume, limit: Int, what: String) throws(LanguageError) {
        let bytes = count(v) * 4
        if bytes > Double(limit) {
            throw LanguageError(.valuesOverMemory(subject: what, bytes: bytes, limit: limit))
        }
    }

    static func count(_ v: Volume) -> Double { Double(v.width) * Double(v.height) * Double(v.depth) }

    static func size(_ bytes: Double) -> String {
        let gigabyte = 1_073_741_824.0, megabyte = 1_048_576.0
        return bytes >= gigabyte
            ? "\(Value.format((bytes / gigabyte * 10).rounded() / 10)) GB"
            : "\(Value.format((bytes / megabyte * 10).rounded() / 10)) MB"
    }
}
