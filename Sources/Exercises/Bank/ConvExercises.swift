import Convnet

/// Convolutional layers: the size of activation maps and of output volumes,
/// including where the chapter's text slips (25 x 25 maps, a 32x32x5 image).
enum ConvExercises {
    static let section = "Convolutional layers"

    static var all: [Exercise] {
        [mapsMNIST, neuronsMNIST, volumeMNIST, volumeMNISTPadded, padSame, colourImage, volumeCIFAR, filterDepthCIFAR,
         strideInsteadOfPool, alexnetConv1, outputSizeFormula]
    }

    /// The chapter's first layer: 8 filters of 5x5 on a 28x28x1 digit.
    static let mnistConv = ConvLayerQuestion(input: Volume(28, 28, 1), filters: 8, size: 5)
    /// The chapter's colour example: 20 filters of 7x7x3 on a 32x32x3 image.
    static let cifarConv = ConvLayerQuestion(input: Volume(32, 32, 3), filters: 20, size: 7)

    static var mapsMNIST: Exercise {
        let out = mnistConv.output
        return Exercise(
            id: "maps-mnist", title: "The size of one activation map", section: section,
            question: """
                A 5x5 filter slides over a 28x28 digit, one pixel at a time, with no padding.
                The chapter's text says this gives 25 x 25 maps. What size is each activation map really?
                """,
            answerForm: "a size, like 10x10",
            check: Checker.volume(
                [out.width, out.height],
                explanation: "A 5-wide window has 28 - 5 + 1 positions along each side: the chapter's 25 x 25 is a slip.",
                mistakes: [
                    Mistake([out.width + 1, out.height + 1],
                        hint: "That is the chapter's figure, and it is one too many: the filter's last position must still fit inside the image."),
                    Mistake([28, 28], hint: "Without padding a 5x5 filter cannot be centred on the border pixels, so the map is smaller than the image."),
                    Mistake([out.width - 1, out.height - 1],
                        hint: "One too few: 28 - 5 counts the steps between the first and the last position; count the positions."),
                    Mistake([out.width, out.height, 8], hint: "That is the whole volume of 8 maps; the question asks for the size of one map."),
                ],
                hint: "Count the positions a 5-wide window can take along a 28-pixel row: from the left edge until it touches the right edge."))
    }

    static var neuronsMNIST: Exercise {
        let out = mnistConv.output
        let chapterFigure = 8 * 25 * 25
        return Exercise(
            id: "neurons-mnist-conv", title: "How many neurons 8 maps make", section: section,
            question: """
                Each pixel of an activation map is a neuron of the next layer. The first layer has 8 filters
                of 5x5 on a 28x28x1 image (no padding, stride 1). The chapter counts \(chapterFigure) neurons.
                How many are there really?
                """,
            answerForm: "a number",
            check: Checker.number(
                Double(out.count),
                explanation: "8 maps of \(out.width) x \(out.height): the chapter's \(chapterFigure) comes from its 25 x 25 slip.",
                mistakes: [
                    Mistake(Double(chapterFigure), hint: "That is the chapter's count, built on maps one pixel too wide and too tall. Size one map first."),
                    Mistake(Double(28 * 28 * 8), hint: "The maps are smaller than the image: a 5x5 filter without padding cannot sit on the border pixels."),
                    Mistake(Double(out.width * out.height), hint: "That is one map; there is one map per filter."),
                ],
                hint: "Find the size of one activation map, then count the maps."))
    }

    static var volumeMNIST: Exercise {
        Exercise(
            id: "volume-mnist-conv", title: "28x28x1 through 8 filters of 5x5", section: section,
            question: "What volume comes out of a conv layer of 8 filters of 5x5 (stride 1, no padding) on a 28x28x1 image?",
            answerForm: "a volume, like 10x10x4",
            check: mnistConv.volumeChecker)
    }

    static var volumeMNISTPadded: Exercise {
        let padded = ConvLayerQuestion(input: Volume(28, 28, 1), filters: 8, size: 5, pad: 2)
        return Exercise(
            id: "volume-mnist-pad", title: "The same layer with pad 2", section: section,
            question: "The same layer, 8 filters of 5x5 on 28x28x1, now with pad 2 (stride 1). What volume comes out?",
            answerForm: "a volume, like 10x10x4",
            check: padded.volumeChecker)
    }

    static var padSame: Exercise {
        let size = 5
        let pad = (size - 1) / 2
        precondition(LayerArithmetic.outputSize(input: 28, size: size, pad: pad) == 28)
        return Exercise(
            id: "pad-same", title: "The padding that keeps 28x28", section: section,
            question: "At stride 1, how much padding (on each side) keeps a 28x28 image 28x28 through a \(size)x\(size) filter?",
            answerForm: "a number of pixels",
            check: Checker.number(
                Double(pad),
                explanation: "(28 + 2*pad - \(size)) + 1 = 28 needs 2*pad = \(size - 1): pad = (size - 1) / 2 for any odd filter.",
                mistakes: [
                    Mistake(Double(size - 1), hint: "That is the padding over both sides together; pad counts the pixels added on one side."),
                    Mistake(Double(size), hint: "Too much: that would make the output larger than the input."),
                ],
                hint: "Solve (28 + twice the pad - size) + 1 = 28 for the pad."))
    }

