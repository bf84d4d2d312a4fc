import Foundation

/// Settings of a training run.
public struct TrainingOptions: Sendable {
    public var epochs: Int
    public var batchSize: Int
    public var optimizer: OptimizerSpec
    public var loss: Loss
    /// Added to each weight's gradient: l1 * sign(w) + l2 * w (biases are not decayed).
    public var l1Decay: Float
    public var l2Decay: Float
    /// Seeds the order of the images in each epoch (epoch e uses seed + e).
    public var shuffleSeed: UInt64
    /// Visit the images in a shuffled order (true) or as stored.
    public var shuffle: Bool
    /// A fixed order of image indices to use every epoch instead of shuffling (the
    /// benchmark's shared order); indices may repeat or cover a subset.
    public var order: [Int]?
    /// How bytes become floats (x/255 - 0.5 unless set).
    public var scaling: PixelScaling

    public init(epochs: Int = 1, batchSize: Int = 32,
                optimizer: OptimizerSpec = .sgd(learningRate: 0.01, momentum: 0.9),
                loss: Loss = .softmaxCrossEntropy, l1Decay: Float = 0, l2Decay: Float = 0,
                shuffleSeed: UInt64 = 1, shuffle: Bool = true, order: [Int]? = nil,
                scaling: PixelScaling = .centered) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.loss = loss
        self.l1Decay = l1Decay
        self.l2Decay = l2Decay
        self.shuffleSeed = shuffleSeed
        self.shuffle = shuffle
        self.order = order
        self.scaling = scaling
    }
}

/// Where a training run is, reported after every batch.
public struct TrainingProgress: Sendable {
    /// Epoch (from 1) and batch within it (from 1).
    public var epoch: Int
    public var epochs: Int
    public var batch: Int
    public var batchesPerEpoch: Int
    /// Batches done in the whole run, and in all.
    public var batchesDone: Int
    public var batchesTotal: Int
    /// Mean loss and accuracy of this batch.
    public var loss: Float
    public var accuracy: Float
    /// Images trained per second since the run began.
    public var imagesPerSecond: Double
    /// Seconds since the run began.
    public var elapsed: Double
}

/// What a training run did: the loss and accuracy of each batch, per-epoch means, and
/// whether it was stopped early.
public struct TrainingHistory: Sendable {
    public var batchLosses: [Float] = []
    public var batchAccuracies: [Float] = []
    /// Mean loss and accuracy of each completed (or partly run) epoch.
    public var epochLosses: [Float] = []
    public var epochAccuracies: [Float] = []
    public var batchesRun = 0
    public var batchesTotal = 0
    public var imagesSeen = 0
    /// True when `shouldStop` ended the run before its last batch; the weights keep what
    /// the batches that ran learned.
    public var interrupted = false
    public var seconds = 0.0
    public var imagesPerSecond: Double { seconds > 0 ? Double(imagesSeen) / seconds : 0 }
}

