import Convnet

/// The mistakes learners make with `out = (in + 2*pad - size) / stride + 1`,
/// computed for one conv layer so every volume question gets hints that fit it.
struct ConvLayerQuestion {
    var input: Volume
    var filters: Int
    var size: Int
    var stride: Int = 1
    var pad: Int = 0

    /// The right output volume; the bank's questions are chosen so it exists.
    var output: Volume {
        guard let volume = LayerArithmetic.convVolume(input: input, filters: filters, size: size, stride: stride, pad: pad)
        else { preconditionFailure("conv \(size)x\(size) stride \(stride) pad \(pad) does not fit \(input)") }
        return volume
    }

    var outputDimensions: [Int] { [output.width, output.height, output.depth] }

    /// How the answer comes out, for the "Correct" message.
    var explanation: String {
        let out = output
        let arithmetic = "(\(input.width) + 2*\(pad) - \(size)) / \(stride) + 1 = \(out.width)"
        return "Width and height: \(arithmetic); depth: one activation map per filter, \(filters)."
    }

    /// The general hint, when no known mistake matches.
    static let formulaHint =
        "Use out = (in + 2 x pad - size) / stride + 1 for the width and the height; the depth is the number of filters."

    /// Likely wrong volumes and their hints, most specific first.
    var mistakes: [Mistake<[Int]>] {
        let out = output
        var list: [Mistake<[Int]>] = []
        if pad > 0, let unpadded = LayerArithmetic.convVolume(input: input, filters: filters, size: size, stride: stride, pad: 0) {
            list.append(Mistake([unpadded.width, unpadded.height, filters],
                hint: "That is the size without padding: pad \(pad) adds \(pad) pixels on every side before the filter slides."))
        }
        if stride > 1, let unstrided = LayerArithmetic.convVolume(input: input, filters: filters, size: size, stride: 1, pad: pad) {
            list.append(Mistake([unstrided.width, unstrided.height, filters],
                hint: "That is the size at stride 1: at stride \(stride) the filter jumps \(stride) pixels at a time, so only every \(ordinal(stride)) position makes an output."))
        }
        list.append(Mistake([out.width + 1, out.height + 1, filters],
            hint: "One position too many (the chapter's own text slips the same way, with 25 x 25 maps from 5x5 filters on 28x28). The whole filter must lie inside the \(pad > 0 ? "padded " : "")image: its last position starts \(size - 1) pixels before the far edge."))
        list.append(Mistake([out.width - 1, out.height - 1, filters],
            hint: "One position too few: (in + 2 x pad - size) / stride counts the steps between the first and the last position; add one to count the positions."))
        if 2 * pad < size - 1 {
            list.append(Mistake([input.width, input.height, filters],
                hint: "A \(size)x\(size) filter cannot be centred on the border pixels without enough padding, so the maps come out smaller than the input."))
        }
        if input.depth != filters {
            list.append(Mistake([out.width, out.height, input.depth],
                hint: "The depth of a conv layer's output is the number of filters (each makes one activation map), not the depth of its input."))
            list.append(Mistake([out.width, out.height, input.depth * filters],
                hint: "Each filter already spans all \(input.depth) input channels and makes a single map: the depth is the number of filters."))
        }
        if size != filters {
            list.append(Mistake([out.width, out.height, size],
                hint: "The depth is not the filter's size: count the filters."))
        }
        return list
    }

    func ordinal(_ n: Int) -> String {
        switch n {
        case 2: return "second"
        case 3: return "third"
        case 4: return "fourth"
        default: return "\(n)th"
        }
    }

    /// A checker for the output volume of this layer.
    var volumeChecker: @Sendable (Answer) -> Verdict {
        Checker.volume(outputDimensions, explanation: explanation, mistakes: mistakes, hint: Self.formulaHint)
    }
}
