/// The fully-connected neuron the chapter starts from: `z = b + sum(w * x)`.
enum NeuronExercises {
    static let section = "The fully-connected neuron"

    static var all: [Exercise] { [weightedSum, denseParameters] }

    static var weightedSum: Exercise {
        let weights = [0.5, -1.0, 2.0]
        let inputs = [4.0, 2.0, 3.0]
        let bias = -1.0
        let z = LayerArithmetic.weightedSum(weights: weights, inputs: inputs, bias: bias)
        let withoutBias = LayerArithmetic.weightedSum(weights: weights, inputs: inputs, bias: 0)
        let sumOfProductsAndTerms = weights.reduce(0, +) + inputs.reduce(0, +) + bias
        return Exercise(
            id: "neuron-weighted-sum", title: "The weighted sum of one neuron", section: section,
            question: """
                A fully-connected neuron computes z = b + sum(w * x) over all its inputs.
                With weights w = \(list(weights)), inputs x = \(list(inputs)) and bias b = \(numberText(bias)),
                what is z?
                """,
            answerForm: "a number, like 1.5",
            check: Checker.number(
                z, tolerance: 1e-6,
                explanation: "Each input times its weight, summed, plus the bias: the same sum a conv filter computes at every position.",
                mistakes: [
                    Mistake(withoutBias, hint: "The products are summed right, but the bias b belongs in z too."),
                    Mistake(sumOfProductsAndTerms, hint: "That adds the weights and the inputs; multiply each input by its own weight first."),
                ],
                hint: "Multiply each input by the weight at the same position, add the products, then add the bias."))
    }

    static var denseParameters: Exercise {
        let inputs = 28 * 28 * 1
        let outputs = 10
        let count = LayerArithmetic.denseParameters(inputs: inputs, outputs: outputs)
        return Exercise(
            id: "dense-parameters", title: "Weights of a one-layer net on 28x28x1", section: section,
            question: """
                A one-layer net connects every pixel of a 28x28x1 image to each of 10 output neurons
                (the net whose weights look like class templates). How many parameters does it learn,
                weights and biases together?
                """,
            answerForm: "a number",
            check: Checker.number(
                Double(count),
                explanation: "28*28 = \(inputs) weights per output neuron plus one bias, times \(outputs) outputs.",
                mistakes: [
                    Mistake(Double(LayerArithmetic.denseParameters(inputs: inputs, outputs: outputs, bias: false)),
                        hint: "You counted the weights; each output neuron also learns a bias."),
                    Mistake(Double(inputs), hint: "That is one output neuron's weights; there are ten output neurons."),
                ],
                hint: "Every pixel connects to every output neuron, and each output neuron has a bias of its own."))
    }

    static func list(_ values: [Double]) -> String {
        "[" + values.map(numberText).joined(separator: ", ") + "]"
    }
}
