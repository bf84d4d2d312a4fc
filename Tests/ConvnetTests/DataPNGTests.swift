import CPNG
import XCTest
@testable import Convnet

final class DataPNGTests: XCTestCase {
    // libpng's format flags (its compound PNG_FORMAT_ macros do not import).
    private let gray: Int32 = 0, grayAlpha: Int32 = 1, rgb: Int32 = 2, rgba: Int32 = 3
    private let rgbColormap: Int32 = 2 | 8, linearGray: Int32 = 4

    func testDecode_grey_oddSize_keepsRowsInOrder() throws {
        let samples = (0..<15).map { UInt8($0 * 10) }
        let png = DataTestFolder.png(width: 3, height: 5, format: gray, samples: samples)
        let image = try PNGReader.decode(png)
        XCTAssertEqual(image.volume, Volume(3, 5, 1))
        XCTAssertEqual(image.pixels, samples)
    }

    func testDecode_rgb_becomesThreePlanes() throws {
        // 2x1: a red pixel then a blue one.
        let png = DataTestFolder.png(width: 2, height: 1, format: rgb, samples: [255, 0, 0, 0, 0, 255])
        let image = try PNGReader.decode(png)
        XCTAssertEqual(image.volume, Volume(2, 1, 3))
        XCTAssertEqual(image.pixels, [255, 0, 0, 0, 0, 255], "CHW: reds, greens, blues")
    }

    func testDecode_rgbForcedGrey_andGreyForcedColour() throws {
        let colour = DataTestFolder.png(width: 1, height: 1, format: rgb, samples: [255, 255, 255])
        XCTAssertEqual(try PNGReader.decode(colour, depth: 1).pixels, [255])
        let grey = DataTestFolder.png(width: 1, height: 1, format: gray, samples: [77])
        XCTAssertEqual(try PNGReader.decode(grey, depth: 3).pixels, [77, 77, 77])
    }

    func testDecode_alpha_isCompositedOntoBlack() throws {
        let ga = DataTestFolder.png(width: 2, height: 1, format: grayAlpha, samples: [200, 255, 200, 0])
        XCTAssertEqual(try PNGReader.decode(ga).pixels, [200, 0])
        let colour = DataTestFolder.png(width: 2, height: 1, format: rgba, samples: [10, 20, 30, 255, 90, 90, 90, 0])
        let image = try PNGReader.decode(colour)
        XCTAssertEqual(image.volume.depth, 3)
        XCTAssertEqual(image.pixels, [10, 0, 20, 0, 30, 0])
    }

    func testDecode_palette_isExpanded() throws {
        let colormap: [UInt8] = [0, 0, 0, 0, 255, 0, 250, 10, 20]
        let png = DataTestFolder.png(
            width: 3, height: 1, format: rgbColormap, samples: [2, 1, 0], colormap: colormap)
        XCTAssertFalse(png.isEmpty, "libpng wrote the palette image")
        let image = try PNGReader.decode(png)
        XCTAssertEqual(image.volume, Volume(3, 1, 3))
        XCTAssertEqual(image.pixels, [250, 0, 0, 10, 255, 0, 20, 0, 0])
    }

    func testDecode_sixteenBit_isScaledToBytes() throws {
        let png = DataTestFolder.png(
            width: 3, height: 1, format: linearGray, samples: [], sixteenBit: [0, 6000, 65535])
        XCTAssertFalse(png.isEmpty, "libpng wrote the 16-bit image")
        XCTAssertEqual(png[24], 16, "the PNG header says 16 bits a sample")
        let pixels = try PNGReader.decode(png).pixels
        XCTAssertEqual(pixels[0], 0)
        XCTAssertEqual(pixels[2], 255)
        XCTAssertTrue(pixels[1] > 0 && pixels[1] < 255, "a middle value stays in the middle: \(pixels)")
    }

    func testDecode_garbage_isBadPNGNamingThePath() {
        XCTAssertThrowsError(try PNGReader.decode(Array("not a png".utf8), path: "x.png")) { error in
            guard case .badPNG(let path, let reason)? = error as? DataError else { return XCTFail("got \(error)") }
            XCTAssertEqual(path, "x.png")
            XCTAssertFalse(reason.isEmpty)
        }
    }

    func testDecode_truncatedPNG_isBadPNG() {
        let samples = (0..<(40 * 40)).map { UInt8(truncatingIfNeeded: $0 &* 7919) }
        let png = DataTestFolder.png(width: 40, height: 40, format: gray, samples: samples)
        XCTAssertThrowsError(try PNGReader.decode(Array(png.prefix(png.count - 40)))) { error in
            guard case .badPNG? = error as? DataError else { return XCTFail("got \(error)") }
        }
    }

    func testDecode_corruptImageData_isBadPNG() {
        let samples = (0..<(40 * 40)).map { UInt8(truncatingIfNeeded: $0 &* 7919) }
        var png = DataTestFolder.png(width: 40, height: 40, format: gray, samples: samples)
        for i in 60..<90 { png[i] ^= 0x5A }
        XCTAssertThrowsError(try PNGReader.decode(png)) { error in
            guard case .badPNG? = error as? DataError else { return XCTFail("got \(error)") }
        }
    }

    func testRead_missingFile_isUnreadable() throws {
        XCTAssertThrowsError(try PNGReader.read(path: "/nonexistent/a.png")) { error in
            XCTAssertEqual(error as? DataError, .unreadable(path: "/nonexistent/a.png", reason: "no such file"))
        }
    }

    // MARK: A folder of PNGs sorted into class folders

    func testLoadImageFolder_classesAreSortedSubfolders_greyJoinsColour() throws {
        let folder = try DataTestFolder()
        try folder.write("set/shoe/1.png", DataTestFolder.png(width: 2, height: 2, format: gray, samples: [1, 2, 3, 4]))
        try folder.write(
            "set/bag/a.png", DataTestFolder.png(width: 2, height: 2, format: rgb, samples: [UInt8](repeating: 9, count: 12)))
        try folder.write("set/bag/notes.txt", Array("ignored".utf8))
        let set = try Dataset.loadImageFolder(path: folder.path + "/set")
        XCTAssertEqual(set.classNames, ["bag", "shoe"])
        XCTAssertEqual(set.labels, [0, 1])
        XCTAssertEqual(set.volume, Volume(2, 2, 3))
        XCTAssertEqual(Array(set.imageBytes(1)), [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4])
    }

    func testLoadImageFolder_differentSizes_isVolumeMismatch() throws {
        let folder = try DataTestFolder()
        try folder.write("set/a/1.png", DataTestFolder.png(width: 2, height: 2, format: gray, samples: [1, 2, 3, 4]))
        let odd = try folder.write("set/b/2.png", DataTestFolder.png(width: 1, height: 2, format: gray, samples: [1, 2]))
        XCTAssertThrowsError(try Dataset.loadImageFolder(path: folder.path + "/set")) { error in
            XCTAssertEqual(error as? DataError, .volumeMismatch(path: odd, expected: Volume(2, 2, 1), found: Volume(1, 2, 1)))
        }
    }

    func testLoadImageFolder_noClassFolders_isEmptyFolder() throws {
        let folder = try DataTestFolder()
        try folder.write("flat/1.png", DataTestFolder.png(width: 1, height: 1, format: gray, samples: [1]))
        XCTAssertThrowsError(try Dataset.loadImageFolder(path: folder.path + "/flat")) { error in
            guard case .emptyFolder? = error as? DataError else { return XCTFail("got \(error)") }
        }
    }
}
