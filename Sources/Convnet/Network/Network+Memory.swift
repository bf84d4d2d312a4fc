/// How much memory a net needs, estimated once for everyone who builds one: `Network.init`
/// refuses a net over its cap with this, and so does the language before a learner's net is
/// built. The estimate is in floating point, so absurd sizes (a dense layer of ten million
/// units on a 16M x 16M input) are refused instead of overflowing integer arithmetic.
extension Network {
    /// Bytes of one layer: its parameters five times (the weights, two worker gradient blocks,
    /// two optimizer states), and its outputs and their gradients for `batch` images.
    ///
    ///     bytes = (parameters * 5 + outputs * 2 * batch) * 4
    public static func estimatedBytes(of spec: LayerSpec, input: Volume, output: Volume, batch: Int) -> Double {
        let parameters: Double
        switch spec {
        case let .conv(filters, size, _, _, bias):
            parameters = Double(filters) * Double(size) * Double(size) * Double(input.depth) + (bias ? Double(filters) : 0)
        case let .dense(units, bias):
            parameters = Double(units) * values(in: input) + (bias ? Double(units) : 0)
        default:
            parameters = 0
        }
        return (parameters * 5 + values(in: output) * 2 * Double(max(1, batch))) * Double(MemoryLayout<Float>.size)
    }

    /// Refuses a net that would pass `limit` bytes for a batch of `batch` images.
    /// - Parameter volumes: `[input, after layer 1, ...]`, as `inferVolumes` gives them.
    /// - Throws: `ConvnetError.tooLarge` naming the first layer whose own bytes, or the
    ///   bytes of the net up to it, pass the cap.
    public static func checkMemory(volumes: [Volume], layers specs: [LayerSpec], batch: Int, limit: Int) throws {
        var total = 0.0
        for (i, spec) in specs.enumerated() {
            let bytes = estimatedBytes(of: spec, input: volumes[i], output: volumes[i + 1], batch: batch)
            total += bytes
            if bytes > Double(limit) || total > Double(limit) {
                // Doubles past Int.max would trap in Int(_:): such a layer is reported at Int.max.
                let reported = max(bytes, total) < Double(Int.max) ? Int(max(bytes, total)) : Int.max
                let what = batch > 1 ? "\(spec) on \(volumes[i]) for a batch of \(batch)" : "\(spec) on \(volumes[i])"
                throw ConvnetError.tooLarge(layerIndex: i + 1, layer: what, bytes: reported, limit: limit)
            }
        }
    }

    /// Width x height x depth, in floating point.
    public static func values(in volume: Volume) -> Double {
        Double(volume.width) * Double(volume.height) * Double(volume.depth)
    }
}

/// Growing a net.
extension Network {
    /// This net with `more` layers after its last, keeping the weights it has learned; the
    /// new layers' weights are drawn from the net's seed, as if it had been built whole.
    /// - Parameter checkedBatch: the batch the memory check assumes (see `init`).
    /// - Throws: `ConvnetError` when a new layer does not fit the volumes or the memory cap.
    public func appending(_ more: [LayerSpec], checkedBatch: Int = 1) throws -> Network {
        let grown = try Network(
            input: inputVolume, layers: specs + more, seed: seed, initialization: initialization,
            memoryLimit: memoryLimit, threads: threads, checkedBatch: checkedBatch)
        // The first layers' parameters sit at the same offsets in both nets.
        grown.parameters.update(from: parameters, count: parameterCount)
        return grown
    }
}
