import Foundation
import XCTest
@testable import Convnet

/// The shared cache of decompressed data sets: built once, then mapped; damaged,
/// stale or unwritable caches fall back to decoding, with the same images.
final class DataCacheTests: XCTestCase {
    private var sources: DataTestFolder!
    private var cacheFolder: String!

    override func setUpWithError() throws {
        sources = try DataTestFolder()
        cacheFolder = sources.path + "/cache"
        // 7 images of 4x3: enough for a page-aligned body and a label tail.
        let pixels = DataTestFolder.imagePixels(count: 7, rows: 3, columns: 4)
        try sources.write("t10k-images-idx3-ubyte.gz", DataTestFolder.idx(dimensions: [7, 3, 4], data: pixels), gzip: true)
        try sources.write("t10k-labels-idx1-ubyte.gz", DataTestFolder.idx(dimensions: [7], data: [3, 1, 4, 1, 5, 9, 2]), gzip: true)
    }

    private var imagesPath: String { sources.path + "/t10k-images-idx3-ubyte.gz" }
    private var labelsPath: String { sources.path + "/t10k-labels-idx1-ubyte.gz" }

    private func privateLoad() throws -> Dataset {
        try Dataset.loadIDX(imagesPath: imagesPath, labelsPath: labelsPath, classNames: Dataset.mnistClassNames, name: "mnist test")
    }

    private func cachedLoad(folder: String? = nil) throws -> (Dataset, DatasetCache.Outcome) {
        try DatasetCache(folder: folder ?? cacheFolder).load(key: "mnist-test", sources: [imagesPath, labelsPath]) {
            try privateLoad()
        }
    }

