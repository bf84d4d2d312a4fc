import XCTest
@testable import Convnet

final class LossAndNetGradientTests: XCTestCase {
    // MARK: Losses on their own

    private func checkLoss(_ loss: Loss, output: [Float], label: Int, file: StaticString = #filePath, line: UInt = #line) {
        let (_, analytic) = loss.value(output: output, label: label)
        let eps: Float = 1e-2
        for j in output.indices {
            var up = output, down = output
            up[j] += eps
            down[j] -= eps
            let numeric = (Double(loss.value(output: up, label: label).loss) - Double(loss.value(output: down, label: label).loss)) / Double(2 * eps)
            XCTAssertEqual(Double(analytic[j]), numeric, accuracy: 2e-3, "\(loss) d/doutput[\(j)]", file: file, line: line)
        }
    }

    func testSoftmaxCrossEntropy_gradient() {
        checkLoss(.softmaxCrossEntropy, output: [0.3, -1.2, 2.0, 0.1], label: 1)
    }

    func testSoftmaxCrossEntropy_value_isMinusLogProbability() {
        let (loss, _) = Loss.softmaxCrossEntropy.value(output: [1, 2, 3], label: 2)
        let p = exp(3.0) / (exp(1.0) + exp(2.0) + exp(3.0))
        XCTAssertEqual(Double(loss), -log(p), accuracy: 1e-5)
    }

    func testSoftmaxCrossEntropy_hugeLogits_stayFinite() {
        let (loss, gradient) = Loss.softmaxCrossEntropy.value(output: [1000, -1000, 0], label: 1)
        XCTAssertEqual(loss, 2000, accuracy: 1e-2)
        XCTAssert(gradient.allSatisfy(\.isFinite))
    }

    func testMeanSquaredError_gradient() {
        checkLoss(.meanSquaredError, output: [0.3, -1.2, 2.0, 0.1], label: 2)
        // Against the one-hot [0, 1]: 1/2 * (1^2 + 3^2), gradient output - target.
        let (loss, gradient) = Loss.meanSquaredError.value(output: [1, 4], label: 1)
        XCTAssertEqual(loss, 5)
        XCTAssertEqual(gradient, [1, 3])
    }

    func testHinge_gradient_awayFromItsKinks() {
        checkLoss(.hinge, output: [0.3, -1.2, 2.0, 0.1, 1.5], label: 2)
    }

    func testHinge_value_countsMarginViolations() {
        // label 0 scores 1; class 1 (0.5) is inside the margin by 0.5, class 2 (-1) is not.
        XCTAssertEqual(Loss.hinge.value(output: [1, 0.5, -1], label: 0).loss, 0.5, accuracy: 1e-6)
        XCTAssertEqual(Loss.hinge.value(output: [3, 0.5, -1], label: 0).loss, 0)
    }

    // MARK: A whole net: the training pass's gradient of the mean batch loss

    /// Nudges every parameter of `net` and compares with the gradient of one training pass,
    /// on 3 images split over the net's threads.
    private func checkNet(_ layers: [LayerSpec], input: Volume, loss: Loss, threads: Int,
                          file: StaticString = #filePath, line: UInt = #line) throws {
        let net = try Network(input: input, layers: layers, seed: 3, threads: threads)
        let images = 3
        try net.reserve(images: images, training: true)
        let x = GradientChecker.inputs(count: images * input.count, seed: 11)
        var labels = (0..<images).map { $0 % net.classCount }
        func fillInput() { x.withUnsafeBufferPointer { net.inputBuffer.update(from: $0.baseAddress!, count: x.count) } }

        func meanLoss() -> Double {
            fillInput()
            net.forwardBatch(images: images, pass: .everyOutput)
            let fused = net.fusesSoftmax(loss)
            let out = net.output(ofLayer: net.specs.count)
            var sum = 0.0
            for i in 0..<images {
                sum += Double(loss.evaluate(out + i * net.classCount, count: net.classCount, label: labels[i],
                                            outputIsSoftmax: fused, gradient: nil, scale: 1))
            }
            return sum / Double(images)
        }

        fillInput()
        _ = labels.withUnsafeMutableBufferPointer { net.trainingPass(images: images, labels: $0.baseAddress!, loss: loss) }
        let analytic = Array(UnsafeBufferPointer(start: net.workerGradients[0], count: net.parameterCount))
        var values = net.parameterValues
        let eps: Float = 1e-2
        var failures: [String] = []
        for j in values.indices {
            let saved = values[j]
            values[j] = saved + eps; net.parameterValues = values; let up = meanLoss()
            values[j] = saved - eps; net.parameterValues = values; let down = meanLoss()
            values[j] = saved; net.parameterValues = values
            let numeric = (up - down) / Double(2 * eps)
            if abs(numeric - Double(analytic[j])) > 3e-3 * max(1, abs(numeric)) {
                failures.append("parameter \(j): analytic \(analytic[j]), numeric \(numeric)")
            }
        }
        XCTAssert(failures.isEmpty, "\(failures.count) of \(values.count) differ; first: \(failures.prefix(5))", file: file, line: line)
    }

    private let smallNet: [LayerSpec] = [
        .conv(filters: 2, size: 3, stride: 2, pad: 1), .tanh, .avgpool(size: 3, stride: 3),
        .dense(units: 3),
    ]

    func testNet_crossEntropy_endingInSoftmax_fused() throws {
        try checkNet(smallNet + [.softmax], input: Volume(9, 9, 2), loss: .softmaxCrossEntropy, threads: 1)
    }

    func testNet_crossEntropy_onLogits_twoThreads() throws {
        try checkNet(smallNet, input: Volume(9, 9, 2), loss: .softmaxCrossEntropy, threads: 2)
    }

    func testNet_meanSquaredError_throughSoftmax() throws {
        try checkNet(smallNet + [.softmax], input: Volume(9, 9, 2), loss: .meanSquaredError, threads: 2)
    }

    func testNet_hinge() throws {
        try checkNet([.conv(filters: 2, size: 3, pad: 1), .sigmoid, .dense(units: 3)], input: Volume(4, 4, 1),
                     loss: .hinge, threads: 2)
    }
}
