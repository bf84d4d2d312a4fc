import XCTest
@testable import Pictures

final class NumberedMatrixTests: XCTestCase {
    func testText_wholeNumbersPlain_othersTwoDecimals() {
        XCTAssertEqual(NumberedMatrix.text(for: -1), "-1")
        XCTAssertEqual(NumberedMatrix.text(for: 8), "8")
        XCTAssertEqual(NumberedMatrix.text(for: 0.25), "0.25")
        XCTAssertEqual(NumberedMatrix.text(for: -0.071), "-0.07")
        XCTAssertEqual(NumberedMatrix.text(for: -0.001), "0.00", "no minus sign on a rounded zero")
        XCTAssertEqual(NumberedMatrix.text(for: 1.999), "2.00")
        XCTAssertEqual(NumberedMatrix.text(for: .nan), "nan")
        XCTAssertEqual(NumberedMatrix.text(for: 1e20), "1e+20", "huge values do not overflow")
        XCTAssertEqual(NumberedMatrix.text(for: -.infinity), "-inf")
        XCTAssertEqual(String(format2: 2_500_000.5), "2500000.5")
    }

    func testColorMap_greyWithoutNegatives_divergingWithThem() {
        XCTAssertEqual(NumberedMatrix.colorMap(for: [1, 3, 0, 8]), .grey(range: 0...8))
        XCTAssertEqual(NumberedMatrix.colorMap(for: [-1, 0, 1]), .diverging())
        XCTAssertEqual(NumberedMatrix.colorMap(for: [0, 0]), .grey(range: 0...0))
    }

    func testTextColor_darkOnLight_lightOnDark() {
        let matrix = NumberedMatrix()
        XCTAssertEqual(matrix.textColor(on: .white), matrix.darkText)
        XCTAssertEqual(matrix.textColor(on: .black), matrix.lightText)
        XCTAssertEqual(matrix.textColor(on: ColorMap.negativeColor), matrix.lightText, "full blue is dark")
    }

    /// The edge filter: its zero row must be visible (lines between cells) and every cell holds its number.
    func testEdgeKernel_cellsGridLinesAndNumbers() throws {
        let matrix = NumberedMatrix()
        let picture = matrix.render(values: [-1, -1, -1, 0, 0, 0, 1, 1, 1], width: 3, height: 3)
        // "-1" is 11 px wide at scale 2 (22 px), so cells are 48 px with 1 px lines.
        XCTAssertEqual(picture.width, 3 * 49 + 1)
        XCTAssertEqual(picture.height, 3 * 49 + 1)
        XCTAssertEqual(picture[0, 70], matrix.gridColor, "outer line")
        XCTAssertEqual(picture[70, 49], matrix.gridColor, "line between the first and second rows")
        XCTAssertEqual(picture[3, 3], ColorMap.negativeColor, "top row blue")
        XCTAssertEqual(picture[3, 52], .white, "middle row white (zero)")
        XCTAssertEqual(picture[3, 101], ColorMap.positiveColor, "bottom row red")
        // Each cell has text ink in its centre area in the readable colour.
        let topInk = (1..<49).flatMap { y in (1..<49).map { picture[$0, y] } }
        XCTAssertTrue(topInk.contains(matrix.lightText), "white text on the dark blue cell")
        let middleInk = (50..<98).flatMap { y in (1..<49).map { picture[$0, y] } }
        XCTAssertTrue(middleInk.contains(matrix.darkText), "dark text on the white cell")
    }

    func testNonNegativeMatrix_isGreyFromZero_withNumbersInEachCell() {
        let matrix = NumberedMatrix()
        let picture = matrix.render(values: [1, 3, 2, 0, 5, 6, 1, 8], width: 4, height: 2)
        XCTAssertEqual(picture[2, 2].red, UInt8((255 * 1.0 / 8).rounded()), "1 of 0...8")
        XCTAssertEqual(picture[2 + 3 * 49, 2], .black, "0 is black")
        XCTAssertEqual(picture[2 + 3 * 49, 51], .white, "the largest value is white")
        XCTAssertEqual(picture[2, 2].red, picture[2, 2].blue, "grey, not the diverging map")
        let zeroCell = (1..<49).flatMap { y in (148..<196).map { picture[$0, y] } }
        XCTAssertTrue(zeroCell.contains(matrix.lightText), "light text on the black zero cell")
    }

    func testDecimalValues_useTheSmallFontAndWiderCells() {
        let picture = NumberedMatrix().render(values: [-0.125, 0.5], width: 2, height: 1)
        // "-0.13" is 29 px at scale 1, too wide for scale 2 in 48 px: 37 px cells, at least 32.
        XCTAssertEqual(picture.width, 2 * (BitmapFont.width(of: "-0.13") + 8 + 1) + 1)
    }
}
