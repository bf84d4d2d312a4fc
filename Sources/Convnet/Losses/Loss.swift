import Foundation

/// What training minimises, per image, averaged over a batch.
///
/// - softmax cross-entropy: L = -log p_label with p = softmax(output); when the net already
///   ends in a softmax layer its output is p, and the gradient p - onehot goes straight to
///   the softmax's input (the exact and stable form of the chained derivative).
/// - mean squared error: L = 1/2 * sum_j (output_j - target_j)^2, the target being the
///   label's one-hot vector.
/// - multiclass hinge (ConvNetJS's svm): L = sum over j != label of max(0, output_j - output_label + 1).
public enum Loss: String, Sendable, Hashable, CaseIterable {
    case softmaxCrossEntropy
    case meanSquaredError
    case hinge

    /// Loss of one image's `output` (k values) for `label`; writes `scale * dL/doutput` into
    /// `gradient` when given. With `outputIsSoftmax` (cross-entropy after a softmax layer) the
    /// output is read as probabilities and the gradient is with respect to the softmax's input.
    func evaluate(_ y: UnsafePointer<Float>, count k: Int, label: Int, outputIsSoftmax: Bool,
                  gradient: UnsafeMutablePointer<Float>?, scale: Float) -> Float {
        switch self {
        case .softmaxCrossEntropy:
            if outputIsSoftmax {
                if let g = gradient {
                    for j in 0..<k { g[j] = scale * (y[j] - (j == label ? 1 : 0)) }
                }
                return -Foundation.log(max(y[label], Float.leastNormalMagnitude))
            }
            var top = y[0]
            for j in 1..<max(k, 1) where y[j] > top { top = y[j] }
            var sum: Float = 0
            for j in 0..<k { sum += Foundation.exp(y[j] - top) }
            let logSum = Foundation.log(sum)
            if let g = gradient {
                for j in 0..<k { g[j] = scale * (Foundation.exp(y[j] - top - logSum) - (j == label ? 1 : 0)) }
            }
            return logSum - (y[label] - top)
        case .meanSquaredError:
            var loss: Float = 0
            for j in 0..<k {
                let d = y[j] - (j == label ? 1 : 0)
                loss += 0.5 * d * d
                gradient?[j] = scale * d
            }
            return loss
        case .hinge:
            var loss: Float = 0
            if let g = gradient { g.update(repeating: 0, count: k) }
            for j in 0..<k where j != label {
                let margin = y[j] - y[label] + 1
                if margin > 0 {
                    loss += margin
                    gradient?[j] += scale
                    gradient?[label] -= scale
                }
            }
            return loss
        }
    }

    /// Loss and gradient of one output for a label, on plain arrays (for tests and tools).
    public func value(output: [Float], label: Int) -> (loss: Float, gradient: [Float]) {
        var gradient = [Float](repeating: 0, count: output.count)
        let loss = output.withUnsafeBufferPointer { y in
            gradient.withUnsafeMutableBufferPointer { g in
                evaluate(y.baseAddress!, count: output.count, label: label, outputIsSoftmax: false,
                         gradient: g.baseAddress!, scale: 1)
            }
        }
        return (loss, gradient)
    }
}
