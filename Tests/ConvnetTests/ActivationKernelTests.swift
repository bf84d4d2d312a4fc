import XCTest
@testable import Convnet

/// Relu's backward reads its output y, not x: the gradient must pass exactly where x > 0
/// (zeros, negative zeros and negatives block it), as dX = x > 0 ? dY : 0 says.
final class ActivationKernelTests: XCTestCase {
    func testRelu_forwardAndBackward_exactlyAsThePlainRule() {
        let volume = Volume(7, 5, 3)
        let images = 3
        var rng = SplitMix64(seed: 21)
        let special: [Float] = [0, -0.0, -1, 1, .leastNonzeroMagnitude, -.leastNonzeroMagnitude]
        let x = (0..<(images * volume.count)).map { i -> Float in
            i % 4 == 0 ? special[rng.nextIndex(below: special.count)] : Float(rng.nextGaussian())
        }
        let dY = (0..<x.count).map { _ in Float(rng.nextGaussian()) }
        let layer = ActivationLayer(spec: .relu, volume: volume, function: .relu)
        var y = [Float](repeating: .nan, count: x.count), dX = [Float](repeating: .nan, count: x.count)
        var scratch: [Float] = [0]
        scratch.withUnsafeMutableBufferPointer { s in
            let context = LayerContext(scratch: s.baseAddress!, firstImage: 0, training: true, step: 0, seed: 0)
            y.withUnsafeMutableBufferPointer { layer.forward(x, $0.baseAddress!, images: images, context) }
            dX.withUnsafeMutableBufferPointer {
                layer.backward(x, y, dY, $0.baseAddress!, gradients: nil, images: images, context)
            }
        }
        let badY = x.indices.filter { y[$0] != (x[$0] > 0 ? x[$0] : 0) }
        let badDX = x.indices.filter { dX[$0] != (x[$0] > 0 ? dY[$0] : 0) }
        XCTAssert(badY.isEmpty, "forward differs at \(badY.prefix(5).map { "[\($0)] x \(x[$0]) y \(y[$0])" })")
        XCTAssert(badDX.isEmpty, "backward differs at \(badDX.prefix(5).map { "[\($0)] x \(x[$0]) dX \(dX[$0])" })")
    }
}
