import XCTest

@testable import Exercises

final class AnswerReadingTests: XCTestCase {
    func testDimensions_fromEveryForm() {
        XCTAssertEqual(Answer.dimensions([24, 24, 8]).dimensions, [24, 24, 8])
        XCTAssertEqual(Answer.list([.number(24), .number(24), .number(8)]).dimensions, [24, 24, 8])
        XCTAssertEqual(Answer.text("24x24x8").dimensions, [24, 24, 8])
        XCTAssertEqual(Answer.text(" 24 x 24 x 8 ").dimensions, [24, 24, 8])
        XCTAssertEqual(Answer.text("[24, 24, 8]").dimensions, [24, 24, 8])
        XCTAssertEqual(Answer.text("(24,24,8)").dimensions, [24, 24, 8])
        XCTAssertEqual(Answer.number(5).dimensions, [5])
    }

    func testDimensions_refusesNonWholeAndNonsense() {
        XCTAssertNil(Answer.list([.number(24.5), .number(24)]).dimensions)
        XCTAssertNil(Answer.text("big").dimensions)
        XCTAssertNil(Answer.bool(true).dimensions)
        XCTAssertNil(Answer.list([]).dimensions)
    }

    func testNumber_fromEveryForm() {
        XCTAssertEqual(Answer.text("3,617,280").number, 3_617_280)
        XCTAssertEqual(Answer.text("0.5").number, 0.5)
        XCTAssertEqual(Answer.dimensions([208]).number, 208)
        XCTAssertEqual(Answer.list([.number(7)]).number, 7)
        XCTAssertNil(Answer.dimensions([24, 24]).number)
    }

    func testMatrix_ragged_isRefused() {
        XCTAssertNil(Answer.list([.list([.number(1), .number(2)]), .list([.number(3)])]).matrix)
        XCTAssertEqual(Answer.list([.dimensions([1, 2]), .list([.number(3), .number(4)])]).matrix, [[1, 2], [3, 4]])
    }
}

final class NumberTextTests: XCTestCase {
    func testGroupedThousands() {
        XCTAssertEqual(groupedThousands(0), "0")
        XCTAssertEqual(groupedThousands(999), "999")
        XCTAssertEqual(groupedThousands(1000), "1,000")
        XCTAssertEqual(groupedThousands(3_617_280), "3,617,280")
        XCTAssertEqual(groupedThousands(-12345), "-12,345")
    }
}
