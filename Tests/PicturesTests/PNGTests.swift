import CPNG
import Foundation
import XCTest
@testable import Pictures

/// Decodes a PNG with libpng's read API into interleaved 8-bit samples of
/// `format` (0 grey, 2 RGB), to check what the encoder wrote.
func decodePNG(_ data: [UInt8], format: UInt32) -> (width: Int, height: Int, pixels: [UInt8])? {
    var image = png_image()
    image.version = UInt32(PNG_IMAGE_VERSION)
    guard data.withUnsafeBytes({ png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }) != 0 else {
        return nil
    }
    image.format = format
    let channels = format == 0 ? 1 : 3
    var pixels = [UInt8](repeating: 0, count: Int(image.width * image.height) * channels)
    let ok = pixels.withUnsafeMutableBytes {
        png_image_finish_read(&image, nil, $0.baseAddress, Int32(Int(image.width) * channels), nil)
    }
    return ok != 0 ? (Int(image.width), Int(image.height), pixels) : nil
}

final class PNGTests: XCTestCase {
    func testPNG_greyRoundTrip_oddSize() throws {
        let pixels = (0..<(7 * 3)).map { UInt8($0 * 12) }
        let image = PixelImage(width: 7, height: 3, format: .grey, pixels: pixels)
        let png = try image.pngData()
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG signature")
        let decoded = try XCTUnwrap(decodePNG(png, format: 0))
        XCTAssertEqual(decoded.width, 7)
        XCTAssertEqual(decoded.height, 3)
        XCTAssertEqual(decoded.pixels, pixels)
    }

    func testPNG_rgbRoundTrip() throws {
        let pixels: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]
        let image = PixelImage(width: 2, height: 2, format: .rgb, pixels: pixels)
        let decoded = try XCTUnwrap(decodePNG(try image.pngData(), format: 2))
        XCTAssertEqual(decoded.pixels, pixels)
    }

    func testPNG_fewColours_isAPaletteImage_thatDecodesToTheSamePixels() throws {
        var image = PixelImage(width: 60, height: 40, format: .rgb, fill: .white)
        image.fill(x: 5, y: 5, width: 20, height: 10, color: ColorMap.negativeColor)
        image.fill(x: 30, y: 20, width: 20, height: 10, color: ColorMap.positiveColor)
        let png = try image.pngData()
        XCTAssertEqual(png[25], 3, "IHDR colour type 3: palette")
        XCTAssertEqual(try XCTUnwrap(decodePNG(png, format: 2)).pixels, image.pixels)
        let (_, palette) = try XCTUnwrap(image.paletted())
        XCTAssertEqual(palette.count, 3 * 3, "white, blue and red")
    }

    func testPNG_manyColours_staysRGB() throws {
        let pixels: [UInt8] = (0..<300).flatMap { i -> [UInt8] in [UInt8(i % 256), UInt8(i / 256), 9] }
        let image = PixelImage(width: 300, height: 1, format: .rgb, pixels: pixels)
        XCTAssertNil(image.paletted(), "more than 256 colours")
        let png = try image.pngData()
        XCTAssertEqual(png[25], 2, "IHDR colour type 2: RGB")
        XCTAssertEqual(try XCTUnwrap(decodePNG(png, format: 2)).pixels, pixels)
    }

    func testPNG_base64_decodesToTheSameBytes() throws {
        let image = PixelImage(width: 3, height: 1, format: .grey, pixels: [0, 128, 255])
        let base64 = try image.pngBase64()
        XCTAssertFalse(base64.contains("\n"), "Jupyter wants one line")
        XCTAssertEqual(Data(base64Encoded: base64).map { [UInt8]($0) }, try image.pngData())
    }

    func testPNG_emptyImage_throwsInsteadOfCrashing() {
        let empty = PixelImage(width: 0, height: 5, format: .grey, pixels: [])
        XCTAssertThrowsError(try empty.pngData()) { error in
            XCTAssertEqual(
                error as? PictureError, .pngEncodingFailed(width: 0, height: 5, reason: "the image has no pixels"))
        }
    }

    func testInitPlanes_rgbIsInterleaved() {
        // CHW: red plane, green plane, blue plane of a 2x1 image.
        let image = PixelImage(planes: [1, 2, 3, 4, 5, 6], width: 2, height: 1, depth: 3)
        XCTAssertEqual(image.format, .rgb)
        XCTAssertEqual(image.pixels, [1, 3, 5, 2, 4, 6])
        XCTAssertEqual(image[1, 0], PixelColor(red: 2, green: 4, blue: 6))
    }

    func testConverted_rgbToGreyUsesLuminance_andBack() {
        let rgb = PixelImage(width: 2, height: 1, format: .rgb, pixels: [255, 0, 0, 255, 255, 255])
        let grey = rgb.converted(to: .grey)
        XCTAssertEqual(grey.pixels, [76, 255])
        XCTAssertEqual(grey.converted(to: .rgb).pixels, [76, 76, 76, 255, 255, 255])
    }

    func testDraw_clipsAtTheEdges() {
        var canvas = PixelImage(width: 3, height: 3, format: .grey, fill: .black)
        canvas.draw(PixelImage(width: 2, height: 2, format: .grey, fill: .white), x: 2, y: -1)
        XCTAssertEqual(canvas.pixels, [0, 0, 255, 0, 0, 0, 0, 0, 0])
    }
}
