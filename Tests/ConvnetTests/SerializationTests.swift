import Foundation
import XCTest
@testable import Convnet

final class SerializationTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("convnet-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    private func trainedNet() throws -> Network {
        let data = syntheticImages()
        let net = try Network(input: data.volume, layers: [
            .conv(filters: 3, size: 3, stride: 1, pad: 1), .leakyRelu(slope: 0.05), .maxpool(size: 2),
            .conv(filters: 2, size: 3, bias: false), .tanh, .avgpool(size: 2, stride: 1), .dropout(rate: 0.25),
            .flatten, .dense(units: 10), .sigmoid, .dense(units: 10), .relu, .softmax,
        ], seed: 8, initialization: .glorot)
        try train(net, on: data, options: TrainingOptions(epochs: 1, batchSize: 20))
        return net
    }

    func testRoundTrip_keepsArchitectureAndEveryWeightBit() throws {
        let net = try trainedNet()
        try net.save(to: path("a.net"))
        let loaded = try Network.load(from: path("a.net"))
        XCTAssertEqual(loaded.specs, net.specs)
        XCTAssertEqual(loaded.inputVolume, net.inputVolume)
        XCTAssertEqual(loaded.seed, 8)
        XCTAssertEqual(loaded.initialization, .glorot)
        XCTAssertEqual(loaded.parameterValues.map(\.bitPattern), net.parameterValues.map(\.bitPattern))
        let image = syntheticImages().image(3)
        XCTAssertEqual(try loaded.predict(image), try net.predict(image))
        // No temporary file is left beside it.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["a.net"])
    }

    func testSave_replacesAnExistingFile() throws {
        let net = try trainedNet()
        try Data("old".utf8).write(to: URL(fileURLWithPath: path("b.net")))
        try net.save(to: path("b.net"))
        XCTAssertNoThrow(try Network.load(from: path("b.net")))
    }

    func testSave_intoAMissingFolder_saysWhy() throws {
        let net = try trainedNet()
        XCTAssertThrowsError(try net.save(to: path("no/such/folder/c.net"))) { error in
            XCTAssert("\(error)".hasPrefix("cannot save"), "\(error)")
        }
    }

    private func assertRefused(_ bytes: [UInt8], containing expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path("bad.net")))
        XCTAssertThrowsError(try Network.load(from: path("bad.net")), file: file, line: line) { error in
            XCTAssert("\(error)".contains(expected), "\(error)", file: file, line: line)
            XCTAssert("\(error)".contains("bad.net"), "\(error)", file: file, line: line)
        }
    }

    func testTruncatedFiles_areRefused_atEveryLength() throws {
        let bytes = try trainedNet().encoded()
        for length in [0, 5, 8, 11, 20, 40, 60, bytes.count / 2, bytes.count - 1] {
            XCTAssertThrowsError(try Network.decode(Array(bytes.prefix(length)), name: "t.net"), "length \(length)") { error in
                let text = "\(error)"
                XCTAssert(text.contains("truncated") || text.contains("not a saved net"), "length \(length): \(text)")
            }
        }
        try assertRefused(Array(bytes.dropLast(10)), containing: "truncated")
    }

    func testCorruptFiles_areRefused() throws {
        let bytes = try trainedNet().encoded()
        var flipped = bytes
        flipped[bytes.count - 100] ^= 0x40
        try assertRefused(flipped, containing: "checksum does not match")
        var badKind = bytes
        badKind[28] = 99  // the first layer's kind
        try assertRefused(badKind, containing: "unknown kind 99")
        try assertRefused(Array("hello, this is not a net".utf8), containing: "not a saved net")
        try assertRefused(bytes + [0, 0], containing: "bytes after its end")
        var hugeCount = bytes
        hugeCount[29] = 0xFF; hugeCount[30] = 0xFF; hugeCount[31] = 0xFF; hugeCount[32] = 0x7F
        try assertRefused(hugeCount, containing: "impossible value")
    }

    func testFutureVersion_isRefused() throws {
        var bytes = try trainedNet().encoded()
        bytes[8] = 2
        try assertRefused(bytes, containing: "format version 2 by a newer convnet; this one reads version 1")
    }

    func testMissingFile_isRefused() {
        XCTAssertThrowsError(try Network.load(from: path("nothing.net"))) { error in
            XCTAssertEqual("\(error)", "cannot load \(path("nothing.net")): there is no such file")
        }
    }
}
