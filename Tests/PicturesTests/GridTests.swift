import XCTest
@testable import Pictures

final class GridTests: XCTestCase {
    private func square(_ side: Int, _ level: UInt8) -> PixelImage {
        PixelImage(width: side, height: side, format: .grey, fill: PixelColor(grey: level))
    }

    func testGlyph_A_hasItsShape() {
        let rows = (0..<8).map { y in String((0..<5).map { BitmapFont.isInked("A", x: $0, y: y) ? "#" : "." }) }
        XCTAssertEqual(rows, [".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#", "....."])
    }

    func testGlyphs_everyPrintableButSpaceHasInk_andAreDistinct() {
        let printable = (33...126).map { Character(UnicodeScalar(UInt8($0))) }
        for c in printable { XCTAssertNotEqual(BitmapFont.glyphBits(c), 0, "glyph for \(c) is blank") }
        XCTAssertEqual(Set(printable.map(BitmapFont.glyphBits)).count, printable.count, "two glyphs look the same")
        XCTAssertEqual(BitmapFont.glyphBits(" "), 0)
        XCTAssertEqual(BitmapFont.glyphBits("é"), BitmapFont.glyphBits("?"), "outside ASCII draws as ?")
    }

    func testDrawText_putsTheGlyphAtItsPlaceAndScale() {
        var image = PixelImage(width: 20, height: 20, format: .grey, fill: .white)
        image.drawText("I", x: 3, y: 2, color: .black, scale: 2)
        // "I" has ".###." on its top row: columns 1-3 inked, at scale 2 pixels 5...10.
        XCTAssertEqual((0..<20).map { image[$0, 2].red == 0 }, (0..<20).map { (5...10).contains($0) })
        XCTAssertEqual(image[5, 3], .black)
        XCTAssertEqual(image[5, 4], .white, "row 1 of I is ..#..")
        XCTAssertEqual(image[7, 4], .black)
    }

    func testTextWidth() {
        XCTAssertEqual(BitmapFont.width(of: "7 Sneaker"), 9 * 6 - 1)
        XCTAssertEqual(BitmapFont.width(of: "ab", scale: 2), 22)
        XCTAssertEqual(BitmapFont.width(of: ""), 0)
    }

    func testGrid_sizeFollowsColumnsGapAndLabels() {
        let grid = ImageGrid(columns: 3, gap: 4)
        let images = (0..<7).map { square(10, UInt8($0 * 30)) }
        let plain = grid.render(images)
        XCTAssertEqual(plain.width, 4 + 3 * (10 + 4))
        XCTAssertEqual(plain.height, 4 + 3 * (10 + 4), "7 images in 3 columns make 3 rows")
        let labelled = grid.render(images, labels: images.indices.map { "#\($0)" })
        XCTAssertEqual(labelled.height, 4 + 3 * (10 + 9 + 2 + 4), "each row grows by one line of text")
    }

    func testGrid_placesImagesRowByRowWithGapBackground() {
        let grid = ImageGrid(columns: 2, gap: 1, background: .white)
        let canvas = grid.render([square(2, 10), square(2, 20), square(2, 30)])
        XCTAssertEqual(canvas.width, 7)
        XCTAssertEqual(canvas.height, 7)
        XCTAssertEqual(canvas[0, 0], .white)
        XCTAssertEqual(canvas[1, 1], PixelColor(grey: 10))
        XCTAssertEqual(canvas[4, 2], PixelColor(grey: 20))
        XCTAssertEqual(canvas[1, 4], PixelColor(grey: 30))
        XCTAssertEqual(canvas[4, 4], .white, "the empty last cell is background")
    }

    func testGrid_labelIsDrawnBelowOrAboveTheImage() {
        let images = [square(30, 255)]
        let below = ImageGrid(gap: 0, background: .white, labelColor: .black).render(images, labels: ["H"])
        let inkBelow = (0..<below.height).filter { y in (0..<below.width).contains { below[$0, y] == .black } }
        XCTAssertEqual(inkBelow.first, 32, "text starts 2 px under the 30 px image")
        let above = ImageGrid(gap: 0, labelPosition: .above, background: .white, labelColor: .black)
            .render(images, labels: ["H"])
        let inkAbove = (0..<above.height).filter { y in (0..<above.width).contains { above[$0, y] == .black } }
        XCTAssertEqual(inkAbove.first, 0)
        XCTAssertLessThan(inkAbove.last!, 8)
    }

