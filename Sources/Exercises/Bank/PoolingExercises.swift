import Convnet

/// Pooling layers: max pooling by hand, the volume after a pool, and its parameters.
enum PoolingExercises {
    static let section = "Pooling layers"

    static var all: [Exercise] { [maxPoolByHand, poolVolumeMNIST, poolParameters] }

    static let matrix: [[Double]] = [
        [1, 3, 2, 0],
        [5, 6, 1, 8],
        [0, 2, 4, 1],
        [3, 1, 0, 2],
    ]

    static var maxPoolByHand: Exercise {
        let pooled = LayerArithmetic.maxPool(matrix, size: 2, stride: 2)
        let averaged = pool(matrix) { $0.reduce(0, +) / Double($0.count) }
        let minimum = pool(matrix) { $0.min() ?? 0 }
        let overlapping = LayerArithmetic.maxPool(matrix, size: 2, stride: 1)
        let rows = matrix.map { "  " + $0.map(numberText).joined(separator: " ") }.joined(separator: "\n")
        return Exercise(
            id: "maxpool-by-hand", title: "Max pooling 2x2 by hand", section: section,
            question: """
                Max pool this 4x4 activation map with 2x2 windows and stride 2:
                \(rows)
                Write the result as a list of rows.
                """,
            answerForm: "a list of rows, like [[1, 2], [3, 4]]",
            check: Checker.matrix(
                pooled,
                explanation: "Each 2x2 block, taken without overlap, keeps only its largest value.",
                mistakes: [
                    Mistake(averaged, hint: "That is average pooling; max pooling keeps the largest value of each window."),
                    Mistake(minimum, hint: "Those are the smallest values; max pooling keeps the largest of each window."),
                    Mistake(overlapping, hint: "At stride 2 the windows do not overlap."),
                ],
                hint: "Split the map into four 2x2 blocks that do not overlap and keep the largest value of each."))
    }

    static var poolVolumeMNIST: Exercise {
        let input = Volume(24, 24, 8)
        guard let out = LayerArithmetic.poolVolume(input: input, size: 2) else { preconditionFailure("2x2 pool fits 24x24") }
        return Exercise(
            id: "pool-volume-mnist", title: "24x24x8 through a 2x2 max pool", section: section,
            question: "The first conv layer's output, 24x24x8, goes through max pooling with 2x2 windows and stride 2. What volume comes out?",
            answerForm: "a volume, like 10x10x4",
            check: Checker.volume(
                [out.width, out.height, out.depth],
                explanation: "Pooling halves width and height and works on each map separately, so the depth stays \(input.depth).",
                mistakes: [
                    Mistake([out.width, out.height, input.depth / 2], hint: "Pooling shrinks each map; it does not merge maps, so the depth stays as it was."),
                    Mistake([input.width - 1, input.height - 1, input.depth], hint: "That is a 2x2 window at stride 1; at stride 2 the windows do not overlap."),
                    Mistake([input.width, input.height, input.depth], hint: "Pooling downsamples: each 2x2 window becomes one value."),
                ],
                hint: "Each 2x2 window of each map becomes one value; the number of maps does not change."))
    }

    static var poolParameters: Exercise {
        Exercise(
            id: "pool-parameters", title: "What a max pool learns", section: section,
            question: "How many parameters does a 2x2 max-pooling layer on a 24x24x8 volume learn?",
            answerForm: "a number",
            check: Checker.number(
                0,
                explanation: "Taking a maximum needs no weights: pooling is cheap and has nothing to train.",
                mistakes: [
                    Mistake(4, hint: "A pooling window does not weigh its four values: it only picks one."),
                    Mistake(32, hint: "Pooling keeps no numbers per map: it picks the largest value of each window."),
                ],
                hint: "Think about what max pooling computes: is there anything in it that training could change?"))
    }

    /// Non-overlapping 2x2 pooling with any reducer, for the hints' wrong answers.
    static func pool(_ matrix: [[Double]], _ reduce: ([Double]) -> Double) -> [[Double]] {
        stride(from: 0, to: matrix.count - 1, by: 2).map { row in
            stride(from: 0, to: matrix[0].count - 1, by: 2).map { column in
                reduce([matrix[row][column], matrix[row][column + 1], matrix[row + 1][column], matrix[row + 1][column + 1]])
            }
        }
    }
}
