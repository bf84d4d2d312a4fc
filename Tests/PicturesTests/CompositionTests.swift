import XCTest
@testable import Pictures

/// Frames, titles, stacks and rows: how figures are put together.
final class CompositionTests: XCTestCase {
    private let black2x2 = PixelImage(width: 2, height: 2, format: .grey, fill: .black)
    private let red3x1 = PixelImage(width: 3, height: 1, format: .rgb, fill: PixelColor(red: 200, green: 0, blue: 0))

    func testFramed_addsALineOfTheFrameColourAllRound() {
        let framed = black2x2.framed()
        XCTAssertEqual(framed.width, 4)
        XCTAssertEqual(framed.height, 4)
        XCTAssertEqual(framed[0, 0], PixelImage.frameColor)
        XCTAssertEqual(framed[3, 3], PixelImage.frameColor)
        XCTAssertEqual(framed[1, 1], .black)
        XCTAssertEqual(black2x2.framed(.white, thickness: 3).width, 8)
    }

    func testTitled_putsTheTextAboveAndWidensForALongTitle() {
        let titled = black2x2.titled("conv 1")
        XCTAssertEqual(titled.height, 2 + PixelImage.titleHeight)
        XCTAssertEqual(titled.width, BitmapFont.width(of: "conv 1") + 8)
        XCTAssertEqual(titled[0, PixelImage.titleHeight], .black, "the picture starts under the title line")
        let inked = (0..<PixelImage.titleHeight).contains { y in (0..<titled.width).contains { titled[$0, y] != .white } }
        XCTAssertTrue(inked, "the title is drawn")
        let wide = PixelImage(width: 300, height: 1, format: .grey, fill: .black).titled("x")
        XCTAssertEqual(wide.width, 300, "a short title keeps the picture's width")
    }

    func testStacked_oneUnderTheOther_withGap_inRGBWhenAnyPartIs() {
        let stack = PixelImage.stacked([black2x2, red3x1], gap: 1)
        XCTAssertEqual(stack.width, 3)
        XCTAssertEqual(stack.height, 2 + 1 + 1)
        XCTAssertEqual(stack.format, .rgb)
        XCTAssertEqual(stack[0, 0], .black)
        XCTAssertEqual(stack[2, 0], .white, "the narrower part leaves white beside it")
        XCTAssertEqual(stack[0, 2], .white, "the gap")
        XCTAssertEqual(stack[2, 3], PixelColor(red: 200, green: 0, blue: 0))
        let centred = PixelImage.stacked([PixelImage(width: 1, height: 1, format: .grey, fill: .black), red3x1], alignment: .center)
        XCTAssertEqual(centred[1, 0], .black)
    }

    func testRow_sideBySide_alignedAtTopOrCentre() {
        let row = PixelImage.row([black2x2, red3x1], gap: 2)
        XCTAssertEqual(row.width, 2 + 2 + 3)
        XCTAssertEqual(row.height, 2)
        XCTAssertEqual(row[4, 0], PixelColor(red: 200, green: 0, blue: 0))
        XCTAssertEqual(row[4, 1], .white)
        let tall = PixelImage(width: 1, height: 3, format: .grey, fill: .black)
        let centred = PixelImage.row([tall, red3x1], alignment: .center)
        XCTAssertEqual(centred[1, 1], PixelColor(red: 200, green: 0, blue: 0))
        XCTAssertEqual(centred[1, 0], .white)
    }

    func testOneOrNoParts() {
        XCTAssertEqual(PixelImage.stacked([black2x2]), black2x2)
        XCTAssertEqual(PixelImage.row([]).width, 1, "nothing to compose gives one white pixel, never a crash")
    }

    func testOutline_drawsOnlyTheEdgeAndClips() {
        var canvas = PixelImage(width: 6, height: 6, format: .rgb, fill: .white)
        let orange = PixelColor(red: 255, green: 127, blue: 14)
        canvas.outline(x: 1, y: 1, width: 4, height: 4, color: orange)
        XCTAssertEqual(canvas[1, 1], orange)
        XCTAssertEqual(canvas[4, 4], orange)
        XCTAssertEqual(canvas[2, 2], .white, "the inside stays")
        canvas.outline(x: 4, y: 4, width: 10, height: 10, color: .black, thickness: 2)
        XCTAssertEqual(canvas[5, 5], .black)
    }

    func testText_isOneLineAtItsScale() {
        let label = PixelImage.text("= 1.25", scale: 2)
        XCTAssertEqual(label.width, BitmapFont.width(of: "= 1.25", scale: 2) + 4)
        XCTAssertEqual(label.height, BitmapFont.glyphHeight * 2 + 4)
        XCTAssertEqual(label.format, .grey)
        XCTAssertEqual(PixelImage.text("x", color: PixelColor(red: 1, green: 2, blue: 3)).format, .rgb)
    }
}

extension CompositionTests {
    func testFill_whollyOutsideTheImage_paintsNothing() {
        var canvas = PixelImage(width: 3, height: 3, format: .grey, fill: .white)
        canvas.fill(x: 5, y: 5, width: 2, height: 2, color: .black)
        canvas.fill(x: -4, y: -4, width: 2, height: 2, color: .black)
        canvas.fill(x: 1, y: 7, width: 1, height: 1, color: .black)
        XCTAssertTrue(canvas.pixels.allSatisfy { $0 == 255 })
    }
}
