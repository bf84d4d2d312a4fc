import XCTest
@testable import Pictures

final class TextTableTests: XCTestCase {
    private let summary = TextTable(
        header: ["layer", "output", "parameters"],
        rows: [["conv 8 5x5", "24x24x8", "208"], ["maxpool 2x2", "12x12x8", "0"], ["dense 10", "1x1x10", "11530"]],
        caption: "net: 3 layers")

    func testPlainText_columnsAlignedNumbersRight() {
        XCTAssertEqual(summary.plainText(), """
            net: 3 layers
            layer         output  parameters
            -----------  -------  ----------
            conv 8 5x5   24x24x8         208
            maxpool 2x2  12x12x8           0
            dense 10      1x1x10       11530
            """)
    }

    func testHTML_escapesEveryCellAndHasHeaderRow() {
        let table = TextTable(header: ["name", "kind"], rows: [["<b>x</b>", "a & \"b\" 'c'"]])
        let html = table.html()
        XCTAssertTrue(html.contains("<th style=\"text-align: left\">name</th>"), html)
        XCTAssertTrue(html.contains("&lt;b&gt;x&lt;/b&gt;"), html)
        XCTAssertTrue(html.contains("a &amp; &quot;b&quot; &#39;c&#39;"), html)
        XCTAssertFalse(html.contains("<b>"))
    }

    func testHTML_captionAndRightAlignedNumbers() {
        let html = summary.html()
        XCTAssertTrue(html.contains("<caption>net: 3 layers</caption>"))
        XCTAssertTrue(html.contains("<td style=\"text-align: right\">11530</td>"), html)
        XCTAssertEqual(html.components(separatedBy: "<tr>").count - 1, 4)
    }

    func testRaggedRows_arePaddedWithEmptyCells() {
        let table = TextTable(header: ["a", "b"], rows: [["1"], ["2", "3", "4"]])
        XCTAssertEqual(table.plainText().split(separator: "\n").map(String.init), ["a  b", "-  -  -", "1", "2  3  4"])
        XCTAssertEqual(table.html().components(separatedBy: "<td").count - 1, 6)
    }

    func testFooter_isATfootRowSpanningEveryColumn_andTheLastTextLine() {
        let table = TextTable(header: ["a", "b", "c"], rows: [["1", "2", "3"]], footer: "total <3> & done")
        let html = table.html()
        XCTAssertTrue(html.hasSuffix("</tbody>\n<tfoot><tr><td colspan=\"3\">total &lt;3&gt; &amp; done</td></tr></tfoot>\n</table>"), html)
        XCTAssertEqual(html.components(separatedBy: "</table>").count - 1, 1)
        XCTAssertEqual(table.plainText().split(separator: "\n").last, "total <3> & done")
        XCTAssertFalse(TextTable(header: ["a"], rows: []).html().contains("tfoot"))
    }

    func testAlignmentInference() {
        XCTAssertTrue(TextTable.looksNumeric("83.2%"))
        XCTAssertTrue(TextTable.looksNumeric("-1,234.5"))
        XCTAssertFalse(TextTable.looksNumeric("relu"))
        XCTAssertFalse(TextTable.looksNumeric("-"))
    }
}
