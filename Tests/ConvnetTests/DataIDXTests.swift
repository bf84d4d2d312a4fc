import XCTest
@testable import Convnet

final class DataIDXTests: XCTestCase {
    private let classes = (0...9).map(String.init)

    /// Writes a 3-image 4x2 images file and its labels, raw or gzip.
    private func writePair(
        _ folder: DataTestFolder, gzip: Bool, images: Int = 3, labels: [UInt8] = [3, 0, 9]
    ) throws -> (images: String, labels: String) {
        let pixels = DataTestFolder.imagePixels(count: images, rows: 2, columns: 4)
        let suffix = gzip ? ".gz" : ""
        let imagesPath = try folder.write(
            "train-images-idx3-ubyte" + suffix, DataTestFolder.idx(dimensions: [images, 2, 4], data: pixels), gzip: gzip)
        let labelsPath = try folder.write(
            "train-labels-idx1-ubyte" + suffix, DataTestFolder.idx(dimensions: [labels.count], data: labels), gzip: gzip)
        return (imagesPath, labelsPath)
    }

    func testLoadIDX_raw_readsPixelsLabelsAndVolume() throws {
        let folder = try DataTestFolder()
        let files = try writePair(folder, gzip: false)
        let set = try Dataset.loadIDX(imagesPath: files.images, labelsPath: files.labels, classNames: classes, name: "t")
        XCTAssertEqual(set.count, 3)
        XCTAssertEqual(set.volume, Volume(4, 2, 1), "IDX is count x rows x columns; the volume is width x height")
        XCTAssertEqual(set.labels, [3, 0, 9])
        XCTAssertEqual(Array(set.pixels), DataTestFolder.imagePixels(count: 3, rows: 2, columns: 4))
        XCTAssertEqual(Array(set.imageBytes(1)), (0..<8).map { UInt8(7 + $0) })
    }

    func testLoadIDX_gzip_matchesRaw() throws {
        let folder = try DataTestFolder()
        let raw = try writePair(folder, gzip: false)
        let gz = try writePair(folder, gzip: true)
        let a = try Dataset.loadIDX(imagesPath: raw.images, labelsPath: raw.labels, classNames: classes, name: "t")
        let b = try Dataset.loadIDX(imagesPath: gz.images, labelsPath: gz.labels, classNames: classes, name: "t")
        XCTAssertEqual(a.pixels, b.pixels)
        XCTAssertEqual(a.labels, b.labels)
        let gzBytes = try XCTUnwrap(FileManager.default.contents(atPath: gz.images))
        XCTAssertEqual(Array(gzBytes.prefix(2)), [0x1F, 0x8B], "the .gz fixture really is gzip")
    }

    func testRead_truncatedRawData_saysExpectedAndFoundBytes() throws {
        let folder = try DataTestFolder()
        let full = DataTestFolder.idx(dimensions: [3, 2, 4], data: DataTestFolder.imagePixels(count: 3, rows: 2, columns: 4))
        let path = try folder.write("short", Array(full.dropLast(5)))
        XCTAssertThrowsError(try IDXReader.readImages(path: path)) { error in
            XCTAssertEqual(error as? DataError, .truncated(path: path, expectedBytes: 16 + 24, foundBytes: 16 + 19))
            XCTAssertTrue("\(error)".contains(path), "the message names the file: \(error)")
        }
    }

