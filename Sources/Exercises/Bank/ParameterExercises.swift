/// Parameter counts: what a conv layer learns, and what sharing its filters saves
/// over a fully-connected layer with the same outputs.
enum ParameterExercises {
    static let section = "Parameters"

    static var all: [Exercise] { [paramsMNISTConv, paramsCIFARConv, paramsDenseEquivalent] }

    static var paramsMNISTConv: Exercise {
        let (depth, filters, size) = (1, 8, 5)
        let count = LayerArithmetic.convParameters(inputDepth: depth, filters: filters, size: size)
        return Exercise(
            id: "params-mnist-conv", title: "Parameters of 8 filters of 5x5 on 28x28x1", section: section,
            question: "How many parameters (weights and biases) does a conv layer of 8 filters of 5x5 on a 28x28x1 image learn?",
            answerForm: "a number",
            check: Checker.number(
                Double(count),
                explanation: "Each filter has 5*5*1 weights and one bias, and the same filter serves every position of the image.",
                mistakes: [
                    Mistake(Double(LayerArithmetic.convParameters(inputDepth: depth, filters: filters, size: size, bias: false)),
                        hint: "You counted the weights; each filter also has a bias."),
                    Mistake(Double(ConvExercises.mnistConv.output.count),
                        hint: "That counts the output neurons; the parameters are the filters' weights and biases, shared across positions."),
                    Mistake(Double(size * size + 1), hint: "That is one filter; the layer has eight."),
                ],
                hint: "Count one filter's weights (its width x height x depth) and its bias, then multiply by the number of filters."))
    }

    static var paramsCIFARConv: Exercise {
        let (depth, filters, size) = (3, 20, 7)
        let count = LayerArithmetic.convParameters(inputDepth: depth, filters: filters, size: size)
        return Exercise(
            id: "params-cifar-conv", title: "Parameters of 20 filters of 7x7x3", section: section,
            question: "How many parameters (weights and biases) does a conv layer of 20 filters of 7x7x3 on a 32x32x3 image learn?",
            answerForm: "a number",
            check: Checker.number(
                Double(count),
                explanation: "Each filter has 7*7*3 = \(size * size * depth) weights and one bias; 20 filters.",
                mistakes: [
                    Mistake(Double(LayerArithmetic.convParameters(inputDepth: depth, filters: filters, size: size, bias: false)),
                        hint: "You counted the weights; each filter also has a bias."),
                    Mistake(Double(LayerArithmetic.convParameters(inputDepth: 1, filters: filters, size: size)),
                        hint: "The filters are 7x7x3: each spans all three colour channels of the image."),
                    Mistake(Double(LayerArithmetic.convParameters(inputDepth: 1, filters: filters, size: size, bias: false)),
                        hint: "Two things are missing: the filters' depth (one slice per colour channel) and their biases."),
                    Mistake(Double(ConvExercises.cifarConv.output.count),
                        hint: "That counts the output neurons; the parameters are the filters' weights and biases."),
                ],
                hint: "One filter has width x height x depth weights plus a bias; multiply by the number of filters."))
    }

    static var paramsDenseEquivalent: Exercise {
        let inputs = 28 * 28 * 1
        let outputs = ConvExercises.mnistConv.output.count
        let count = LayerArithmetic.denseParameters(inputs: inputs, outputs: outputs)
        return Exercise(
            id: "params-dense-equivalent", title: "The same outputs from a fully-connected layer", section: section,
            question: """
                The conv layer of 8 filters of 5x5 on 28x28x1 makes a 24x24x8 volume of neurons. How many parameters
                would a fully-connected layer need to make the same number of neurons from the same image,
                weights and biases together?
                """,
            answerForm: "a number",
            check: Checker.number(
                Double(count),
                explanation: "Every one of the \(outputs) neurons would see all \(inputs) pixels with weights of its own, plus a bias: sharing small filters is what makes conv layers cheap.",
                mistakes: [
                    Mistake(Double(LayerArithmetic.denseParameters(inputs: inputs, outputs: outputs, bias: false)),
                        hint: "You counted the weights; each neuron also has a bias."),
                    Mistake(Double(LayerArithmetic.convParameters(inputDepth: 1, filters: 8, size: 5)),
                        hint: "That is the conv layer's count; a fully-connected layer shares nothing between positions."),
                ],
                hint: "Each output neuron connects to every input pixel with its own weight, and has its own bias."))
    }
}
