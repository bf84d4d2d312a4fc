import XCTest
@testable import Convnet

/// Each optimizer on f(w) = 1/2 * sum_i a_i (w_i - c_i)^2, whose gradient is a_i (w_i - c_i):
/// hand-computed first steps, then convergence to c.
final class OptimizerTests: XCTestCase {
    private let a: [Float] = [1, 4, 0.5]
    private let c: [Float] = [2, -1, 3]

    private func gradient(_ w: [Float]) -> [Float] { w.indices.map { a[$0] * (w[$0] - c[$0]) } }

    private func minimise(_ spec: OptimizerSpec, steps: Int) -> [Float] {
        let optimizer = Optimizer(spec, parameterCount: 3)
        var w: [Float] = [0, 0, 0]
        for _ in 0..<steps { optimizer.step(parameters: &w, gradients: gradient(w)) }
        return w
    }

    private func assertConverges(_ spec: OptimizerSpec, steps: Int, file: StaticString = #filePath, line: UInt = #line) {
        let w = minimise(spec, steps: steps)
        for i in w.indices {
            XCTAssertEqual(w[i], c[i], accuracy: 1e-2, "\(spec.name) w[\(i)] after \(steps) steps", file: file, line: line)
        }
    }

    func testSGD_firstSteps_withMomentum() {
        let optimizer = Optimizer(.sgd(learningRate: 0.1, momentum: 0.9), parameterCount: 1)
        var w: [Float] = [0]
        optimizer.step(parameters: &w, gradients: [-2])  // v = -2, w = 0.2
        XCTAssertEqual(w[0], 0.2, accuracy: 1e-6)
        optimizer.step(parameters: &w, gradients: [-1])  // v = -1.8 - 1 = -2.8, w = 0.48
        XCTAssertEqual(w[0], 0.48, accuracy: 1e-6)
    }

    func testSGD_nesterov_firstSteps() {
        let optimizer = Optimizer(.sgd(learningRate: 0.1, momentum: 0.9, nesterov: true), parameterCount: 1)
        var w: [Float] = [0]
        optimizer.step(parameters: &w, gradients: [-2])  // v = -2; w -= 0.1 * (-2 + 0.9 * -2) = 0.38
        XCTAssertEqual(w[0], 0.38, accuracy: 1e-6)
    }

    func testAdam_firstStep_isLearningRateTimesSign() {
        let optimizer = Optimizer(.adam(learningRate: 0.01), parameterCount: 2)
        var w: [Float] = [0, 0]
        optimizer.step(parameters: &w, gradients: [-5, 0.001])
        XCTAssertEqual(w[0], 0.01, accuracy: 1e-6)
        XCTAssertEqual(w[1], -0.01, accuracy: 1e-4)
    }

    func testAdagrad_firstStep() {
        let optimizer = Optimizer(.adagrad(learningRate: 0.5), parameterCount: 1)
        var w: [Float] = [1]
        optimizer.step(parameters: &w, gradients: [4])  // s = 16; w -= 0.5 * 4 / 4
        XCTAssertEqual(w[0], 0.5, accuracy: 1e-6)
    }

    func testAdadelta_firstStep() {
        let optimizer = Optimizer(.adadelta(learningRate: 1, rho: 0.9, epsilon: 1e-6), parameterCount: 1)
        var w: [Float] = [0]
        optimizer.step(parameters: &w, gradients: [1])
        // E[g^2] = 0.1; dx = -sqrt(1e-6) / sqrt(0.1 + 1e-6) * 1
        XCTAssertEqual(Double(w[0]), -(1e-6).squareRoot() / (0.1 + 1e-6).squareRoot(), accuracy: 1e-8)
    }

    func testAllOptimizers_convergeOnAQuadratic() {
        assertConverges(.sgd(learningRate: 0.1), steps: 400)
        assertConverges(.sgd(learningRate: 0.05, momentum: 0.9), steps: 400)
        assertConverges(.sgd(learningRate: 0.05, momentum: 0.9, nesterov: true), steps: 400)
        assertConverges(.adam(learningRate: 0.05), steps: 2000)
        assertConverges(.adagrad(learningRate: 1), steps: 2000)
        assertConverges(.adadelta(learningRate: 1, rho: 0.9, epsilon: 1e-3), steps: 3000)
    }

    func testDecay_addsL2TimesWeightAndL1TimesSign() {
        let optimizer = Optimizer(.sgd(learningRate: 1), parameterCount: 2, l1Decay: 0.1, l2Decay: 0.5)
        var w: [Float] = [2, -4]
        optimizer.step(parameters: &w, gradients: [0, 0])
        XCTAssertEqual(w[0], 2 - (0.5 * 2 + 0.1), accuracy: 1e-6)
        XCTAssertEqual(w[1], -4 - (0.5 * -4 - 0.1), accuracy: 1e-6)
    }

    func testImpossibleSettings_areRefused() {
        XCTAssertThrowsError(try OptimizerSpec.sgd(learningRate: 0.1, momentum: 1).validate())
        XCTAssertThrowsError(try OptimizerSpec.adam(learningRate: 0).validate())
        XCTAssertThrowsError(try OptimizerSpec.adadelta(rho: 1.5).validate())
        XCTAssertNoThrow(try OptimizerSpec.adagrad().validate())
    }
}
