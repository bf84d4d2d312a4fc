import XCTest
@testable import Pictures

final class ProbabilityBarsTests: XCTestCase {
    func testBars_oneRowPerClass_topClassHighlighted_lengthsProportional() {
        let bars = ProbabilityBars(barLength: 100)
        let names = ["T-shirt/top", "Trouser", "Ankle boot"]
        let picture = bars.render(values: [0.1, 0.0, 0.9], names: names)
        XCTAssertEqual(picture.height, 3 * ProbabilityBars.rowHeight + 4)
        let barLeft = 4 + BitmapFont.width(of: "T-shirt/top") + 6
        XCTAssertEqual(picture.width, barLeft + 100 + 6 + BitmapFont.width(of: "0.90") + 4)

        func runLength(row: Int, color: PixelColor) -> Int {
            let y = 2 + row * ProbabilityBars.rowHeight + ProbabilityBars.rowHeight / 2
            return (barLeft + 1..<barLeft + 101).filter { picture[$0, y] == color }.count
        }
        XCTAssertEqual(runLength(row: 0, color: bars.barColor), 10)
        XCTAssertEqual(runLength(row: 1, color: bars.barColor), 0, "zero draws no bar")
        XCTAssertEqual(runLength(row: 2, color: bars.highlight), 90, "the top class in the highlight colour")
        // The top class's name is written in the highlight colour too.
        let nameArea = (0..<ProbabilityBars.rowHeight).flatMap { dy in
            (0..<barLeft - 6).map { picture[$0, 2 + 2 * ProbabilityBars.rowHeight + dy] }
        }
        XCTAssertTrue(nameArea.contains(bars.highlight))
        XCTAssertFalse(nameArea.contains(bars.textColor))
    }

    func testMissingNames_showTheClassIndex_andScoresScaleToTheLargest() {
        let bars = ProbabilityBars(barLength: 50)
        let picture = bars.render(values: [2, 4], names: [])
        XCTAssertEqual(picture.width, 4 + BitmapFont.width(of: "0") + 6 + 50 + 6 + BitmapFont.width(of: "4.00") + 4)
        let y = 2 + ProbabilityBars.rowHeight / 2
        let first = (0..<picture.width).filter { picture[$0, y] == bars.barColor }.count
        XCTAssertEqual(first, 25, "2 of a largest 4 is half a bar")
    }
}
