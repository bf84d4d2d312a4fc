import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import Pictures

/// The one escaper of HTML and SVG text, and the tables and charts that use it.
final class MarkupTests: XCTestCase {
    func testEscape_theFiveSpecialCharacters_apostropheAsNumericReference() {
        XCTAssertEqual(Markup.escape("<b>\"T-shirt/top\" & 'co'</b>"),
                       "&lt;b&gt;&quot;T-shirt/top&quot; &amp; &#39;co&#39;&lt;/b&gt;")
    }

    func testEscape_dropsControlCharactersXMLForbids_keepsTabAndNewlines() {
        XCTAssertEqual(Markup.escape("a\u{0}\u{1}\u{8}b\u{B}\u{C}\u{1F}c"), "abc")
        XCTAssertEqual(Markup.escape("a\tb\nc\rd"), "a\tb\nc\rd")
        XCTAssertEqual(Markup.escape("x\u{FFFE}\u{FFFF}y"), "xy")
    }

    func testEscape_keepsOtherUnicode() {
        XCTAssertEqual(Markup.escape("Größe 24×24 ✓ 🧥"), "Größe 24×24 ✓ 🧥")
        XCTAssertEqual(Markup.escape(""), "")
    }

    func testEscapedText_parsesBackToTheSameTextAsXML() throws {
        let original = "loss < 0.5 & \"accuracy\" > 'ninety'"
        let document = "<r a=\"\(Markup.escape(original))\" b='\(Markup.escape(original))'>\(Markup.escape(original))</r>"
        let reader = AttributeReader(document)
        XCTAssertNil(reader.error)
        XCTAssertEqual(reader.attributes["a"], original)
        XCTAssertEqual(reader.attributes["b"], original, "safe in a single-quoted attribute too")
        XCTAssertEqual(reader.text, original)
    }

    func testTableAndChart_escapeAlike() {
        let label = "it's <5> & \"odd\"\u{7}"
        let html = TextTable(header: [label], rows: [[label]]).html()
        let svg = LineChart(title: label, series: []).svg()
        let escaped = Markup.escape(label)
        XCTAssertEqual(html.components(separatedBy: escaped).count - 1, 2, html)
        XCTAssertTrue(svg.contains("<title>\(escaped)</title>"), svg)
        XCTAssertNil(AttributeReader(svg).error, "a bell character cannot break the SVG")
    }
}

/// The root's attributes and text, read with Foundation's XMLParser.
private final class AttributeReader: NSObject, XMLParserDelegate {
    var attributes: [String: String] = [:]
    var text = ""
    var error: Error?

    init(_ xml: String) {
        super.init()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = self
        if !parser.parse() { error = parser.parserError ?? CocoaError(.coderReadCorrupt) }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if self.attributes.isEmpty { self.attributes = attributes }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}
