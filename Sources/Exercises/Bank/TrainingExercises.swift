import Convnet

/// Building and training a net to a stated accuracy, checked on held-out images.
enum TrainingExercises {
    static let section = "Things get deep"

    static var all: [Exercise] { [trainFashion] }

    /// The last 1,000 images of Fashion-MNIST's test set: never trained on (training
    /// uses the training set), and not the first test images the chapter shows.
    static let heldOutRange = 9000..<10000

    static let fashionCheck = HeldOutCheck(threshold: 0.8, inputVolume: Volume(28, 28, 1), classCount: 10) {
        try Dataset.load(name: "fashion-mnist", split: .test).slice(heldOutRange)
    }

    static var trainFashion: Exercise {
        Exercise(
            id: "train-fashion", title: "Train a net to 80% on Fashion-MNIST", section: section,
            question: """
                Build a net for 28x28x1 images with 10 classes, train it on (part of) Fashion-MNIST's training set,
                and answer with the net itself: answer("train-fashion", net). It is tested on \(groupedThousands(heldOutRange.count))
                test images it has never seen, and passes at \(Int(fashionCheck.threshold * 100))% accuracy or more.
                """,
            answerForm: "a trained net",
            check: fashionCheck.check)
    }
}