    static var colourImage: Exercise {
        Exercise(
            id: "colour-image-volume", title: "The volume of a colour image", section: section,
            question: """
                A CIFAR-10 image is 32 by 32 pixels, in colour. The chapter's text calls it 32x32x5.
                What volume is it really?
                """,
            answerForm: "a volume, like 10x10x4",
            check: Checker.volume(
                [32, 32, 3],
                explanation: "One channel each for red, green and blue; the chapter's 32x32x5 is a slip.",
                mistakes: [
                    Mistake([32, 32, 5], hint: "That is the chapter's slip. Count the colour channels a pixel has."),
                    Mistake([32, 32, 1], hint: "One channel is a greyscale image; a colour pixel has more."),
                    Mistake([32 * 32 * 3], hint: "That is the number of values, unrolled; write the volume as W x H x D."),
                ],
                hint: "Width, height, and one channel per primary colour."))
    }

    static var volumeCIFAR: Exercise {
        Exercise(
            id: "volume-cifar", title: "A colour image through 20 filters of 7x7x3", section: section,
            question: "A 32x32x3 colour image goes through a conv layer of 20 filters of 7x7x3 (stride 1, no padding). What volume comes out?",
            answerForm: "a volume, like 10x10x4",
            check: cifarConv.volumeChecker)
    }

    static var filterDepthCIFAR: Exercise {
        Exercise(
            id: "filter-volume-cifar", title: "The volume of one filter on a colour image", section: section,
            question: "A conv layer with 7x7 filters takes a 32x32x3 image. What volume is each filter?",
            answerForm: "a volume, like 3x3x2",
            check: Checker.volume(
                [7, 7, 3],
                explanation: "A filter spans all of its input's channels: 7 x 7 positions in each of 3 channels.",
                mistakes: [
                    Mistake([7, 7, 1], hint: "A filter on a colour image lines up with every channel, not just one."),
                    Mistake([7, 7, 20], hint: "The number of filters sets the depth of the output, not of each filter."),
                    Mistake([7, 7], hint: "Width and height are right; a filter on this input has a depth too."),
                ],
                hint: "A filter's depth is the depth of the volume it slides over."))
    }

    static var strideInsteadOfPool: Exercise {
        let question = ConvLayerQuestion(input: Volume(28, 28, 1), filters: 8, size: 4, stride: 2, pad: 1)
        return Exercise(
            id: "stride-instead-of-pool", title: "Stride 2 instead of pooling", section: section,
            question: """
                All-convolutional nets shrink maps with stride 2 instead of pooling. What volume does a conv layer
                of 8 filters of 4x4, stride 2, pad 1 make from a 28x28x1 image?
                """,
            answerForm: "a volume, like 10x10x4",
            check: question.volumeChecker)
    }

    static var alexnetConv1: Exercise {
        let question = ConvLayerQuestion(input: Volume(227, 227, 3), filters: 96, size: 11, stride: 4)
        return Exercise(
            id: "alexnet-conv1", title: "AlexNet's first layer", section: section,
            question: "AlexNet's first layer puts 96 filters of 11x11x3, stride 4, no padding, on a 227x227x3 image. What volume comes out?",
            answerForm: "a volume, like 10x10x4",
            check: question.volumeChecker)
    }

    static var outputSizeFormula: Exercise {
        let (input, size, stride, pad) = (63, 5, 2, 2)
        guard let width = LayerArithmetic.outputSize(input: input, size: size, stride: stride, pad: pad) else {
            preconditionFailure("the formula exercise must have a whole answer")
        }
        return Exercise(
            id: "output-size-formula", title: "The output-size formula", section: section,
            question: """
                The width of a conv layer's output is out = (in + 2*pad - size) / stride + 1.
                What is it for an input \(input) wide, a \(size)x\(size) filter, stride \(stride) and pad \(pad)?
                """,
            answerForm: "a number",
            check: Checker.number(
                Double(width),
                explanation: "(\(input) + \(2 * pad) - \(size)) / \(stride) + 1 = \(width): the filter takes \(width) positions along the row.",
                mistakes: [
                    Mistake(Double(LayerArithmetic.outputSize(input: input, size: size, stride: stride) ?? -1),
                        hint: "That leaves out the padding: add pad on both sides of the input first."),
                    Mistake(Double(input + 2 * pad - size + 1), hint: "That is the width at stride 1; divide the span by the stride."),
                    Mistake(Double((input + 2 * pad - size) / stride), hint: "Almost: count the positions, not the steps between them."),
                ],
                hint: "Add the padding on both sides, subtract the filter size, divide by the stride, then add one."))
    }
}
