import XCTest
@testable import Jupyter
import JupyterProtocol

final class JSONCodecTests: XCTestCase {
    private func parse(_ text: String) throws -> JSON { try JSON(parsing: text) }

    func testParse_scalars() throws {
        XCTAssertEqual(try parse("null"), .null)
        XCTAssertEqual(try parse("true"), .bool(true))
        XCTAssertEqual(try parse(" false "), .bool(false))
        XCTAssertEqual(try parse("\"x\""), .string("x"))
    }

    func testParse_boolsAreNotNumbers() throws {
        let value = try parse(#"{"silent":true,"n":1,"z":0,"f":false}"#)
        XCTAssertEqual(value["silent"], .bool(true))
        XCTAssertEqual(value["n"], .number(1))
        XCTAssertEqual(value["z"], .number(0))
        XCTAssertEqual(value["f"], .bool(false))
        XCTAssertNil(value["n"]?.boolValue)
    }

    func testParse_numbers() throws {
        XCTAssertEqual(try parse("0"), .number(0))
        XCTAssertEqual(try parse("-0"), .number(-0.0))
        XCTAssertEqual(try parse("42"), .number(42))
        XCTAssertEqual(try parse("-17"), .number(-17))
        XCTAssertEqual(try parse("3.25"), .number(3.25))
        XCTAssertEqual(try parse("1e3"), .number(1000))
        XCTAssertEqual(try parse("1.5E-2"), .number(0.015))
        XCTAssertEqual(try parse("-2.5e+2"), .number(-250))
        XCTAssertEqual(try parse("12345678901234567890"), .number(12345678901234567890))
        XCTAssertEqual(try parse("9007199254740993"), .number(9007199254740992), "past 2^53, the nearest Double")
        XCTAssertEqual(try parse("123456789012345").intValue, 123456789012345)
    }

    func testParse_malformedNumbers_areErrors() {
        for bad in ["01", "1.", ".5", "-", "1e", "1e+", "+1", "0x10", "NaN", "Infinity", "1.2.3"] {
            XCTAssertThrowsError(try parse(bad), bad)
        }
    }

    func testParse_stringEscapes() throws {
        XCTAssertEqual(try parse(#""a\"b\\c\/d\n\t\r\b\f""#), .string("a\"b\\c/d\n\t\r\u{8}\u{C}"))
        XCTAssertEqual(try parse(#""\u00e9\u4e2d""#), .string("é中"))
        XCTAssertEqual(try parse(#""\ud83d\ude00""#), .string("😀"), "a surrogate pair is one code point")
        XCTAssertEqual(try parse(#""\ud83d x""#), .string("\u{FFFD} x"), "a lone surrogate is replaced")
        XCTAssertEqual(try parse("\"é中😀\""), .string("é中😀"), "raw UTF-8 passes through")
    }

    func testParse_badStrings_areErrors() {
        for bad in [#""abc"#, #""\x""#, #""\u12""#, #""\u12G4""#, "\"a\nb\"", "\"\u{1}\""] {
            XCTAssertThrowsError(try parse(bad), bad)
        }
    }

    func testParse_nesting() throws {
        let value = try parse(#" { "a" : [ 1 , { "b" : [ ] } , "c" ] , "d" : { } } "#)
        XCTAssertEqual(value, ["a": [1, ["b": []], "c"], "d": [:]])
    }

    func testParse_structuralErrors() {
        for bad in ["", "[", "[1,]", "{\"a\"}", "{\"a\":}", "{a:1}", "[1 2]", "{\"a\":1,}", "tru", "nul", "[] []", "{}x"] {
            XCTAssertThrowsError(try parse(bad), bad)
        }
    }

    func testParse_deepNesting_isAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        XCTAssertThrowsError(try parse(deep)) { error in
            XCTAssertEqual((error as? JSONDecodingError)?.reason, .tooDeep)
        }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        XCTAssertNoThrow(try parse(fine))
    }

    func testParse_duplicateKeys_lastWins() throws {
        XCTAssertEqual(try parse(#"{"a":1,"a":2}"#), ["a": 2])
    }

    func testError_saysWhere() {
        XCTAssertThrowsError(try parse("[1, x]")) { error in
            let e = error as! JSONDecodingError
            XCTAssertEqual(e.offset, 4)
            XCTAssertTrue(e.description.contains("'x'"), e.description)
        }
    }

    func testEncode_scalarsAndEscapes() {
        XCTAssertEqual(JSON.null.encodedString(), "null")
        XCTAssertEqual(JSON.bool(true).encodedString(), "true")
        XCTAssertEqual(JSON.number(3).encodedString(), "3")
        XCTAssertEqual(JSON.number(-2.5).encodedString(), "-2.5")
        XCTAssertEqual(JSON.number(1e20).encodedString(), "1e+20")
        XCTAssertEqual(JSON.number(.nan).encodedString(), "null")
        XCTAssertEqual(JSON.string("a\"b\\c\n\u{1}é😀").encodedString(), #""a\"b\\c\n\u0001é😀""#)
    }

    func testEncode_sortedKeys() {
        let value: JSON = ["b": 1, "a": [true, nil, "x"], "c": ["z": 0, "y": 1]]
        XCTAssertEqual(value.encodedString(sortedKeys: true), #"{"a":[true,null,"x"],"b":1,"c":{"y":1,"z":0}}"#)
    }

    func testRoundTrip_variedValues() throws {
        let values: [JSON] = [
            ["code": "print(\"hi\")\n# é 中 😀", "silent": false, "n": 7, "x": 0.1, "list": [1, [2, [3]], [:]]],
            .string(String(repeating: "\\\"\n", count: 100)),
            .array((0..<100).map { .number(Double($0) / 7) }),
            .string((0..<32).map { String(UnicodeScalar(UInt8($0))) }.joined()),
        ]
        for value in values {
            XCTAssertEqual(try JSON(decoding: value.encoded()), value)
        }
    }

    func testParse_largeString_isFast() throws {
        let big = String(repeating: "0123456789", count: 500_000)  // 5 MB
        let encoded = JSON.object(["code": .string(big)]).encoded()
        let start = ContinuousClock.now
        let value = try JSON(decoding: encoded)
        XCTAssertEqual(value["code"]?.stringValue?.utf8.count, 5_000_000)
        // Linear parsing takes tens of ms; a quadratic one minutes. Generous for a loaded CI machine.
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(10))
    }

    func testPrettyPrinted_indentsAndSortsAndReadsBack() throws {
        let value: JSON = ["b": [1, "x"], "a": ["c": true], "e": [], "f": [:]]
        let text = value.prettyPrinted()
        XCTAssertEqual(text, "{\n  \"a\": {\n    \"c\": true\n  },\n  \"b\": [\n    1,\n    \"x\"\n  ],\n  \"e\": [],\n  \"f\": {}\n}\n")
        XCTAssertEqual(try JSON(parsing: text), value)
    }
}
