/// How training changes the weights from their gradients, with its settings.
/// `w` is a parameter, `g` its gradient of the batch's mean loss plus decay.
public enum OptimizerSpec: Hashable, Sendable {
    /// v = momentum*v + g;  w -= lr*v  (with nesterov: w -= lr*(g + momentum*v)), as PyTorch's SGD.
    case sgd(learningRate: Float, momentum: Float = 0, nesterov: Bool = false)
    /// Adam (Kingma and Ba 2015) with bias correction.
    case adam(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8)
    /// s += g^2;  w -= lr * g / (sqrt(s) + epsilon).
    case adagrad(learningRate: Float = 0.01, epsilon: Float = 1e-8)
    /// Adadelta (Zeiler 2012): steps scaled by running averages of g^2 and of past steps.
    case adadelta(learningRate: Float = 1, rho: Float = 0.95, epsilon: Float = 1e-6)

    /// The step size.
    public var learningRate: Float {
        switch self {
        case let .sgd(lr, _, _), let .adam(lr, _, _, _), let .adagrad(lr, _), let .adadelta(lr, _, _):
            return lr
        }
    }

    /// "sgd", "adam", "adagrad" or "adadelta".
    public var name: String {
        switch self {
        case .sgd: return "sgd"
        case .adam: return "adam"
        case .adagrad: return "adagrad"
        case .adadelta: return "adadelta"
        }
    }

    func validate() throws {
        func bad(_ what: String) -> ConvnetError { .invalidOption("\(name): \(what)") }
        if !(learningRate > 0) || !learningRate.isFinite { throw bad("the learning rate must be a positive number, not \(learningRate)") }
        switch self {
        case let .sgd(_, momentum, _):
            if !(momentum >= 0 && momentum < 1) { throw bad("the momentum must be in [0, 1), not \(momentum)") }
        case let .adam(_, beta1, beta2, epsilon):
            if !(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1) { throw bad("beta1 and beta2 must be in [0, 1)") }
            if !(epsilon > 0) { throw bad("epsilon must be positive") }
        case let .adagrad(_, epsilon):
            if !(epsilon > 0) { throw bad("epsilon must be positive") }
        case let .adadelta(_, rho, epsilon):
            if !(rho >= 0 && rho < 1) { throw bad("rho must be in [0, 1)") }
            if !(epsilon > 0) { throw bad("epsilon must be positive") }
        }
    }
}

/// An optimizer with its state (velocities, running averages): one flat array per kind of
/// state, the size of the parameter block, so a step is one loop over all parameters.
public final class Optimizer {
    public private(set) var spec: OptimizerSpec
    /// L1 decay: adds l1 * sign(w) to the gradient of each weight (not biases).
    public let l1Decay: Float
    /// L2 decay: adds l2 * w to the gradient of each weight (not biases).
    public let l2Decay: Float
    private var first: [Float]
    private var second: [Float]
    public private(set) var steps = 0

    /// - Parameter parameterCount: the size of the parameter block it will step.
    public init(_ spec: OptimizerSpec, parameterCount: Int, l1Decay: Float = 0, l2Decay: Float = 0) {
        self.spec = spec
        self.l1Decay = l1Decay
        self.l2Decay = l2Decay
        first = [Float](repeating: 0, count: parameterCount)
        switch spec {
        case .adam, .adadelta: second = [Float](repeating: 0, count: parameterCount)
        case .sgd, .adagrad: second = []
        }
    }

    /// Changes the step size from the next step on (a learning-rate control moved mid-run);
    /// the running averages are kept.
    public func setLearningRate(_ lr: Float) {
        guard lr > 0, lr.isFinite else { return }
        switch spec {
        case let .sgd(_, momentum, nesterov): spec = .sgd(learningRate: lr, momentum: momentum, nesterov: nesterov)
        case let .adam(_, b1, b2, eps): spec = .adam(learningRate: lr, beta1: b1, beta2: b2, epsilon: eps)
        case let .adagrad(_, eps): spec = .adagrad(learningRate: lr, epsilon: eps)
        case let .adadelta(_, rho, eps): spec = .adadelta(learningRate: lr, rho: rho, epsilon: eps)
        }
    }

    /// One step: adds decay to the gradients of `decayed` ranges, then moves `parameters`.
    /// `gradients` is modified (decay is added into it).
    func step(parameters w: UnsafeMutablePointer<Float>, gradients g: UnsafeMutablePointer<Float>,
              count: Int, decayed: [Range<Int>]) {
        if l1Decay != 0 || l2Decay != 0 {
            for range in decayed {
                for j in range {
                    let sign: Float = w[j] > 0 ? 1 : (w[j] < 0 ? -1 : 0)
                    g[j] += l2Decay * w[j] + l1Decay * sign
                }
            }
        }
        steps += 1
        first.withUnsafeMutableBufferPointer { m in
            second.withUnsafeMutableBufferPointer { s in
                update(w, g, m.baseAddress!, s.baseAddress, count: count)
            }
        }
    }

    private func update(_ w: UnsafeMutablePointer<Float>, _ g: UnsafeMutablePointer<Float>,
                        _ m: UnsafeMutablePointer<Float>, _ s: UnsafeMutablePointer<Float>?, count: Int) {
        switch spec {
        case let .sgd(lr, momentum, nesterov):
            if momentum == 0 {
                for j in 0..<count { w[j] -= lr * g[j] }
            } else if nesterov {
                for j in 0..<count {
                    m[j] = momentum * m[j] + g[j]          // velocity
                    w[j] -= lr * (g[j] + momentum * m[j])  // look ahead along it
                }
            } else {
                for j in 0..<count {
                    m[j] = momentum * m[j] + g[j]
                    w[j] -= lr * m[j]
                }
            }
        case let .adam(lr, beta1, beta2, epsilon):
            let s = s!
            let t = Float(steps)
            let correction1 = 1 - pow(beta1, t)
            let correction2 = 1 - pow(beta2, t)
            for j in 0..<count {
                m[j] = beta1 * m[j] + (1 - beta1) * g[j]            // mean of g
                s[j] = beta2 * s[j] + (1 - beta2) * g[j] * g[j]     // mean of g^2
                let mHat = m[j] / correction1
                let sHat = s[j] / correction2
                w[j] -= lr * mHat / (sHat.squareRoot() + epsilon)
            }
        case let .adagrad(lr, epsilon):
            for j in 0..<count {
                m[j] += g[j] * g[j]                                  // sum of g^2
                w[j] -= lr * g[j] / (m[j].squareRoot() + epsilon)
            }
        case let .adadelta(lr, rho, epsilon):
            let s = s!
            for j in 0..<count {
                m[j] = rho * m[j] + (1 - rho) * g[j] * g[j]                          // mean of g^2
                let dx = -((s[j] + epsilon).squareRoot() / (m[j] + epsilon).squareRoot()) * g[j]
                s[j] = rho * s[j] + (1 - rho) * dx * dx                              // mean of step^2
                w[j] += lr * dx
            }
        }
    }

    /// Steps a plain parameter array (for tests and tools); `gradients` is the loss gradient.
    public func step(parameters: inout [Float], gradients: [Float]) {
        precondition(parameters.count == gradients.count && parameters.count == first.count)
        var g = gradients
        let count = parameters.count
        parameters.withUnsafeMutableBufferPointer { w in
            g.withUnsafeMutableBufferPointer { gp in
                step(parameters: w.baseAddress!, gradients: gp.baseAddress!, count: count, decayed: [0..<count])
            }
        }
    }
}

import Foundation
