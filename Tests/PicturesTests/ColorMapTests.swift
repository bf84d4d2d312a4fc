import XCTest
@testable import Pictures

final class ColorMapTests: XCTestCase {
    func testGrey_minToMax_stretchesToFullRange() {
        let image = PixelImage(values: [-1, 0, 1, 3], width: 2, height: 2)
        XCTAssertEqual(image.format, .grey)
        XCTAssertEqual(image.pixels, [0, 64, 128, 255])
    }

    func testGrey_fixedRange_clampsOutside() {
        let image = PixelImage(values: [-5, 0, 0.5, 9], width: 4, height: 1, colorMap: .grey(range: 0...1))
        XCTAssertEqual(image.pixels, [0, 0, 128, 255])
    }

    func testGrey_constantValues_blackForZeroWhiteAbove() {
        XCTAssertEqual(PixelImage(values: [0, 0], width: 2, height: 1).pixels, [0, 0])
        XCTAssertEqual(PixelImage(values: [2, 2], width: 2, height: 1).pixels, [255, 255])
    }

    func testGrey_nanIgnoredForScaleAndDrawnBlack() {
        XCTAssertEqual(PixelImage(values: [.nan, 0, 10], width: 3, height: 1).pixels, [0, 0, 255])
    }

    func testDiverging_endsAndZero() {
        let image = PixelImage(values: [-2, 0, 2, 1], width: 4, height: 1, colorMap: .diverging())
        XCTAssertEqual(image.format, .rgb)
        XCTAssertEqual(image[0, 0], ColorMap.negativeColor)
        XCTAssertEqual(image[1, 0], .white)
        XCTAssertEqual(image[2, 0], ColorMap.positiveColor)
        // Halfway from white (255) to red (178, 24, 43), rounded.
        XCTAssertEqual(image[3, 0], PixelColor(red: 217, green: 140, blue: 149))
    }

    func testDiverging_fixedLimit_clampsAndSymmetric() {
        let image = PixelImage(values: [-10, -0.5, 0.5], width: 3, height: 1, colorMap: .diverging(limit: 1))
        XCTAssertEqual(image[0, 0], ColorMap.negativeColor)
        XCTAssertEqual(image[1, 0], PixelColor(red: 144, green: 179, blue: 214))
        XCTAssertEqual(image[2, 0], PixelColor(red: 217, green: 140, blue: 149))
    }

    func testDiverging_allZero_isWhite() {
        let image = PixelImage(values: [0, 0, 0, 0], width: 2, height: 2, colorMap: .diverging())
        XCTAssertEqual(Set(image.pixels), [255])
    }

    func testUpscaled_eachPixelBecomesABlock() {
        let image = PixelImage(width: 2, height: 2, format: .grey, pixels: [1, 2, 3, 4])
        let big = image.upscaled(by: 3)
        XCTAssertEqual(big.width, 6)
        XCTAssertEqual(big.height, 6)
        let expectedRowTop: [UInt8] = [1, 1, 1, 2, 2, 2]
        let expectedRowBottom: [UInt8] = [3, 3, 3, 4, 4, 4]
        XCTAssertEqual(big.pixels, Array([[UInt8]](repeating: expectedRowTop, count: 3).joined())
            + Array([[UInt8]](repeating: expectedRowBottom, count: 3).joined()))
    }

    func testUpscaled_rgbKeepsChannelsTogether() {
        let image = PixelImage(width: 1, height: 1, format: .rgb, pixels: [9, 8, 7]).upscaled(by: 2)
        XCTAssertEqual(image.pixels, [9, 8, 7, 9, 8, 7, 9, 8, 7, 9, 8, 7])
    }

    func testLegibleScale_filtersAndDigitsLandNear160Pixels() {
        XCTAssertEqual(PixelImage.legibleScale(width: 5, height: 5), 32)
        XCTAssertEqual(PixelImage.legibleScale(width: 28, height: 28), 5)
        XCTAssertEqual(PixelImage.legibleScale(width: 32, height: 32), 5)
        XCTAssertEqual(PixelImage.legibleScale(width: 500, height: 20), 1)
        let filter = PixelImage(values: [Float](repeating: 0.1, count: 25), width: 5, height: 5, colorMap: .diverging())
        XCTAssertTrue((100...200).contains(filter.upscaledToBeLegible().width))
    }

    func testRGBPlanes_shareOneScale() {
        // 1x2 image: red plane [0, 4], green [2, 2], blue [4, 0]; scale 0...4.
        let image = PixelImage(rgbPlanes: [0, 4, 2, 2, 4, 0], width: 2, height: 1)
        XCTAssertEqual(image[0, 0], PixelColor(red: 0, green: 128, blue: 255))
        XCTAssertEqual(image[1, 0], PixelColor(red: 255, green: 128, blue: 0))
    }

    func testPlanes_acceptsASliceOfALargerBuffer() {
        let buffer: [UInt8] = [9, 9, 1, 2, 3, 4]
        XCTAssertEqual(PixelImage(planes: buffer[2..<6], width: 2, height: 2, depth: 1).pixels, [1, 2, 3, 4])
    }

    func testSlices_sharedScaleComparesSlices_ownScaleStretchesEach() {
        // Two 2x1 slices: [0, 1] and [0, 4].
        let values: [Float] = [0, 1, 0, 4]
        let shared = PixelImage.slices(of: values, width: 2, height: 1, depth: 2)
        XCTAssertEqual(shared.map(\.pixels), [[0, 64], [0, 255]])
        let own = PixelImage.slices(of: values, width: 2, height: 1, depth: 2, sharedScale: false)
        XCTAssertEqual(own.map(\.pixels), [[0, 255], [0, 255]])
        let filters = PixelImage.slices(of: [-1, 2, 0, 1], width: 1, height: 2, depth: 2, colorMap: .diverging())
        XCTAssertEqual(filters[0][0, 1], ColorMap.positiveColor)
        XCTAssertEqual(filters[1][0, 0], .white)
    }
}