/// Trains `net` on `data`.
///
/// - Parameters:
///   - net: its weights are changed in place.
///   - data: images of the net's input volume, labels below its class count.
///   - options: epochs, batch size, optimizer, loss, decay, order, pixel scaling.
///   - progress: called after every batch, on the calling thread (throttle displays there).
///   - shouldStop: checked before every batch; returning true ends the run, keeping the
///     weights learned so far (`history.interrupted`, `history.batchesRun`).
///   - learningRate: read before every batch; a new value changes the optimizer's step size from then on.
/// - Returns: the history of the run.
/// - Throws: `ConvnetError` if the data does not fit the net, an option is impossible,
///   or a batch would pass the memory cap; nothing is changed then.
/// - Complexity: one forward and backward pass per image per epoch; nothing is allocated per batch.
@discardableResult
public func train(_ net: Network, on data: Dataset, options: TrainingOptions = TrainingOptions(),
                  progress: (TrainingProgress) -> Void = { _ in },
                  shouldStop: () -> Bool = { false },
                  learningRate: () -> Float? = { nil }) throws -> TrainingHistory {
    try data.check(fits: net, what: "the training data \"\(data.name)\"")
    try options.optimizer.validate()
    if options.epochs < 1 { throw ConvnetError.invalidOption("epochs must be at least 1, not \(options.epochs)") }
    if options.batchSize < 1 { throw ConvnetError.invalidOption("the batch size must be at least 1, not \(options.batchSize)") }
    if let order = options.order, let bad = order.first(where: { $0 < 0 || $0 >= data.count }) {
        throw ConvnetError.invalidOption("the order names image \(bad), but the data has \(data.count)")
    }
    let perEpoch = options.order?.count ?? data.count
    if perEpoch == 0 { throw ConvnetError.invalidOption("the training data \"\(data.name)\" has no images") }
    let batchSize = min(options.batchSize, perEpoch)
    try net.reserve(images: batchSize, training: true)
    // A kernel keeps nets between cells: it should not keep a batch's buffers too.
    defer {
        net.releaseBatchBuffers()
        releaseFreedMemory()
    }

    let optimizer = Optimizer(options.optimizer, parameterCount: net.parameterCount,
                              l1Decay: options.l1Decay, l2Decay: options.l2Decay)
    let decayed = net.decayedRanges
    let labels = UnsafeMutablePointer<Int>.allocate(capacity: batchSize)
    defer { labels.deallocate() }

    let batchesPerEpoch = (perEpoch + batchSize - 1) / batchSize
    var history = TrainingHistory()
    history.batchesTotal = batchesPerEpoch * options.epochs
    let start = DispatchTime.now().uptimeNanoseconds

    run: for epoch in 0..<options.epochs {
        let order: [Int]
        if let fixed = options.order {
            order = fixed
        } else if options.shuffle {
            order = SplitMix64.shuffledIndices(count: data.count, seed: options.shuffleSeed &+ UInt64(epoch))
        } else {
            order = Array(0..<data.count)
        }
        var epochLoss = 0.0
        var epochCorrect = 0
        var epochImages = 0
        for b in 0..<batchesPerEpoch {
            if shouldStop() {
                history.interrupted = true
                if epochImages > 0 {
                    history.epochLosses.append(Float(epochLoss / Double(epochImages)))
                    history.epochAccuracies.append(Float(epochCorrect) / Float(epochImages))
                }
                break run
            }
            // A learning-rate control moved since the last batch.
            if let lr = learningRate(), lr != optimizer.spec.learningRate { optimizer.setLearningRate(lr) }
            let slice = order[(b * batchSize)..<min(perEpoch, (b + 1) * batchSize)]
            let n = slice.count
            data.fill(net.inputBuffer, labels: labels, indices: slice, scaling: options.scaling)
            let (lossSum, correct) = net.trainingPass(images: n, labels: labels, loss: options.loss)
            optimizer.step(parameters: net.parameters, gradients: net.workerGradients[0],
                           count: net.parameterCount, decayed: decayed)
            net.step &+= 1

            let loss = Float(lossSum / Double(n))
            let accuracy = Float(correct) / Float(n)
            history.batchLosses.append(loss)
            history.batchAccuracies.append(accuracy)
            history.batchesRun += 1
            history.imagesSeen += n
            epochLoss += lossSum
            epochCorrect += correct
            epochImages += n
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            progress(TrainingProgress(
                epoch: epoch + 1, epochs: options.epochs, batch: b + 1, batchesPerEpoch: batchesPerEpoch,
                batchesDone: history.batchesRun, batchesTotal: history.batchesTotal,
                loss: loss, accuracy: accuracy,
                imagesPerSecond: elapsed > 0 ? Double(history.imagesSeen) / elapsed : 0, elapsed: elapsed))
        }
        history.epochLosses.append(Float(epochLoss / Double(max(epochImages, 1))))
        history.epochAccuracies.append(Float(epochCorrect) / Float(max(epochImages, 1)))
    }
    history.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return history
}
