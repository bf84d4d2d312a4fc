import Convnet

/// "Things get deep": volumes through the chapter's deep net.
enum DeepNetExercises {
    static let section = "Things get deep"

    static var all: [Exercise] { [deepFlatten] }

    /// The chapter's deep net: three conv + pool stages, then two fully-connected layers.
    /// Each stage: (filters, size, pad), then a 2x2 max pool.
    static let stages = [(filters: 8, size: 5, pad: 2), (filters: 16, size: 5, pad: 2), (filters: 32, size: 3, pad: 1)]

    /// The volume reaching the first fully-connected layer.
    static var deepNetFlatVolume: Volume {
        var volume = Volume(28, 28, 1)
        for stage in stages {
            guard let convolved = LayerArithmetic.convVolume(input: volume, filters: stage.filters, size: stage.size, pad: stage.pad),
                let pooled = LayerArithmetic.poolVolume(input: convolved, size: 2)
            else { preconditionFailure("the chapter's deep net fits 28x28x1") }
            volume = pooled
        }
        return volume
    }

    static var deepFlatten: Exercise {
        let flat = deepNetFlatVolume
        let roundedUp = Volume(4, 4, flat.depth)
        return Exercise(
            id: "deep-net-flatten", title: "What reaches the first dense layer", section: section,
            question: """
                The chapter's deep net on 28x28x1 images:
                  conv 8 5x5 pad 2, relu, maxpool 2x2,
                  conv 16 5x5 pad 2, relu, maxpool 2x2,
                  conv 32 3x3 pad 1, relu, maxpool 2x2,
                  dense 64, relu, dense 10.
                A 2x2 pool on a map of odd size drops the leftover row and column.
                How many numbers does the first dense layer receive from each image?
                """,
            answerForm: "a number",
            check: Checker.number(
                Double(flat.count),
                explanation: "The pads keep each conv's size, and each pool halves it, rounding down: 28, 14, 7, then \(flat.width). The last volume is \(flat), unrolled into \(flat.count) numbers.",
                mistakes: [
                    Mistake(Double(roundedUp.count), hint: "The last pool rounds down: a 2x2 window needs two rows, and the odd row left over is dropped."),
                    Mistake(Double(7 * 7 * flat.depth), hint: "That is the volume before the last pool; there are three pools."),
                    Mistake(Double(flat.width * flat.height), hint: "That is one map; the dense layer receives every map, one per filter of the last conv."),
                ],
                hint: "Follow the volume layer by layer: a padded conv keeps width and height, a 2x2 pool halves them, and the depth is the last conv's filter count."))
    }
}
