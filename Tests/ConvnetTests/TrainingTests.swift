import XCTest
@testable import Convnet

/// 100 synthetic 12x12 grey images in 10 classes: each class a random template of bytes,
/// each image its template with heavy per-pixel noise.
func syntheticImages(count: Int = 100, classes: Int = 10, volume: Volume = Volume(12, 12, 1), seed: UInt64 = 5) -> Dataset {
    var rng = SplitMix64(seed: seed)
    let templates = (0..<classes).map { _ in (0..<volume.count).map { _ in Int(rng.nextIndex(below: 256)) } }
    var pixels: [UInt8] = []
    var labels: [Int] = []
    for i in 0..<count {
        let label = i % classes
        labels.append(label)
        for p in 0..<volume.count {
            let noisy = templates[label][p] + rng.nextIndex(below: 121) - 60
            pixels.append(UInt8(clamping: noisy))
        }
    }
    return Dataset(name: "synthetic", volume: volume, pixels: pixels, labels: labels,
                   classNames: (0..<classes).map { "class \($0)" })
}

final class TrainingTests: XCTestCase {
    private let layers: [LayerSpec] = [
        .conv(filters: 4, size: 3, pad: 1), .relu, .maxpool(size: 2), .dense(units: 10), .softmax,
    ]

    func testSmallNet_overfits100Images() throws {
        let data = syntheticImages()
        let net = try Network(input: data.volume, layers: layers, seed: 1)
        let before = try evaluate(net, on: data)
        XCTAssertLessThan(before.accuracy, 0.5)
        let history = try train(net, on: data, options: TrainingOptions(
            epochs: 30, batchSize: 10, optimizer: .sgd(learningRate: 0.05, momentum: 0.9)))
        XCTAssertEqual(history.batchesRun, 300)
        let after = try evaluate(net, on: data)
        XCTAssertGreaterThanOrEqual(after.accuracy, 0.98, "training accuracy after 30 epochs: \(after.accuracy)")
        XCTAssertLessThan(history.epochLosses.last!, history.epochLosses.first! / 10)
        XCTAssertEqual(after.confusion.map { $0.reduce(0, +) }, [Int](repeating: 10, count: 10))
    }

    func testSeededRun_isBitForBitReproducible_forEachThreadCount() throws {
        let data = syntheticImages()
        for threads in [1, 2] {
            func run() throws -> ([Float], [Float]) {
                let net = try Network(input: data.volume, layers: [.conv(filters: 3, size: 3), .relu, .dropout(rate: 0.2),
                                                                  .maxpool(size: 2), .dense(units: 10)],
                                      seed: 77, threads: threads)
                let history = try train(net, on: data, options: TrainingOptions(
                    epochs: 2, batchSize: 8, optimizer: .adam(learningRate: 0.01), shuffleSeed: 9))
                return (net.parameterValues, history.batchLosses)
            }
            let (first, second) = (try run(), try run())
            XCTAssertEqual(first.0.map(\.bitPattern), second.0.map(\.bitPattern), "weights, \(threads) threads")
            XCTAssertEqual(first.1.map(\.bitPattern), second.1.map(\.bitPattern), "losses, \(threads) threads")
        }
    }

    func testDifferentSeeds_giveDifferentWeights() throws {
        let a = try Network(input: Volume(12, 12, 1), layers: layers, seed: 1)
        let b = try Network(input: Volume(12, 12, 1), layers: layers, seed: 2)
        XCTAssertNotEqual(a.parameterValues, b.parameterValues)
    }

    /// Two workers sum the same per-image gradients as one, in another order: the batch's
    /// gradient agrees within rounding of the sum of the per-image gradients' sizes.
    func testOneThreadAndTwoThreads_giveTheSameGradient_withinRounding() throws {
        let data = syntheticImages()
        let images = 10
        let x = GradientChecker.inputs(count: images * data.volume.count, seed: 21)
        let labels = Array(data.labels.prefix(images))
        func gradient(threads: Int, of batch: Range<Int>) throws -> [Float] {
            let net = try Network(input: data.volume, layers: layers, seed: 4, threads: threads)
            try net.reserve(images: batch.count, training: true)
            let n = data.volume.count
            x.withUnsafeBufferPointer { net.inputBuffer.update(from: $0.baseAddress! + batch.lowerBound * n, count: batch.count * n) }
            let batchLabels = Array(labels[batch])
            _ = batchLabels.withUnsafeBufferPointer { net.trainingPass(images: batch.count, labels: $0.baseAddress!, loss: .softmaxCrossEntropy) }
            return Array(UnsafeBufferPointer(start: net.workerGradients[0], count: net.parameterCount))
        }
        let one = try gradient(threads: 1, of: 0..<images)
        let two = try gradient(threads: 2, of: 0..<images)
        // The batch gradient (of the mean loss) is the mean of the per-image gradients.
        var exact = ExactSums(count: one.count)
        for i in 0..<images {
            for (j, g) in try gradient(threads: 1, of: i..<(i + 1)).enumerated() { exact.add(Double(g) / Double(images), at: j) }
        }
        assertWithinRounding(one, exact, relative: 1e-4, "one thread")
        assertWithinRounding(two, exact, relative: 1e-4, "two threads")
    }

