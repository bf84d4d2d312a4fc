import XCTest
@testable import Jupyter
import JupyterProtocol

final class HistoryTests: XCTestCase {
    private func glob(_ pattern: String, _ text: String) -> Bool {
        History.glob(Array(pattern), matches: Array(text))
    }

    func testGlob() {
        XCTAssertTrue(glob("6*", "6*7"), "a star in the text is matched by the pattern's star")
        XCTAssertTrue(glob("*", ""))
        XCTAssertTrue(glob("a*c", "abbbc"))
        XCTAssertTrue(glob("a?c", "abc"))
        XCTAssertTrue(glob("*é*", "café au lait"))
        XCTAssertFalse(glob("a?c", "ac"))
        XCTAssertFalse(glob("abc", "abcd"), "the whole input must match")
        XCTAssertFalse(glob("*x", "abc"))
    }

    func testRange_negativeStartCountsFromTheEnd() {
        var history = History()
        for (line, input) in ["a", "b", "c"].enumerated() { history.record(line: line + 1, input: input) }
        XCTAssertEqual(history.range(session: 0, start: -2, stop: nil).map(\.input), ["b", "c"])
        XCTAssertEqual(history.range(session: 1, start: 1, stop: 2).map(\.input), ["a"])
        XCTAssertEqual(history.range(session: 7, start: 1, stop: nil), [], "no earlier sessions are kept")
        XCTAssertEqual(history.range(session: -1, start: 1, stop: nil), [], "-1 is the previous session (IPython)")
    }
}