    private func cacheFile() throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: cacheFolder).filter { $0.hasSuffix(".data") }
        XCTAssertEqual(names.count, 1, "one cache file: \(names)")
        return cacheFolder + "/" + (names.first ?? "")
    }

    private func assertSameData(_ a: Dataset, _ b: Dataset, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.name, b.name, file: file, line: line)
        XCTAssertEqual(a.volume, b.volume, file: file, line: line)
        XCTAssertEqual(a.classNames, b.classNames, file: file, line: line)
        XCTAssertEqual(Array(a.labels), Array(b.labels), file: file, line: line)
        if a.pixels != b.pixels {
            let first = zip(a.pixels, b.pixels).enumerated().first { $0.element.0 != $0.element.1 }
            XCTFail("pixels differ, first at byte \(first?.offset ?? -1) of \(a.pixels.count)", file: file, line: line)
        }
    }

    func testFirstLoad_builds_thenLaterLoadsMapTheSameImages() throws {
        let (built, first) = try cachedLoad()
        XCTAssertEqual(first, .built)
        XCTAssertTrue(built.isShared, "the builder maps the file it wrote")
        let (mapped, second) = try cachedLoad()
        XCTAssertEqual(second, .mapped)
        XCTAssertTrue(mapped.isShared)
        assertSameData(mapped, try privateLoad())
        XCTAssertEqual(mapped.labels, [3, 1, 4, 1, 5, 9, 2])
    }

    func testSlice_ofAMappedSet_isAViewOfTheMapping() throws {
        let (data, _) = try cachedLoad()
        let part = data.slice(2..<5)
        XCTAssertTrue(part.pixels.storage === data.pixels.storage, "a slice shares the mapping")
        XCTAssertTrue(part.labels.storage === data.labels.storage)
        XCTAssertEqual(Array(part.labels), [4, 1, 5])
        XCTAssertEqual(Array(part.imageBytes(0)), Array(data.imageBytes(2)))
        XCTAssertEqual(part.pixels.count, 3 * 12)
    }

    func testTruncatedCacheFile_isRebuilt() throws {
        _ = try cachedLoad()
        let path = try cacheFile()
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        XCTAssertEqual(truncate(path, off_t(size - 5)), 0)
        XCTAssertThrowsError(try DatasetCacheFile.map(path: path, identity: DatasetCache.identity(of: [imagesPath, labelsPath])))
        let (data, outcome) = try cachedLoad()
        XCTAssertEqual(outcome, .built, "the short file is replaced")
        assertSameData(data, try privateLoad())
        XCTAssertEqual(try cachedLoad().1, .mapped)
    }

    func testCacheFileCutInsideItsHeader_isRebuilt() throws {
        _ = try cachedLoad()
        XCTAssertEqual(truncate(try cacheFile(), 40), 0)
        XCTAssertEqual(try cachedLoad().1, .built)
    }

    func testFlippedPixelByte_failsTheChecksum_andIsRebuilt() throws {
        _ = try cachedLoad()
        let path = try cacheFile()
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[DatasetCacheFile.pageSize + 5] ^= 0x10  // the sixth pixel of the first image
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let identity = try DatasetCache.identity(of: [imagesPath, labelsPath])
        XCTAssertThrowsError(try DatasetCacheFile.map(path: path, identity: identity)) { error in
            XCTAssertEqual(error as? DatasetCacheFile.Rejection, .invalid("the images' checksum is wrong"))
        }
        let (data, outcome) = try cachedLoad()
        XCTAssertEqual(outcome, .built)
        assertSameData(data, try privateLoad())
    }

    func testGarbageInPlaceOfTheCache_isRebuilt() throws {
        _ = try cachedLoad()
        try Data(repeating: 0x41, count: 10_000).write(to: URL(fileURLWithPath: try cacheFile()))
        XCTAssertEqual(try cachedLoad().1, .built)
    }

    func testChangedSourceFile_isNotServedFromTheOldCache() throws {
        let (old, _) = try cachedLoad()
        XCTAssertEqual(old.labels[0], 3)
        try sources.write("t10k-labels-idx1-ubyte.gz", DataTestFolder.idx(dimensions: [7], data: [8, 1, 4, 1, 5, 9, 2]), gzip: true)
        let (new, outcome) = try cachedLoad()
        XCTAssertEqual(outcome, .built, "another size or mtime is another cache file")
        XCTAssertEqual(new.labels[0], 8)
    }

    func testUnwritableFolder_fallsBackToThePrivateLoad() throws {
        // Beneath a regular file no folder can be made, even by root.
        let blocker = try sources.write("not-a-folder", [1, 2, 3])
        let (data, outcome) = try cachedLoad(folder: blocker + "/cache")
        guard case .privateLoad = outcome else { return XCTFail("got \(outcome)") }
        XCTAssertFalse(data.isShared)
        assertSameData(data, try privateLoad())
    }

    func testReadOnlyFolderWithAValidCache_isStillMapped() throws {
        _ = try cachedLoad()
        // A cache a teacher built in a folder the students cannot write is still read.
        try FileManager.default.removeItem(atPath: try cacheFile() + ".lock")
        chmod(cacheFolder, 0o555)
        defer { chmod(cacheFolder, 0o755) }
        XCTAssertEqual(try cachedLoad().1, .mapped)
    }

    func testMissingSource_isTheLearnersError_notTheCaches() throws {
        try FileManager.default.removeItem(atPath: imagesPath)
        XCTAssertThrowsError(try cachedLoad()) { error in
            guard case .unreadable? = error as? DataError else { return XCTFail("got \(error)") }
        }
    }

    func testCacheOff_loadsPrivately() throws {
        let cache = DatasetCache(environment: ["CONVNET_CACHE": "off", "HOME": sources.path])
        XCTAssertNil(cache.folder)
        XCTAssertEqual(DatasetCache(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"]).folder, "/x/convnet-kernel")
        XCTAssertEqual(DatasetCache(environment: ["HOME": "/h"]).folder, "/h/.cache/convnet-kernel")
        XCTAssertEqual(DatasetCache(environment: ["CONVNET_CACHE": "/c", "HOME": "/h"]).folder, "/c")
    }

    func testEightThreadsLoadingAtOnce_buildOnceAndAgree() throws {
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var outcomes: [DatasetCache.Outcome] = []
            var labels: [[Int]] = []
        }
        let results = Results()
        let folder = cacheFolder!, images = imagesPath, labels = labelsPath
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let loaded = try? DatasetCache(folder: folder).load(key: "mnist-test", sources: [images, labels]) {
                try Dataset.loadIDX(imagesPath: images, labelsPath: labels, classNames: Dataset.mnistClassNames, name: "mnist test")
            }
            results.lock.lock()
            if let (data, outcome) = loaded {
                results.outcomes.append(outcome)
                results.labels.append(Array(data.labels))
            }
            results.lock.unlock()
        }
        XCTAssertEqual(results.outcomes.count, 8)
        XCTAssertEqual(results.outcomes.filter { $0 == .built }.count, 1, "\(results.outcomes)")
        XCTAssertEqual(Set(results.labels), [[3, 1, 4, 1, 5, 9, 2]])
        XCTAssertTrue(try FileManager.default.contentsOfDirectory(atPath: cacheFolder).allSatisfy { !$0.hasSuffix(".tmp") })
    }

    func testTrainingFromAMappedSet_matchesTrainingFromAPrivateCopy() throws {
        let (mapped, _) = try cachedLoad()
        let copy = try privateLoad()
        func trained(_ data: Dataset) throws -> [Float] {
            let net = try Network(input: data.volume, layers: [.dense(units: 10), .softmax], seed: 3)
            try train(net, on: data, options: TrainingOptions(epochs: 2, batchSize: 3))
            return try net.predict(data.image(0)).probabilities
        }
        XCTAssertEqual(try trained(mapped), try trained(copy))
    }
}

/// The real Fashion-MNIST through the cache: every byte and label as the private load gives them.
final class DataCacheFashionMNISTTests: XCTestCase {
    func testFashionMNIST_mappedFromTheCache_equalsThePrivateLoad() throws {
        guard FileManager.default.fileExists(atPath: Dataset.debianFashionMNISTFolder + "/t10k-images-idx3-ubyte.gz") else {
            throw XCTSkip("Debian's dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist)")
        }
        let cache = try DataTestFolder()
        for split in DatasetSplit.allCases {
            let environment = ["CONVNET_CACHE": cache.path]
            let mapped = try Dataset.load(.fashionMNIST, split: split, folder: nil, environment: environment)
            let again = try Dataset.load(.fashionMNIST, split: split, folder: nil, environment: environment)
            let copy = try Dataset.load(.fashionMNIST, split: split, folder: nil, environment: ["CONVNET_CACHE": "off"])
            XCTAssertTrue(mapped.isShared && again.isShared)
            XCTAssertFalse(copy.isShared)
            XCTAssertEqual(mapped.name, copy.name)
            XCTAssertEqual(mapped.classNames, copy.classNames)
            XCTAssertTrue(mapped.labels == copy.labels, "\(split) labels")
            XCTAssertTrue(mapped.pixels == copy.pixels, "\(split) pixels")
            XCTAssertTrue(again.pixels == copy.pixels, "\(split) pixels, second map")
        }
    }
}
