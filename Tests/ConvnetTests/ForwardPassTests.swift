import XCTest
@testable import Convnet

/// Evaluation's `outputsOnly` pass (the layers between reuse one slice of their buffers, a
/// relu before a max pool runs inside the pool) gives the same outputs as the pass that
/// keeps every layer's, and training with the relus inside the pools the same loss and
/// gradients as the layers one by one: the same sums in the same order, so equal, not
/// merely close.
final class ForwardPassTests: XCTestCase {
    static let netB: [LayerSpec] = [
        .conv(filters: 8, size: 5, pad: 2), .relu, .maxpool(size: 2),
        .conv(filters: 16, size: 5, pad: 2), .relu, .maxpool(size: 2),
        .conv(filters: 32, size: 3, pad: 1), .relu, .maxpool(size: 2),
        .dense(units: 64), .relu, .dense(units: 10), .softmax,
    ]
    static let netC: [LayerSpec] = [
        .conv(filters: 8, size: 5, pad: 2), .relu, .maxpool(size: 2),
        .conv(filters: 16, size: 5, pad: 2), .relu, .maxpool(size: 3), .dense(units: 10), .softmax,
    ]
    /// Overlapping windows (stride 1) and narrow planes, after a conv that leaves exact zeros.
    static let overlapping: [LayerSpec] = [
        .relu, .maxpool(size: 2, stride: 1), .conv(filters: 4, size: 3, pad: 1, bias: false), .relu, .maxpool(size: 2),
        .dense(units: 5),
    ]

    func testOutputsOnly_equalsEveryOutput_onNetB() throws {
        try check(Volume(28, 28, 1), Self.netB)
    }

    func testOutputsOnly_equalsEveryOutput_onNetC_threeByThreePools() throws {
        try check(Volume(24, 24, 1), Self.netC)
    }

    func testTraining_withReluInThePools_equalsTheLayersOneByOne() throws {
        try checkTraining(Volume(28, 28, 1), Self.netB)
        try checkTraining(Volume(24, 24, 1), Self.netC)
        try checkTraining(Volume(9, 7, 3), Self.overlapping)
    }

    /// What must not fuse (average pools, leaky relu, dropout) and where a fusion ends the net.
    func testOutputsOnly_equalsEveryOutput_withoutFusionAndAtTheEnd() throws {
        try check(Volume(9, 7, 3), [
            .relu, .avgpool(size: 2), .leakyRelu(slope: 0.1), .maxpool(size: 2, stride: 1),
            .dropout(rate: 0.5), .conv(filters: 4, size: 1), .relu, .maxpool(size: 2),
        ])
        try check(Volume(5, 5, 2), [.conv(filters: 3, size: 3, pad: 1), .relu])
    }

    /// `images` images of gaussian pixels (negative conv outputs, so the relus matter), on 1
    /// and 2 workers, in chunks of `Network.evaluationChunk` and a short last one.
    private func check(_ input: Volume, _ layers: [LayerSpec], images: Int = 37,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        for threads in [1, 2] {
            let net = try Network(input: input, layers: layers, seed: 7, threads: threads)
            try net.reserve(images: images)
            var rng = SplitMix64(seed: 3)
            let x = (0..<(images * input.count)).map { _ in Float(rng.nextGaussian()) }
            func outputs(_ pass: ForwardPass) -> [Float] {
                x.withUnsafeBufferPointer { net.inputBuffer.update(from: $0.baseAddress!, count: x.count) }
                net.forwardBatch(images: images, pass: pass)
                return Array(UnsafeBufferPointer(start: net.output(ofLayer: layers.count), count: images * net.classCount))
            }
            let every = outputs(.everyOutput)
            let only = outputs(.outputsOnly)
            let differing = every.indices.filter { every[$0] != only[$0] }
            XCTAssert(differing.isEmpty, "\(threads) threads: outputs differ at \(differing.prefix(5))", file: file, line: line)
            XCTAssert(every.contains { $0 != 0 }, "the outputs are all zero: the check proves nothing", file: file, line: line)
        }
    }

    /// One training pass on `images` images, with and without the fusion: the same loss,
    /// the same count right, the same gradient of every parameter.
    private func checkTraining(_ input: Volume, _ layers: [LayerSpec], images: Int = 13,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        for threads in [1, 2] {
            var rng = SplitMix64(seed: 5)
            let x = (0..<(images * input.count)).map { _ in Float(rng.nextGaussian()) }
            var results: [(loss: Double, correct: Int, gradients: [Float])] = []
            for fused in [true, false] {
                let net = try Network(input: input, layers: layers, seed: 7, threads: threads)
                net.fusesReluIntoPools = fused
                try net.reserve(images: images, training: true)
                x.withUnsafeBufferPointer { net.inputBuffer.update(from: $0.baseAddress!, count: x.count) }
                var labels = (0..<images).map { $0 % net.classCount }
                let (loss, correct) = labels.withUnsafeMutableBufferPointer {
                    net.trainingPass(images: images, labels: $0.baseAddress!, loss: .softmaxCrossEntropy)
                }
                results.append((loss, correct, Array(UnsafeBufferPointer(start: net.workerGradients[0], count: net.parameterCount))))
            }
            let (fused, plain) = (results[0], results[1])
            XCTAssertEqual(fused.loss, plain.loss, "\(threads) threads: loss", file: file, line: line)
            XCTAssertEqual(fused.correct, plain.correct, file: file, line: line)
            let differing = plain.gradients.indices.filter { fused.gradients[$0] != plain.gradients[$0] }
            XCTAssert(differing.isEmpty, "\(threads) threads: gradients differ at \(differing.prefix(5))", file: file, line: line)
            XCTAssert(plain.gradients.contains { $0 != 0 }, "no gradient: the check proves nothing", file: file, line: line)
        }
    }
}
