/// What a learner looks at: the summary table, and a layer's filters.
extension Network {
    /// One row of `summary`: a layer, the volume it makes and its parameters.
    public struct LayerSummary: Sendable, Hashable {
        /// Position from 1.
        public var index: Int
        public var spec: LayerSpec
        public var input: Volume
        public var output: Volume
        public var parameters: Int
    }

    /// Every layer with its output volume and parameter count.
    public var summary: [LayerSummary] {
        specs.indices.map { i in
            LayerSummary(index: i + 1, spec: specs[i], input: volumes[i], output: volumes[i + 1],
                         parameters: parameterCounts[i])
        }
    }

    /// The summary as a plain-text table, for consoles and text/plain displays.
    public var summaryText: String {
        var rows = [("layer", "output", "parameters"), ("input", inputVolume.description, "")]
        for row in summary {
            rows.append(("\(row.index) \(row.spec)", row.output.description, String(row.parameters)))
        }
        rows.append(("total", "", String(parameterCount)))
        let w0 = rows.map(\.0.count).max()!
        let w1 = rows.map(\.1.count).max()!
        return rows.map { r in
            r.0.padding(toLength: w0, withPad: " ", startingAt: 0) + "  "
                + r.1.padding(toLength: w1, withPad: " ", startingAt: 0) + "  " + r.2
        }.map { $0.trimmingTrailingSpaces() }.joined(separator: "\n")
    }

    /// The weights of layer `index` (from 1) with their shape, and its biases.
    ///
    /// A conv layer gives `[filters, depth, size, size]` (layout `.filterChannelsRowsColumns`),
    /// a dense layer `[units, inputs]` (`.outputsByInputs`). Biases are a vector (empty without bias).
    /// - Throws: `ConvnetError.noSuchLayer` for a number outside the net or a layer without weights.
    public func filters(layer index: Int) throws -> (weights: Tensor, biases: Tensor) {
        guard specs.indices.contains(index - 1) else {
            throw ConvnetError.noSuchLayer(index: index, reason: "the net has layers 1 to \(specs.count)")
        }
        let layer = layers[index - 1]
        let base = parameters + parameterOffsets[index - 1]
        let weights = Array(UnsafeBufferPointer(start: base, count: layer.weightCount))
        let biases = Array(UnsafeBufferPointer(start: base + layer.weightCount,
                                               count: layer.parameterCount - layer.weightCount))
        let input = volumes[index - 1]
        switch specs[index - 1] {
        case let .conv(filters, size, _, _, _):
            return (Tensor(shape: [filters, input.depth, size, size], layout: .filterChannelsRowsColumns, values: weights),
                    Tensor(shape: [biases.count], layout: .vector, values: biases))
        case let .dense(units, _):
            return (Tensor(shape: [units, input.count], layout: .outputsByInputs, values: weights),
                    Tensor(shape: [biases.count], layout: .vector, values: biases))
        default:
            throw ConvnetError.noSuchLayer(index: index, reason: "\(specs[index - 1].kind) has no weights; conv and dense layers do")
        }
    }

    /// Replaces the weights and biases of layer `index` (from 1); counts must match.
    public func setFilters(layer index: Int, weights: [Float], biases: [Float]) throws {
        let (w, b) = try filters(layer: index)
        guard weights.count == w.count, biases.count == b.count else {
            throw ConvnetError.invalidOption("layer \(index) has \(w.count) weights and \(b.count) biases, not \(weights.count) and \(biases.count)")
        }
        let base = parameters + parameterOffsets[index - 1]
        weights.withUnsafeBufferPointer { base.update(from: $0.baseAddress!, count: w.count) }
        biases.withUnsafeBufferPointer { if b.count > 0 { (base + w.count).update(from: $0.baseAddress!, count: b.count) } }
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}

import Foundation
