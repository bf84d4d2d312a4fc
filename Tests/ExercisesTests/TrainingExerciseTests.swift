import Convnet
import Foundation
import XCTest

@testable import Exercises

/// The training exercise checks a real net on held-out images: here on a small
/// synthetic set (each class a bright block in its own place), and on
/// Fashion-MNIST itself when Debian's package is installed.
final class TrainingExerciseTests: XCTestCase {
    /// `count` images of 28x28x1; class k has a bright 6x6 block at its own place, plus noise.
    private static func blocks(count: Int, seed: UInt64) -> Dataset {
        var random = SplitMix64(seed: seed)
        var pixels = [UInt8](repeating: 0, count: count * 784)
        var labels: [Int] = []
        for i in 0..<count {
            let label = i % 10
            labels.append(label)
            let top = (label / 5) * 14 + 4, left = (label % 5) * 5 + 1
            for p in 0..<784 { pixels[i * 784 + p] = UInt8(truncatingIfNeeded: random.next() % 40) }
            for y in top..<(top + 6) { for x in left..<(left + 6) { pixels[i * 784 + y * 28 + x] = 230 } }
        }
        return Dataset(name: "blocks", volume: Volume(28, 28, 1), pixels: pixels, labels: labels,
                       classNames: (0..<10).map { "block \($0)" })
    }

    private let check = HeldOutCheck(threshold: 0.8, inputVolume: Volume(28, 28, 1), classCount: 10) {
        TrainingExerciseTests.blocks(count: 200, seed: 99)
    }

    private func net(_ layers: [LayerSpec], input: Volume = Volume(28, 28, 1)) throws -> Network {
        try Network(input: input, layers: layers, seed: 7, threads: 1)
    }

    func testTrainedNet_passes() throws {
        let model = try net([.dense(units: 10), .softmax])
        _ = try train(model, on: Self.blocks(count: 400, seed: 1), options: TrainingOptions(epochs: 2, batchSize: 16))
        let verdict = check.check(.net(TrainedNet(model)))
        XCTAssertTrue(verdict.isCorrect, verdict.message)
        XCTAssertTrue(verdict.message.contains("of 200 held-out"), verdict.message)
    }

    func testUntrainedNet_isAskedWhetherItWasTrained() throws {
        let model = try net([.dense(units: 10), .softmax])
        guard case .incorrect(let hint) = check.check(.net(TrainedNet(model))) else { return XCTFail("should be incorrect") }
        XCTAssertTrue(hint.contains("Has the net been trained?"), hint)
    }

    func testNetForOtherImagesOrClasses_getsAHint() throws {
        let colour = try net([.dense(units: 10), .softmax], input: Volume(32, 32, 3))
        XCTAssertTrue(check.check(.net(TrainedNet(colour))).message.contains("takes 32x32x3 images"))
        let fiveClasses = try net([.dense(units: 5), .softmax])
        XCTAssertTrue(check.check(.net(TrainedNet(fiveClasses))).message.contains("gives 5 outputs"))
    }

    func testNotANet_isTheWrongKind() {
        guard case .unexpected(let message) = check.check(.number(0.9)) else { return XCTFail("should be unexpected") }
        XCTAssertTrue(message.contains("expects a trained net"), message)
    }

    func testMissingHeldOutData_saysSo_withoutCountingATry() throws {
        struct Missing: Error, CustomStringConvertible { var description: String { "no files in /nowhere" } }
        let broken = HeldOutCheck(threshold: 0.8, inputVolume: Volume(28, 28, 1), classCount: 10) { throw Missing() }
        let verdict = broken.check(.net(TrainedNet(try net([.dense(units: 10), .softmax]))))
        guard case .unexpected(let message) = verdict else { return XCTFail("should be unexpected") }
        XCTAssertTrue(message.contains("no files in /nowhere"), message)
    }

    /// The bank's own exercise, on Fashion-MNIST's held-out test images.
    func testFashionExercise_aTrainedConvnetPasses_anUntrainedOneDoesNot() throws {
        guard FileManager.default.fileExists(atPath: Dataset.debianFashionMNISTFolder) else {
            throw XCTSkip("Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)")
        }
        let bank = ExerciseBank.standard
        let model = try Network(input: Volume(28, 28, 1), layers: [
            .conv(filters: 8, size: 5, pad: 2), .relu, .maxpool(size: 2), .dense(units: 10), .softmax,
        ], seed: 1)
        XCTAssertFalse(try bank.check(id: "train-fashion", answer: .net(TrainedNet(model))).isCorrect)
        let training = try Dataset.load(name: "fashion-mnist", split: .train).slice(0..<12000)
        _ = try train(model, on: training, options: TrainingOptions(epochs: 1, batchSize: 32))
        let verdict = try bank.check(id: "train-fashion", answer: .net(TrainedNet(model)))
        XCTAssertTrue(verdict.isCorrect, verdict.message)
    }
}
