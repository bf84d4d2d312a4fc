import Foundation

/// How a net does on a labelled data set.
public struct Evaluation: Sendable {
    public var count: Int
    /// Fraction classified right (the largest output is the label).
    public var accuracy: Double
    /// Mean loss per image.
    public var loss: Double
    /// `confusion[truth][predicted]`: how many images of class `truth` the net called `predicted`.
    public var confusion: [[Int]]
    /// The class predicted for each image seen, in the data's order: which images fell in which cell.
    public var predictions: [Int]
    public var classNames: [String]
    /// Images per second of the forward passes.
    public var imagesPerSecond: Double
    /// True when `shouldStop` ended it early; the figures cover the images seen.
    public var interrupted: Bool
}

/// One image's prediction: the class with the highest probability, and all of them.
public struct Prediction: Sendable, Hashable {
    public var label: Int
    /// Softmax of the net's outputs (the outputs themselves when it ends in softmax).
    public var probabilities: [Float]
    public var confidence: Float { probabilities[label] }
}

/// Runs `net` over `data` in batches and counts what it gets right.
/// - Parameters:
///   - loss: the loss to report (softmax cross-entropy unless given).
///   - batchSize: images per forward pass (split over the net's threads).
///   - progress: called after each batch with (images done, images total).
///   - shouldStop: checked between batches.
/// - Throws: `ConvnetError` if the data does not fit the net.
public func evaluate(_ net: Network, on data: Dataset, loss: Loss = .softmaxCrossEntropy,
                     scaling: PixelScaling = .centered, batchSize: Int = 100,
                     progress: (Int, Int) -> Void = { _, _ in },
                     shouldStop: () -> Bool = { false }) throws -> Evaluation {
    try data.check(fits: net, what: "the data \"\(data.name)\"")
    let k = net.classCount
    var confusion = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
    var lossSum = 0.0
    var predictions: [Int] = []
    predictions.reserveCapacity(data.count)
    var seen = 0
    var interrupted = false
    let fused = net.fusesSoftmax(loss)
    let start = DispatchTime.now().uptimeNanoseconds
    try forEachBatch(net, data, scaling: scaling, batchSize: batchSize) { range, labels in
        if shouldStop() { interrupted = true; return false }
        let output = net.output(ofLayer: net.layers.count)
        for i in 0..<range.count {
            let y = output + i * k
            lossSum += Double(loss.evaluate(y, count: k, label: labels[i], outputIsSoftmax: fused, gradient: nil, scale: 1))
            let predicted = argmax(y, count: k)
            confusion[labels[i]][predicted] += 1
            predictions.append(predicted)
        }
        seen += range.count
        progress(seen, data.count)
        return true
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let correct = (0..<k).reduce(0) { $0 + confusion[$1][$1] }
    return Evaluation(count: seen, accuracy: seen > 0 ? Double(correct) / Double(seen) : 0,
                      loss: seen > 0 ? lossSum / Double(seen) : 0, confusion: confusion,
                      predictions: predictions, classNames: data.classNames, imagesPerSecond: seconds > 0 ? Double(seen) / seconds : 0,
                      interrupted: interrupted)
}

/// The net's prediction for every image of `data` (labels are not needed to fit).
public func predict(_ net: Network, _ data: Dataset, scaling: PixelScaling = .centered,
                    batchSize: Int = 100) throws -> [Prediction] {
    if data.volume != net.inputVolume {
        throw ConvnetError.inputMismatch(expected: net.inputVolume, got: data.volume, what: "the data \"\(data.name)\"")
    }
    var predictions: [Prediction] = []
    predictions.reserveCapacity(data.count)
    try forEachBatch(net, data, scaling: scaling, batchSize: batchSize) { range, _ in
        for i in 0..<range.count { predictions.append(net.prediction(fromOutputOf: i)) }
        return true
    }
    return predictions
}

/// Feeds `data` through the net batch by batch; `body` reads the outputs and returns
/// whether to go on.
private func forEachBatch(_ net: Network, _ data: Dataset, scaling: PixelScaling, batchSize: Int,
                          _ body: (Range<Int>, UnsafePointer<Int>) -> Bool) throws {
    if batchSize < 1 { throw ConvnetError.invalidOption("the batch size must be at least 1, not \(batchSize)") }
    let size = min(batchSize, max(data.count, 1))
    try net.reserve(images: size)
    let labels = UnsafeMutablePointer<Int>.allocate(capacity: size)
    defer {
        labels.deallocate()
        net.releaseBatchBuffers()
        releaseFreedMemory()
    }
    var start = 0
    while start < data.count {
        let range = start..<min(data.count, start + size)
        data.fill(net.inputBuffer, labels: labels, indices: ArraySlice(range), scaling: scaling)
        net.forwardBatch(images: range.count, pass: .outputsOnly)
        if !body(range, labels) { return }
        start = range.upperBound
    }
}

extension Network {
    /// Prediction of image `i` of the last forward pass.
    func prediction(fromOutputOf i: Int) -> Prediction {
        let k = classCount
        let y = output(ofLayer: layers.count) + i * k
        var p = [Float](repeating: 0, count: k)
        if specs.last == .softmax {
            for j in 0..<k { p[j] = y[j] }
        } else {
            p.withUnsafeMutableBufferPointer { softmax(y, $0.baseAddress!, count: k) }
        }
        return Prediction(label: argmax(y, count: k), probabilities: p)
    }

    /// The net's prediction for one image given as floats (CHW, already scaled).
    /// - Throws: `ConvnetError.inputMismatch` if it has the wrong number of values.
    public func predict(_ image: [Float]) throws -> Prediction {
        try runOne(image)
        return prediction(fromOutputOf: 0)
    }

    /// Every layer's output for one image (floats, CHW, already scaled): element 0 is the
    /// input itself, element i the output of layer i, each as a CHW tensor of its volume.
    public func activations(for image: [Float]) throws -> [Tensor] {
        try runOne(image)
        return volumes.indices.map { i in
            Tensor(volume: volumes[i], values: Array(UnsafeBufferPointer(start: activations[i], count: volumes[i].count)))
        }
    }

    private func runOne(_ image: [Float]) throws {
        if image.count != inputVolume.count {
            throw ConvnetError.invalidOption("an image for this net has \(inputVolume.count) values (\(inputVolume)), not \(image.count)")
        }
        try reserve(images: 1)
        image.withUnsafeBufferPointer { inputBuffer.update(from: $0.baseAddress!, count: image.count) }
        let saved = threads
        threads = 1
        forwardBatch(images: 1, pass: .everyOutput)
        threads = saved
    }
}