    func testGrid_cellWidensForItsLabel_upToTheLabelLimit() {
        let grid = ImageGrid(columns: 2, gap: 0, labelColor: .black)
        let fashion = grid.render([square(20, 255), square(20, 255)], labels: ["Ankle boot", "T-shirt/top"])
        XCTAssertEqual(fashion.width, 2 * BitmapFont.width(of: "T-shirt/top"), "the longest class name fits whole")
        let cut = ImageGrid(columns: 1, gap: 0, labelColor: .black, labelCharacters: 3)
            .render([square(20, 255)], labels: ["conv 1 #3 long"])
        XCTAssertEqual(cut.width, 20, "a label past the limit is cut, and the image still sets the width")
    }

    func testGrid_frameSurroundsEachImage() {
        let frame = PixelColor(grey: 190)
        let canvas = ImageGrid(columns: 2, gap: 2, background: .white, frame: frame).render([square(4, 255), square(4, 0)])
        XCTAssertEqual(canvas.width, 2 + 2 * (4 + 2 + 2), "each cell grows by a pixel on each side")
        XCTAssertEqual(canvas[1, 1], .white, "the gap stays background")
        XCTAssertEqual(canvas[2, 2], frame)
        XCTAssertEqual(canvas[2, 5], frame, "left edge of the frame")
        XCTAssertEqual(canvas[3, 3], .white, "a white image sits inside the frame")
        XCTAssertEqual(canvas[7, 7], frame, "bottom-right corner of the frame")
        XCTAssertEqual(canvas[9, 3], .white, "gap between the cells")
        XCTAssertEqual(canvas[10, 3], frame)
        XCTAssertEqual(canvas[11, 3], .black)
    }

    func testGrid_defaultColumnsFitTheMaximumWidth_andMixedFormatsGiveRGB() {
        let images = (0..<20).map { _ in square(100, 0) } + [PixelImage(width: 100, height: 100, format: .rgb, fill: .white)]
        let canvas = ImageGrid(gap: 4, maximumWidth: 960).render(images)
        XCTAssertEqual(canvas.width, 4 + 7 * 104, "nine 100 px images fit in 960 px: 21 take three rows of 7")
        XCTAssertEqual(canvas.format, .rgb)
    }

    func testGrid_defaultColumnsBalanceTheRows() {
        let grid = ImageGrid(gap: 4, maximumWidth: 4 + 15 * 60)
        let sizes = [16, 15, 32, 3].map { count in
            grid.layout(imageWidth: 56, imageHeight: 56, count: count, hasLabels: false).columns
        }
        XCTAssertEqual(sizes, [8, 15, 11, 3], "16 maps: two rows of 8; 32 maps: three rows of 11, 11, 10")
    }

    func testEvenGreyLevels_halveTheLevels_andLeaveColourAlone() {
        let grey = PixelImage(width: 4, height: 1, format: .grey, pixels: [0, 1, 254, 255])
        XCTAssertEqual(grey.withEvenGreyLevels().pixels, [0, 0, 254, 254])
        let colour = PixelImage(width: 1, height: 1, format: .rgb, pixels: [1, 2, 3])
        XCTAssertEqual(colour.withEvenGreyLevels(), colour)
    }

    func testGrid_noImages_isEmpty() {
        let canvas = ImageGrid().render([])
        XCTAssertEqual(canvas.width, 0)
        XCTAssertEqual(canvas.height, 0)
        XCTAssertThrowsError(try canvas.pngData(), "an empty picture is an error, not a crash")
    }

    func testGrid_labelColorsMarkLabelsAndMakeTheGridRGB() {
        let red = PixelColor(red: 200, green: 0, blue: 0)
        let canvas = ImageGrid(columns: 2, gap: 0, labelColor: .black)
            .render([square(20, 255), square(20, 255)], labels: ["ok", "no"], labelColors: [.black, red])
        XCTAssertEqual(canvas.format, .rgb)
        let left = Set((0..<canvas.height).flatMap { y in (0..<20).map { canvas[$0, y] } })
        let right = Set((0..<canvas.height).flatMap { y in (20..<40).map { canvas[$0, y] } })
        XCTAssertTrue(left.contains(.black) && !left.contains(red))
        XCTAssertTrue(right.contains(red) && !right.contains(.black))
    }
}
