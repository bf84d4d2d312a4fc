/// Receptive fields: how much of the image one neuron deep in the net sees.
enum ReceptiveFieldExercises {
    static let section = "Receptive fields"

    static var all: [Exercise] { [twoConvs, convPoolConv] }

    static var twoConvs: Exercise {
        let layers = [(size: 3, stride: 1), (size: 3, stride: 1)]
        let field = LayerArithmetic.receptiveField(layers)
        return Exercise(
            id: "receptive-two-3x3", title: "Two 3x3 conv layers", section: section,
            question: "Two conv layers of 3x3 filters, stride 1, one after the other. How large a patch of the image does one neuron of the second layer see?",
            answerForm: "a size, like 7x7 (or 7)",
            check: Checker.squareSide(
                field,
                explanation: "Each neuron of the second layer sees a 3x3 block of the first, and neighbouring first-layer neurons overlap: two 3x3 layers see as far as one larger filter with fewer weights.",
                mistakes: [
                    Mistake(3, hint: "That is what one first-layer neuron sees; the second layer looks at several of those, and each sees its own patch."),
                    Mistake(6, hint: "Neighbouring first-layer patches overlap: they are one pixel apart, not three."),
                    Mistake(9, hint: "Receptive fields grow by addition, not multiplication: each layer adds size - 1 pixels."),
                ],
                hint: "Each 3x3 layer widens what one neuron sees by size - 1 pixels at stride 1."))
    }

    static var convPoolConv: Exercise {
        let layers = [(size: 5, stride: 1), (size: 2, stride: 2), (size: 5, stride: 1)]
        let field = LayerArithmetic.receptiveField(layers)
        let ignoringPool = LayerArithmetic.receptiveField([layers[0], layers[2]])
        let ignoringStride = LayerArithmetic.receptiveField(layers.map { (size: $0.size, stride: 1) })
        return Exercise(
            id: "receptive-conv-pool-conv", title: "Conv 5x5, pool 2x2, conv 5x5", section: section,
            question: """
                A 5x5 conv layer (stride 1), then a 2x2 max pool (stride 2), then another 5x5 conv layer (stride 1).
                How large a patch of the image does one neuron of the last layer see?
                """,
            answerForm: "a size, like 7x7 (or 7)",
            check: Checker.squareSide(
                field,
                explanation: "After the pool, neighbouring values are 2 image pixels apart, so the second 5x5 filter spans (5 - 1) * 2 more pixels: pooling makes later layers see further.",
                mistakes: [
                    Mistake(ignoringPool, hint: "The pool matters: after it, one step in a map is two pixels in the image."),
                    Mistake(ignoringStride, hint: "The pool's window counts, but so does its stride: after it, each step of the second filter covers two pixels."),
                    Mistake(5 * 2 * 5, hint: "Receptive fields grow by addition: each layer adds (size - 1) times the distance between its inputs, in pixels."),
                ],
                hint: "Walk through the layers: each adds (size - 1) x jump pixels, where jump is the product of the strides before it."))
    }
}