    func testRead_truncatedGzip_isTruncatedNotCrash() throws {
        let folder = try DataTestFolder()
        let pixels = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) }
        let gzPath = try folder.write("whole.gz", DataTestFolder.idx(dimensions: [50, 10, 10], data: pixels), gzip: true)
        let gz = try XCTUnwrap(FileManager.default.contents(atPath: gzPath))
        let path = try folder.write("cut.gz", Array(gz.prefix(gz.count / 2)))
        XCTAssertThrowsError(try IDXReader.readImages(path: path)) { error in
            guard case .truncated(let p, let expected, let found)? = error as? DataError else {
                return XCTFail("expected truncated, got \(error)")
            }
            XCTAssertEqual(p, path)
            XCTAssertEqual(expected, 16 + 5000)
            XCTAssertLessThan(found, expected)
        }
    }

    func testRead_corruptGzip_isUnreadableWithReason() throws {
        let folder = try DataTestFolder()
        let gzPath = try folder.write(
            "ok.gz", DataTestFolder.idx(dimensions: [20, 10, 10], data: [UInt8](repeating: 9, count: 2000)), gzip: true)
        var gz = [UInt8](try XCTUnwrap(FileManager.default.contents(atPath: gzPath)))
        for i in 12..<min(gz.count - 8, 40) { gz[i] ^= 0xA5 }
        let path = try folder.write("bad.gz", gz)
        XCTAssertThrowsError(try IDXReader.readImages(path: path)) { error in
            XCTAssertNotNil(error as? DataError, "a DataError, not a crash: \(error)")
            XCTAssertTrue("\(error)".contains(path), "\(error)")
        }
    }

    func testRead_labelsFileWhereImagesBelong_isWrongMagic() throws {
        let folder = try DataTestFolder()
        let files = try writePair(folder, gzip: false)
        XCTAssertThrowsError(try Dataset.loadIDX(
            imagesPath: files.labels, labelsPath: files.images, classNames: classes, name: "t")) { error in
            guard case .wrongMagic(_, let expected, let found)? = error as? DataError else {
                return XCTFail("expected wrongMagic, got \(error)")
            }
            XCTAssertTrue(expected.hasPrefix("0x00000803"), expected)
            XCTAssertTrue(found.hasPrefix("0x00000801") && found.contains("labels"), found)
        }
    }

    func testRead_notIDXAtAll_saysSo() throws {
        let folder = try DataTestFolder()
        let path = try folder.write("text", Array("hello, world".utf8))
        XCTAssertThrowsError(try IDXReader.readLabels(path: path)) { error in
            XCTAssertTrue("\(error)".contains("not an IDX file"), "\(error)")
        }
    }

    func testRead_floatIDX_isWrongMagicNamingTheType() throws {
        let folder = try DataTestFolder()
        let path = try folder.write("floats", DataTestFolder.idx(dimensions: [1], data: [0, 0, 0, 0], type: 0x0D))
        XCTAssertThrowsError(try IDXReader.readLabels(path: path)) { error in
            XCTAssertTrue("\(error)".contains("32-bit floats"), "\(error)")
        }
    }

    func testRead_headerPromisingMoreThanTheFileHolds_failsBeforeAllocating() throws {
        let folder = try DataTestFolder()
        let path = try folder.write("huge", DataTestFolder.idx(dimensions: [2_000_000_000, 28, 28], data: [1, 2, 3]))
        XCTAssertThrowsError(try IDXReader.readImages(path: path)) { error in
            guard case .badHeader? = error as? DataError else { return XCTFail("expected badHeader, got \(error)") }
        }
    }

    func testRead_emptyFile_isTruncated() throws {
        let folder = try DataTestFolder()
        let path = try folder.write("empty", [])
        XCTAssertThrowsError(try IDXReader.readLabels(path: path)) { error in
            XCTAssertEqual(error as? DataError, .truncated(path: path, expectedBytes: 8, foundBytes: 0))
        }
    }

    func testRead_missingFile_isUnreadable() throws {
        let folder = try DataTestFolder()
        XCTAssertThrowsError(try IDXReader.readLabels(path: folder.path + "/nope")) { error in
            guard case .unreadable? = error as? DataError else { return XCTFail("got \(error)") }
        }
    }

    func testLoadIDX_moreLabelsThanImages_isCountMismatch() throws {
        let folder = try DataTestFolder()
        let files = try writePair(folder, gzip: true, images: 3, labels: [1, 2, 3, 4])
        XCTAssertThrowsError(try Dataset.loadIDX(
            imagesPath: files.images, labelsPath: files.labels, classNames: classes, name: "t")) { error in
            XCTAssertEqual(
                error as? DataError,
                .countMismatch(imagesPath: files.images, images: 3, labelsPath: files.labels, labels: 4))
        }
    }

    func testLoadIDX_labelBeyondClasses_isLabelOutOfRange() throws {
        let folder = try DataTestFolder()
        let files = try writePair(folder, gzip: false, labels: [1, 10, 3])
        XCTAssertThrowsError(try Dataset.loadIDX(
            imagesPath: files.images, labelsPath: files.labels, classNames: classes, name: "t")) { error in
            XCTAssertEqual(error as? DataError, .labelOutOfRange(path: files.labels, index: 1, label: 10, classes: 10))
            XCTAssertTrue("\(error)".contains("0 to 9"), "\(error)")
        }
    }
}
