import XCTest

@testable import Convnet

/// `appending` keeps the learned weights; the memory estimate refuses in floating point.
final class NetworkGrowthTests: XCTestCase {
    func testAppending_keepsTheWeights_andDrawsTheNewLayersAsABuiltNet() throws {
        let net = try Network(input: Volume(6, 6, 1), layers: [.conv(filters: 2, size: 3), .relu, .dense(units: 4)], seed: 7)
        // Weights unlike the seed's, as after training.
        for i in 0..<net.parameterCount { net.parameters[i] = Float(i % 13) * 0.25 - 1 }
        let grown = try net.appending([.relu, .dense(units: 3)])
        XCTAssertEqual(grown.specs, net.specs + [.relu, .dense(units: 3)])
        XCTAssertEqual(grown.seed, net.seed)
        XCTAssertEqual(grown.memoryLimit, net.memoryLimit)
        for i in 0..<net.parameterCount where grown.parameters[i] != net.parameters[i] {
            return XCTFail("parameter \(i): \(grown.parameters[i]) != \(net.parameters[i])")
        }
        let whole = try Network(input: Volume(6, 6, 1), layers: grown.specs, seed: 7)
        for i in net.parameterCount..<grown.parameterCount where grown.parameters[i] != whole.parameters[i] {
            return XCTFail("new parameter \(i) is not the seed's")
        }
        let (w, b) = try grown.filters(layer: 1)
        let (w0, b0) = try net.filters(layer: 1)
        XCTAssertEqual(w.values, w0.values)
        XCTAssertEqual(b.values, b0.values)
    }

    func testAppending_aLayerThatDoesNotFit_isRefused_andTheNetIsUnchanged() throws {
        let net = try Network(input: Volume(6, 6, 1), layers: [.conv(filters: 2, size: 3)])
        XCTAssertThrowsError(try net.appending([.conv(filters: 2, size: 7)]))
        XCTAssertEqual(net.specs.count, 1)
    }

    func testCheckMemory_countsTheBatch_andAbsurdSizesDoNotOverflow() throws {
        let volumes = [Volume(28, 28, 1), Volume(28, 28, 64)]
        let layers: [LayerSpec] = [.conv(filters: 64, size: 3, pad: 1)]
        let one = Network.estimatedBytes(of: layers[0], input: volumes[0], output: volumes[1], batch: 1)
        let batch = Network.estimatedBytes(of: layers[0], input: volumes[0], output: volumes[1], batch: 32)
        XCTAssertEqual(one, Double((64 * 9 + 64) * 5 + 28 * 28 * 64 * 2) * 4)
        XCTAssertEqual(batch - one, Double(28 * 28 * 64 * 2 * 31) * 4)
        XCTAssertNoThrow(try Network.checkMemory(volumes: volumes, layers: layers, batch: 1, limit: 1 << 20))
        XCTAssertThrowsError(try Network.checkMemory(volumes: volumes, layers: layers, batch: 32, limit: 1 << 20)) { error in
            guard case let .tooLarge(index, layer, _, _)? = error as? ConvnetError else { return XCTFail("\(error)") }
            XCTAssertEqual(index, 1)
            XCTAssertTrue(layer.contains("for a batch of 32"), layer)
        }
        let huge = [Volume(1 << 24, 1 << 24, 1), Volume(1, 1, 10_000_000)]
        XCTAssertThrowsError(
            try Network.checkMemory(volumes: huge, layers: [.dense(units: 10_000_000)], batch: 32, limit: 4 << 30)
        ) { error in
            guard case let .tooLarge(_, _, bytes, _)? = error as? ConvnetError else { return XCTFail("\(error)") }
            XCTAssertEqual(bytes, Int.max)
        }
    }
}
