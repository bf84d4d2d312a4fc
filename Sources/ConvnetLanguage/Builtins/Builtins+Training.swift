import Convnet
import Foundation

// Training and evaluation: sgd, adam, adagrad, adadelta, train, evaluate, predict, confusion.
extension Builtins {
    static var training: [Builtin] {
        [
            Builtin(
                "sgd", [.keyword("lr", 0.01), .keyword("momentum", 0), .keyword("nesterov", false)], family: .training,
                summary: "Stochastic gradient descent: v = momentum*v + g; w -= lr*v.",
                example: "sgd(lr: 0.01, momentum: 0.9)"
            ) { args, _ throws(LanguageError) in
                .optimizer(.sgd(
                    learningRate: Float(try args.number("lr")), momentum: Float(try args.number("momentum")),
                    nesterov: try args.bool("nesterov")))
            },
            Builtin(
                "adam", [.keyword("lr", 0.001), .keyword("beta1", 0.9), .keyword("beta2", 0.999)], family: .training,
                summary: "Adam: steps scaled by running averages of the gradient and its square.",
                example: "adam(lr: 0.001)"
            ) { args, _ throws(LanguageError) in
                .optimizer(.adam(
                    learningRate: Float(try args.number("lr")), beta1: Float(try args.number("beta1")),
                    beta2: Float(try args.number("beta2"))))
            },
            Builtin(
                "adagrad", [.keyword("lr", 0.01)], family: .training,
                summary: "Adagrad: each weight's step shrinks with the sum of its squared gradients.", example: "adagrad(lr: 0.01)"
            ) { args, _ throws(LanguageError) in .optimizer(.adagrad(learningRate: Float(try args.number("lr")))) },
            Builtin(
                "adadelta", [.keyword("lr", 1), .keyword("rho", 0.95)], family: .training,
                summary: "Adadelta: steps scaled by running averages of squared gradients and of past steps.", example: "adadelta()"
            ) { args, _ throws(LanguageError) in
                .optimizer(.adadelta(learningRate: Float(try args.number("lr")), rho: Float(try args.number("rho"))))
            },
            Builtin(
                "train",
                [
                    .required("net"), .required("data"), .keyword("epochs", 1), .keyword("batch", 32),
                    .keyword("optimizer", .value(.optimizer(TrainingOptions().optimizer))), .keyword("loss", "softmax"),
                    .keyword("l1", 0), .keyword("l2", 0), .keyword("seed", 1), .keyword("controls", false), .keyword("watch", .none),
                ],
                family: .training,
                summary: "Trains the net on the images, showing live progress (epoch, batch, loss, accuracy, speed, time left and a loss curve).",
                details: "controls: true shows pause/resume, stop and a learning-rate slider that act at the next batch (or pass training_controls(...)); stop ends the run without an error. The interrupt button stops it at the next batch; the net keeps what it learned and the cell ends with an error saying after how many batches. Returns the history (loss and accuracy of every batch), which shows as a chart. loss: \"softmax\" (cross-entropy), \"mse\" or \"hinge\". watch: an image, to see the net learn: the live display becomes training_view(net, watch, ...) redrawn about four times a second (the loss and accuracy chart, the first conv layer's filters and the image's maps).",
                example: "history = train(net, data.train, epochs: 1, batch: 32, optimizer: sgd(lr: 0.01, momentum: 0.9))",
                isStatement: true, changesState: true
            ) { args, cell throws(LanguageError) in
                let net = try args.net("net")
                let data = try args.dataset("data")
                var options = TrainingOptions()
                options.epochs = try args.int("epochs", in: 1...100_000)
                options.batchSize = try args.int("batch", in: 1...100_000)
                guard case .optimizer(let optimizer) = try args.value("optimizer") else {
                    throw args.mismatch("optimizer", expected: "an optimizer like sgd(lr: 0.01)", try args.value("optimizer"))
                }
                options.optimizer = optimizer
                options.loss = try loss(args)
                options.l1Decay = Float(try args.number("l1"))
                options.l2Decay = Float(try args.number("l2"))
                options.shuffleSeed = UInt64(try args.int("seed", in: 0...Int.max))
                let controls = try trainingControls(args, cell, learningRate: Double(optimizer.learningRate))
                let watched = try args.has("watch") ? try args.image("watch") : nil
                if let watched, watched.volume != net.network.inputVolume {
                    throw LanguageError(
                        .imageDoesNotFitNet(builtin: "train", image: watched.volume.description, net: net.network.inputVolume.description),
                        at: args.spanOf("watch"))
                }
                let display = TrainingDisplay(context: cell.context, net: net, data: data, options: options, watching: watched)
                let history = try engine {
                    try engineTrain(
                        net.network, data, options, progress: display.progress,
                        // Between batches: comm messages (controls, live views) are handled, a pause waited out.
                        shouldStop: { controls?.betweenBatches(cell.context, onPause: display.showPaused) ?? { cell.context.processPendingEvents(); return false }() || cell.shouldStop() },
                        learningRate: { controls?.learningRate })
                }
                display.finish(history)
                net.classNames = data.classNames
                if history.interrupted && !(controls?.stopRequested ?? false) {
                    throw LanguageError(.trainingInterrupted(batches: history.batchesRun))
                }
                return .history(HistoryValue(history: history, batchSize: options.batchSize))
            },
            Builtin(
                "evaluate", [.required("net"), .required("data"), .keyword("loss", "softmax")], family: .training,
                summary: "Runs the net over labelled images: its accuracy and mean loss.",
                example: "evaluate(net, data.test)"
            ) { args, cell throws(LanguageError) in
                let result = try evaluation(args, cell)
                return .record(Record(
                    kind: "evaluation",
                    fields: [
                        ("accuracy", .number(result.accuracy)), ("loss", .number(result.loss)),
                        ("count", .number(Double(result.count))),
                    ],
                    summary: "accuracy \(String(format: "%.4f", result.accuracy)), loss \(String(format: "%.4f", result.loss)) on \(grouped(result.count)) images"))
            },
            Builtin(
                "confusion", [.required("net"), .required("data")], family: .training,
                summary: "The confusion matrix of the net on labelled images: for each true class (rows), how often each class was predicted (columns).",
                example: "confusion(net, data.test)"
            ) { args, cell throws(LanguageError) in
                let result = try evaluation(args, cell)
                return .confusion(ConfusionValue(
                    counts: result.confusion, classNames: result.classNames, data: try args.dataset("data"),
                    predictions: result.predictions))
            },
            Builtin(
                "predict", [.required("net"), .required("image")], family: .training,
                summary: "The class the net gives an image, with its probability; given many images, the list of classes.",
                example: "predict(net, data.test[0])"
            ) { args, _ throws(LanguageError) in
                let net = try args.net("net")
                switch try args.value("image") {
                case .dataset(let d):
                    let predictions = try engine { try enginePredict(net.network, d) }
                    return .list(predictions.map { .number(Double($0.label)) })
                default:
                    let image = try args.image("image")
                    let prediction = try engine { try net.network.predict(networkInput(image)) }
                    let names = net.classNames
                    let name = names.flatMap { prediction.label < $0.count ? $0[prediction.label] : nil }
                    return .record(Record(
                        kind: "prediction",
                        fields: [
                            ("label", .number(Double(prediction.label))), ("class", name.map { .string($0) } ?? .none),
                            ("probability", .number(Value.double(prediction.confidence))),
                            ("probabilities", .list(prediction.probabilities.map { .number(Value.double($0)) })),
                        ],
                        summary: "class \(prediction.label)" + (name.map { " (\($0))" } ?? "")
                            + " with probability \(String(format: "%.3f", prediction.confidence))"))
                }
            },
        ]
    }

    private static func loss(_ args: Arguments) throws(LanguageError) -> Loss {
        switch try args.string("loss").lowercased() {
        case "softmax", "cross-entropy", "crossentropy": return .softmaxCrossEntropy
        case "mse", "regression": return .meanSquaredError
        case "hinge", "svm": return .hinge
        case let other:
            throw LanguageError(.unknownLoss(builtin: args.builtin.name, name: other), at: args.spanOf("loss"))
        }
    }

    private static func evaluation(_ args: Arguments, _ cell: CellContext) throws(LanguageError) -> Evaluation {
        let net = try args.net("net")
        let data = try args.dataset("data")
        let lossKind = args.builtin.parameter("loss") != nil ? try loss(args) : .softmaxCrossEntropy
        let result = try engine { try engineEvaluate(net.network, data, loss: lossKind, shouldStop: { cell.shouldStop() }) }
        if result.interrupted {
            throw LanguageError(.evaluationInterrupted(done: result.count, of: data.count))
        }
        return result
    }

    /// An image as the net reads it: data-set pixels (0...1 here) centred as in training (x/255 - 0.5).
    static func networkInput(_ image: ImageValue) -> [Float] {
        image.tone == .pixels ? image.values.map { $0 - 0.5 } : image.values
    }
}