    func testStopFlag_endsBetweenBatches_andKeepsTheWeights() throws {
        let data = syntheticImages()
        let net = try Network(input: data.volume, layers: layers, seed: 1)
        let initial = net.parameterValues
        var reports: [TrainingProgress] = []
        let history = try train(net, on: data, options: TrainingOptions(epochs: 5, batchSize: 10),
                                progress: { reports.append($0) }, shouldStop: { reports.count >= 7 })
        XCTAssertTrue(history.interrupted)
        XCTAssertEqual(history.batchesRun, 7)
        XCTAssertEqual(history.batchesTotal, 50)
        XCTAssertNotEqual(net.parameterValues, initial)
        XCTAssertEqual(reports.map(\.batch), Array(1...7))
        XCTAssertEqual(reports.last?.batchesPerEpoch, 10)
        XCTAssert(reports.allSatisfy { $0.imagesPerSecond > 0 && $0.loss.isFinite && $0.epoch == 1 })
    }

    func testPartialLastBatch_isTrained() throws {
        let data = syntheticImages(count: 25)
        let net = try Network(input: data.volume, layers: layers, seed: 1)
        let history = try train(net, on: data, options: TrainingOptions(epochs: 1, batchSize: 10))
        XCTAssertEqual(history.batchesRun, 3)
        XCTAssertEqual(history.imagesSeen, 25)
    }

    func testFixedOrder_isUsedAsGiven() throws {
        let data = syntheticImages()
        let a = try Network(input: data.volume, layers: layers, seed: 1)
        let b = try Network(input: data.volume, layers: layers, seed: 1)
        let order = SplitMix64.shuffledIndices(count: data.count, seed: 3)
        try train(a, on: data, options: TrainingOptions(batchSize: 10, order: order))
        try train(b, on: data, options: TrainingOptions(batchSize: 10, shuffleSeed: 3))
        XCTAssertEqual(a.parameterValues, b.parameterValues)
    }

    func testDataThatDoesNotFit_isRefused_andChangesNothing() throws {
        let net = try Network(input: Volume(28, 28, 1), layers: [.dense(units: 10)])
        let weights = net.parameterValues
        XCTAssertThrowsError(try train(net, on: syntheticImages())) { error in
            XCTAssertEqual("\(error)", "the training data \"synthetic\" has volume 12x12x1 but the net takes 28x28x1")
        }
        let small = try Network(input: Volume(12, 12, 1), layers: [.dense(units: 3)])
        XCTAssertThrowsError(try train(small, on: syntheticImages())) { error in
            XCTAssert("\(error)".contains("label 3, but the net's last layer gives 3 classes"), "\(error)")
        }
        XCTAssertThrowsError(try train(small, on: syntheticImages(classes: 3), options: TrainingOptions(batchSize: 0)))
        XCTAssertThrowsError(try train(small, on: syntheticImages(classes: 3),
                                       options: TrainingOptions(optimizer: .sgd(learningRate: -1))))
        XCTAssertEqual(net.parameterValues, weights)
    }

    func testL2Decay_shrinksWeights() throws {
        let data = syntheticImages()
        let plain = try Network(input: data.volume, layers: layers, seed: 1)
        let decayed = try Network(input: data.volume, layers: layers, seed: 1)
        try train(plain, on: data, options: TrainingOptions(epochs: 2, batchSize: 10))
        try train(decayed, on: data, options: TrainingOptions(epochs: 2, batchSize: 10, l2Decay: 0.05))
        func norm(_ net: Network) -> Float { try! net.filters(layer: 1).weights.values.reduce(0) { $0 + $1 * $1 } }
        XCTAssertLessThan(norm(decayed), norm(plain))
    }
}

/// The learning rate read before every batch (a control moved mid-run).
final class TrainingLearningRateTests: XCTestCase {
    private func run(rateAfterFirstBatch: Float) throws -> (afterFirst: [Float], atEnd: [Float]) {
        let data = syntheticImages(count: 40)
        let net = try Network(input: data.volume, layers: [.dense(units: 10), .softmax], seed: 3)
        var afterFirst: [Float] = []
        var reads = 0
        _ = try train(
            net, on: data, options: TrainingOptions(epochs: 1, batchSize: 10, optimizer: .sgd(learningRate: 0.1)),
            progress: { p in
                if p.batchesDone == 1 { afterFirst = Array(UnsafeBufferPointer(start: net.parameters, count: net.parameterCount)) }
            },
            learningRate: {
                reads += 1
                return reads == 1 ? nil : rateAfterFirstBatch
            })
        XCTAssertEqual(reads, 4, "read before each of the 4 batches")
        return (afterFirst, Array(UnsafeBufferPointer(start: net.parameters, count: net.parameterCount)))
    }

    func testLearningRate_changedAfterTheFirstBatch_actsFromTheNextBatch() throws {
        let frozen = try run(rateAfterFirstBatch: 1e-30)
        let maxChange = zip(frozen.afterFirst, frozen.atEnd).map { abs($0 - $1) }.max() ?? 1
        XCTAssertLessThan(maxChange, 1e-12, "a learning rate of 1e-30 from batch 2 on leaves the weights as batch 1 left them")
        let moving = try run(rateAfterFirstBatch: 0.1)
        let moved = zip(moving.afterFirst, moving.atEnd).map { abs($0 - $1) }.max() ?? 0
        XCTAssertGreaterThan(moved, 1e-4, "with the rate unchanged the later batches move the weights")
    }
}
