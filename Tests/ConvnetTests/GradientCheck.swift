import XCTest
@testable import Convnet

/// Central-difference checks of a layer's backward pass: the loss is sum_j r_j * y_j with
/// fixed random r, computed in Double; inputs and parameters are nudged by +-eps.
struct GradientChecker {
    var eps: Float = 1e-2
    var tolerance = 2e-3
    var images = 2

    /// Distinct input values at least 0.03 apart and away from 0, so relu's kink and max
    /// pooling's ties never sit within eps.
    static func inputs(count: Int, seed: UInt64) -> [Float] {
        let order = SplitMix64.shuffledIndices(count: count, seed: seed)
        return order.map { i in
            let v = (Float(i) - Float(count) / 2 + 0.5) * 0.03
            return v >= 0 ? v + 0.05 : v - 0.05
        }
    }

    func check(_ spec: LayerSpec, input: Volume, training: Bool = false,
               file: StaticString = #filePath, line: UInt = #line) throws {
        let output = try spec.outputVolume(for: input)
        let layer = makeLayer(spec, input: input, output: output)
        var rng = SplitMix64(seed: 42)
        var params = [Float](repeating: 0, count: max(1, layer.parameterCount))
        for j in params.indices { params[j] = Float(rng.nextUnitDouble() * 2 - 1) * 0.5 }
        var x = Self.inputs(count: images * input.count, seed: 7)
        // Keep the loss weights away from zero so every output matters.
        let r = (0..<(images * output.count)).map { _ in Float(rng.nextUnitDouble() + 0.5) * (rng.next() & 1 == 0 ? 1 : -1) }
        var scratch = [Float](repeating: 0, count: max(1, layer.scratchCount))
        var y = [Float](repeating: 0, count: images * output.count)

        func loss() -> Double {
            params.withUnsafeMutableBufferPointer { p in
                scratch.withUnsafeMutableBufferPointer { s in
                    layer.bind(parameters: p.baseAddress!)
                    let ctx = LayerContext(scratch: s.baseAddress!, firstImage: 0, training: training, step: 3, seed: 9)
                    x.withUnsafeBufferPointer { xp in
                        y.withUnsafeMutableBufferPointer { layer.forward(xp.baseAddress!, $0.baseAddress!, images: images, ctx) }
                    }
                }
            }
            return zip(r, y).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }

        _ = loss()
        var dX = [Float](repeating: 0, count: x.count)
        var dW = [Float](repeating: 0, count: params.count)
        params.withUnsafeMutableBufferPointer { p in
            scratch.withUnsafeMutableBufferPointer { s in
                layer.bind(parameters: p.baseAddress!)
                let ctx = LayerContext(scratch: s.baseAddress!, firstImage: 0, training: training, step: 3, seed: 9)
                layer.backward(x, y, r, dX.withUnsafeMutableBufferPointer { $0.baseAddress! },
                               gradients: dW.withUnsafeMutableBufferPointer { $0.baseAddress! },
                               images: images, ctx)
            }
        }

        var failures: [String] = []
        for j in x.indices {
            let saved = x[j]
            x[j] = saved + eps; let up = loss()
            x[j] = saved - eps; let down = loss()
            x[j] = saved
            let numeric = (up - down) / (2 * Double(eps))
            if !close(Double(dX[j]), numeric) { failures.append("dX[\(j)]: analytic \(dX[j]), numeric \(numeric)") }
        }
        for j in 0..<layer.parameterCount {
            let saved = params[j]
            params[j] = saved + eps; let up = loss()
            params[j] = saved - eps; let down = loss()
            params[j] = saved
            let numeric = (up - down) / (2 * Double(eps))
            if !close(Double(dW[j]), numeric) { failures.append("dW[\(j)]: analytic \(dW[j]), numeric \(numeric)") }
        }
        XCTAssert(failures.isEmpty, "\(spec) on \(input): \(failures.count) gradients differ; first: \(failures.prefix(5))",
                  file: file, line: line)
    }

    func close(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(a), abs(b))
    }
}
