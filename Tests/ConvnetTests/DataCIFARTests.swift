import XCTest
@testable import Convnet

final class DataCIFARTests: XCTestCase {
    /// Loads through the environment write their caches here, not in the user's home.
    private var cache: DataTestFolder!

    override func setUpWithError() throws {
        cache = try DataTestFolder()
        setenv(DatasetCache.folderVariable, cache.path, 1)
    }

    override func tearDown() {
        unsetenv(DatasetCache.folderVariable)
        cache = nil
    }

    /// `count` CIFAR records: label n % 10, pixel i = (n + i) % 256.
    private func records(_ count: Int, labelOffset: Int = 0) -> [UInt8] {
        (0..<count).flatMap { n -> [UInt8] in
            [UInt8((n + labelOffset) % 10)] + (0..<3072).map { UInt8((n + $0) % 256) }
        }
    }

    private func writeCIFAR(_ folder: DataTestFolder, trainPerBatch: Int = 2, gzip: Bool = false) throws {
        let suffix = gzip ? ".gz" : ""
        for b in 1...5 {
            try folder.write(
                "cifar-10-batches-bin/data_batch_\(b).bin\(suffix)", records(trainPerBatch, labelOffset: b), gzip: gzip)
        }
        try folder.write("cifar-10-batches-bin/test_batch.bin\(suffix)", records(3), gzip: gzip)
    }

    func testLoad_cifarFolder_readsAllBatchesInOrder() throws {
        let folder = try DataTestFolder()
        try writeCIFAR(folder)
        try folder.write("cifar-10-batches-bin/batches.meta.txt", Array("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n".utf8))
        let sets = try Dataset.load(name: "cifar10", folder: folder.path)
        XCTAssertEqual(sets.train.count, 10)
        XCTAssertEqual(sets.test.count, 3)
        XCTAssertEqual(sets.train.volume, Volume(32, 32, 3))
        XCTAssertEqual(sets.train.labels, [1, 2, 2, 3, 3, 4, 4, 5, 5, 6])
        XCTAssertEqual(sets.train.classNames, ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"])
        // Record 1 of a batch: pixel i is (1 + i) % 256; CHW kept as the file has it.
        let image = Array(sets.test.imageBytes(1))
        XCTAssertEqual(image.count, 3072)
        XCTAssertEqual(image[0], 1)
        XCTAssertEqual(image[1024], UInt8((1 + 1024) % 256), "the green plane follows the red one")
    }

    func testLoad_cifarGzipFromDataVariable_withoutMetaUsesStandardNames() throws {
        let folder = try DataTestFolder()
        try writeCIFAR(folder, trainPerBatch: 1, gzip: true)
        let test = try Dataset.load(.cifar10, split: .test, folder: nil, environment: ["CONVNET_DATA": folder.path])
        XCTAssertEqual(test.count, 3)
        XCTAssertEqual(test.classNames[9], "truck")
    }

    func testLoad_cifarBatchEndingInsideARecord_isTruncated() throws {
        let folder = try DataTestFolder()
        try writeCIFAR(folder)
        let path = try folder.write("cifar-10-batches-bin/test_batch.bin", Array(records(3).dropLast(100)))
        XCTAssertThrowsError(try Dataset.load(name: "cifar10", split: .test, folder: folder.path)) { error in
            XCTAssertEqual(error as? DataError, .truncated(path: path, expectedBytes: 3 * 3073, foundBytes: 3 * 3073 - 100))
        }
    }

    func testLoad_cifarEmptyBatch_isTruncated() throws {
        let folder = try DataTestFolder()
        let path = try folder.write("empty.bin", [])
        XCTAssertThrowsError(try Dataset.loadCIFAR10Batches(paths: [path], name: "t")) { error in
            XCTAssertEqual(error as? DataError, .truncated(path: path, expectedBytes: 3073, foundBytes: 0))
        }
    }

    func testLoad_cifarLabelByteTooLarge_isLabelOutOfRange() throws {
        let folder = try DataTestFolder()
        var bytes = records(2)
        bytes[3073] = 200
        let path = try folder.write("bad.bin", bytes)
        XCTAssertThrowsError(try Dataset.loadCIFAR10Batches(paths: [path], name: "t")) { error in
            XCTAssertEqual(error as? DataError, .labelOutOfRange(path: path, index: 1, label: 200, classes: 10))
        }
    }

    func testLoad_cifarMissingBatch_namesItAndTheDownload() throws {
        let folder = try DataTestFolder()
        try writeCIFAR(folder)
        try FileManager.default.removeItem(atPath: folder.path + "/cifar-10-batches-bin/data_batch_4.bin")
        XCTAssertThrowsError(try Dataset.load(name: "cifar10", split: .train, folder: folder.path)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("data_batch_4.bin"), message)
            XCTAssertTrue(message.contains("cifar-10-binary.tar.gz"), message)
        }
    }
}
