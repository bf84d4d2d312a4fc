import XCTest

@testable import ConvnetLanguage

final class ParserTests: XCTestCase {
    private func kinds(_ code: String) throws -> [Token.Kind] { try Lexer.tokenize(code).map(\.kind) }

    func testLex_volumeIsOneToken() throws {
        XCTAssertEqual(try kinds("28x28x1"), [.volume([28, 28, 1]), .newline, .end])
        XCTAssertEqual(try kinds("5x5"), [.volume([5, 5]), .newline, .end])
    }

    func testLex_numbersAndNames() throws {
        XCTAssertEqual(
            try kinds("x2 = 0.01 * 1e-3"),
            [.name("x2"), .symbol(.assign), .number(0.01), .symbol(.star), .number(0.001), .newline, .end])
    }

    func testLex_newlinesInsideBracketsAreNotLineEnds() throws {
        XCTAssertEqual(
            try kinds("f(1,\n  2)"),
            [.name("f"), .symbol(.leftParen), .number(1), .symbol(.comma), .number(2), .symbol(.rightParen), .newline, .end])
    }

    func testLex_indentationMakesBlocks() throws {
        XCTAssertEqual(
            try kinds("if a:\n    b\nc"),
            [.keyword(.if), .name("a"), .symbol(.colon), .newline, .indent, .name("b"), .newline, .dedent, .name("c"), .newline, .end])
    }

    func testLex_commentLinesAtAnyIndentAreIgnored() throws {
        XCTAssertEqual(try kinds("    ### BEGIN SOLUTION\nx\n  # note\n"), [.name("x"), .newline, .end])
    }

    func testLex_positionsCountCodePoints() throws {
        let tokens = try Lexer.tokenize("s = \"héllo👋\"\nnet")
        let net = tokens.first { $0.kind == .name("net") }!
        XCTAssertEqual(net.span.start, 13)
        XCTAssertEqual(net.span.line, 2)
        XCTAssertEqual(net.span.column, 1)
    }

    func testLex_unclosedString_isSyntaxError() {
        XCTAssertThrowsError(try Lexer.tokenize("print(\"abc")) { error in
            XCTAssertEqual((error as? LanguageError)?.kind, .syntax)
        }
    }

    func testParse_precedence() throws {
        let statements = try Parser.parse("1 + 2 * 3")
        guard case .expression(.binary(.add, .number(1, _), .binary(.multiply, _, _, _), _)) = statements[0] else {
            return XCTFail("wrong tree: \(statements)")
        }
    }

    func testParse_callWithKeywordArguments_bothSpellings() throws {
        for code in ["conv(8, 5x5, pad: 2)", "conv(8, 5x5, pad=2)"] {
            let statements = try Parser.parse(code)
            guard case .expression(.call(.name("conv", _), let args, _)) = statements[0] else {
                return XCTFail("not a call: \(statements)")
            }
            XCTAssertEqual(args.map(\.label), [nil, nil, "pad"])
        }
    }

    func testParse_sliceAndAttribute() throws {
        let statements = try Parser.parse("data.test[0:32]")
        guard case .expression(.slice(.attribute(.name("data", _), "test", _), .number(0, _)?, .number(32, _)?, _)) =
            statements[0]
        else { return XCTFail("wrong tree: \(statements)") }
    }

    func testParse_multiLineCall() throws {
        let code = "net = sequential(28x28x1,\n  conv(8, 5x5, pad: 2), relu(),\n  dense(10))\nsummary(net)"
        let statements = try Parser.parse(code)
        XCTAssertEqual(statements.count, 2)
    }

    func testParse_forAndIfBlocks() throws {
        let statements = try Parser.parse("for lr in [0.1, 0.01]:\n    if lr > 0.05:\n        print(lr)\n    else:\n        pass\nx")
        XCTAssertEqual(statements.count, 2)
        guard case .forLoop("lr", _, let body, _) = statements[0], case .conditional(let branches, let otherwise, _) = body[0]
        else { return XCTFail("wrong tree: \(statements)") }
        XCTAssertEqual(branches.count, 1)
        XCTAssertEqual(otherwise?.count, 1)
    }

    func testParse_deepNesting_isRecursionErrorNotCrash() {
        let code = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        XCTAssertThrowsError(try Parser.parse(code)) { error in
            XCTAssertEqual((error as? LanguageError)?.kind, .recursion)
        }
        let negations = String(repeating: "-", count: 10_000) + "1"
        XCTAssertThrowsError(try Parser.parse(negations)) { error in
            XCTAssertEqual((error as? LanguageError)?.kind, .recursion)
        }
    }

    func testParse_longChains_areRefusedBeforeTheTreeGetsDeep() {
        for code in [
            "x" + String(repeating: ".y", count: 5_000), "a" + String(repeating: "[0]", count: 5_000),
            "1" + String(repeating: " + 1", count: 5_000), "f" + String(repeating: "()", count: 5_000),
            "1" + String(repeating: " and 1", count: 5_000),
        ] {
            XCTAssertThrowsError(try Parser.parse(code)) { error in
                XCTAssertEqual((error as? LanguageError)?.kind, .recursion, String(code.prefix(20)))
            }
        }
        // Comparisons do not chain: a long run of them stops at its second operator.
        XCTAssertThrowsError(try Parser.parse("1" + String(repeating: " < 1", count: 5_000))) { error in
            XCTAssertEqual((error as? LanguageError)?.kind, .syntax)
            XCTAssertEqual((error as? LanguageError)?.span?.column, 7)
        }
        XCTAssertNoThrow(try Parser.parse("1" + String(repeating: " + 1", count: 90)))
    }

    func testParse_unclosedBracket_namesWhereItOpened() {
        XCTAssertThrowsError(try Parser.parse("x = [1,\n 2")) { error in
            let e = error as! LanguageError
            XCTAssertEqual(e.kind, .syntax)
            XCTAssertEqual(e.span?.line, 1)
            XCTAssertEqual(e.span?.column, 5)
            XCTAssertTrue(e.message.contains("never closed"), e.message)
        }
    }

    func testParse_assignmentToAttribute_isRefused() {
        XCTAssertThrowsError(try Parser.parse("net.layers = 3"))
    }

    func testTraceback_longLine_showsAWindowAroundTheColumn() {
        let code = String(repeating: "a + ", count: 500) + "oops"
        let start = 2000
        let error = LanguageError(.undefinedName("oops", suggestion: nil), at: SourceSpan(start: start, end: start + 4, line: 1, column: start + 1))
        let lines = error.traceback(in: code)
        XCTAssertLessThanOrEqual(lines[1].count, 4 + 106)
        XCTAssertTrue(lines[1].hasPrefix("    ..."), lines[1])
        let caret = lines[2].firstIndex(of: "^")!
        let under = lines[1][caret...].prefix(4)
        XCTAssertEqual(String(under), "oops", "\(lines[1])\n\(lines[2])")
    }

    func testTraceback_caretUnderColumn_withNonASCII() {
        let code = "s = \"é\"\nx = s + undefined_name"
        let error = LanguageError(.undefinedName("undefined_name", suggestion: nil), at: SourceSpan(start: 16, end: 30, line: 2, column: 9))
        let lines = error.traceback(in: code)
        XCTAssertEqual(lines[0], "Cell line 2, column 9")
        XCTAssertEqual(lines[1], "    x = s + undefined_name")
        XCTAssertEqual(lines[2], "            ^^^^^^^^^^^^^^")
        XCTAssertEqual(lines[3], "NameError: 'undefined_name' is not defined")
    }
}
