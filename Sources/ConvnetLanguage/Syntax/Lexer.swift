/// Turns a cell's text into tokens, Python-style: `#` starts a comment, newlines
/// end statements except inside brackets, and indentation opens and closes blocks
/// (`indent`/`dedent` tokens). `28x28x1` and `5x5` are single volume tokens.
///
/// Positions count Unicode code points, the unit of Jupyter's cursor positions.
public struct Lexer {
    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var line = 1
    private var column = 1
    private var tokens: [Token] = []
    /// Open brackets, innermost last: newlines inside them are not line ends.
    public private(set) var openBrackets: [Token] = []
    /// A closing bracket that matched no opening one (or the wrong kind): the text can never parse.
    public private(set) var hasUnmatchedClose = false
    private var indentStack = [0]
    private var atLineStart = true

    public init(_ code: String) {
        scalars = Array(code.unicodeScalars)
    }

    /// The tokens of `code`, ending with `.end`.
    /// - Throws: `LanguageError` (`SyntaxError`) for a character or string the language cannot read.
    public static func tokenize(_ code: String) throws(LanguageError) -> [Token] {
        var lexer = Lexer(code)
        return try lexer.run()
    }

    public mutating func run() throws(LanguageError) -> [Token] {
        while true {
            if atLineStart && openBrackets.isEmpty {
                try lineStart()
                if position >= scalars.count { break }
            }
            guard let c = peek() else { break }
            let start = mark()
            switch c {
            case " ", "\t":
                advance()
            case "\r", "\n":
                if c == "\r" && peek(1) == "\n" { advance() }
                advance()
                newLine()
                if openBrackets.isEmpty {
                    emitNewline(at: start)
                    atLineStart = true
                }
            case "#":
                while let d = peek(), d != "\n", d != "\r" { advance() }
            case "\"", "'":
                try string(quote: c, start: start)
            case "0"..."9":
                try number(start: start)
            case "." where peek(1).map(isDigit) ?? false:
                try number(start: start)
            default:
                if isNameStart(c) {
                    name(start: start)
                } else {
                    try symbol(c, start: start)
                }
            }
        }
        let endMark = mark()
        emitNewline(at: endMark)
        while indentStack.count > 1 {
            indentStack.removeLast()
            tokens.append(Token(.dedent, span(from: endMark)))
        }
        tokens.append(Token(.end, span(from: endMark)))
        return tokens
    }

    // MARK: - Layout

    /// Measures the indentation of a new line; skips blank and comment-only lines,
    /// which never open or close blocks (so nbgrader's `### BEGIN SOLUTION` can sit anywhere).
    private mutating func lineStart() throws(LanguageError) {
        while position < scalars.count {
            var width = 0
            let start = mark()
            while let c = peek(), c == " " || c == "\t" {
                width = c == "\t" ? (width / 4 + 1) * 4 : width + 1
                advance()
            }
            guard let c = peek() else { return }
            if c == "#" {
                while let d = peek(), d != "\n", d != "\r" { advance() }
            }
            if let d = peek(), d == "\n" || d == "\r" {
                if d == "\r" && peek(1) == "\n" { advance() }
                advance()
                newLine()
                continue
            }
            guard position < scalars.count else { return }
            atLineStart = false
            let here = span(from: start)
            if width > indentStack.last! {
                indentStack.append(width)
                tokens.append(Token(.indent, here))
            } else {
                while width < indentStack.last! {
                    indentStack.removeLast()
                    tokens.append(Token(.dedent, here))
                }
                if width != indentStack.last! {
                    throw LanguageError(.unmatchedIndentation, at: span(from: mark()))
                }
            }
            return
        }
    }

    private mutating func emitNewline(at start: Mark) {
        guard let last = tokens.last else { return }
        switch last.kind {
        case .newline, .indent, .dedent: return
        default: tokens.append(Token(.newline, span(from: start)))
        }
    }

    // MARK: - Tokens

    private mutating func string(quote: Unicode.Scalar, start: Mark) throws(LanguageError) {
        advance()
        var text = String.UnicodeScalarView()
        while true {
            guard let c = peek(), c != "\n", c != "\r" else {
                throw LanguageError(.unclosedString(quote: String(quote)), at: span(from: start))
            }
            advance()
            if c == quote { break }
            if c == "\\", let e = peek() {
                advance()
                switch e {
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "\\", "\"", "'": text.append(e)
                default: text.append("\\"); text.append(e)
                }
            } else {
                text.append(c)
            }
        }
        tokens.append(Token(.string(String(text)), span(from: start)))
    }

    /// A number (`3`, `0.01`, `1e-3`) or a volume (`28x28x1`).
    private mutating func number(start: Mark) throws(LanguageError) {
        let first = digits()
        // A volume: integers joined by `x` with no spaces.
        if peek() == "x", let next = peek(1), isDigit(next), !first.contains(".") {
            var dims = [first]
            while peek() == "x", let next = peek(1), isDigit(next) {
                advance()
                dims.append(digits())
            }
            if let c = peek(), isNameStart(c) || (c == "." && (peek(1).map(isDigit) ?? false)) {
                throw LanguageError(.malformedVolume, at: span(from: start))
            }
            guard dims.count <= 3, dims.allSatisfy({ !$0.contains(".") }) else {
                throw LanguageError(.volumeSizeCount, at: span(from: start))
            }
            let sizes = dims.map { Int($0) ?? Int.max }
            tokens.append(Token(.volume(sizes), span(from: start)))
            return
        }
        var text = first
        if peek() == "e" || peek() == "E",
            let next = peek(1), isDigit(next) || ((next == "-" || next == "+") && (peek(2).map(isDigit) ?? false))
        {
            advance()
            text += "e"
            if let sign = peek(), sign == "-" || sign == "+" { advance(); text.unicodeScalars.append(sign) }
            text += digits()
        }
        if let c = peek(), isNameStart(c) {
            throw LanguageError(.numberRunsIntoName, at: span(from: start))
        }
        guard let value = Double(text) else {
            throw LanguageError(.notANumber(text), at: span(from: start))
        }
        tokens.append(Token(.number(value), span(from: start)))
    }

    /// Digits with at most one decimal point.
    private mutating func digits() -> String {
        var text = ""
        var seenPoint = false
        while let c = peek() {
            if isDigit(c) {
                text.unicodeScalars.append(c)
            } else if c == ".", !seenPoint, peek(1).map(isDigit) ?? false {
                seenPoint = true
                text += "."
            } else {
                break
            }
            advance()
        }
        return text
    }

    private mutating func name(start: Mark) {
        var text = String.UnicodeScalarView()
        while let c = peek(), isNameStart(c) || isDigit(c) {
            text.append(c)
            advance()
        }
        let word = String(text)
        if let keyword = Keyword(rawValue: word) {
            tokens.append(Token(.keyword(keyword), span(from: start)))
        } else {
            tokens.append(Token(.name(word), span(from: start)))
        }
    }

    private mutating func symbol(_ c: Unicode.Scalar, start: Mark) throws(LanguageError) {
        let two = String(String.UnicodeScalarView([c] + (peek(1).map { [$0] } ?? [])))
        if two.unicodeScalars.count == 2, let symbol = Symbol(rawValue: two) {
            advance(); advance()
            tokens.append(Token(.symbol(symbol), span(from: start)))
            return
        }
        guard let symbol = Symbol(rawValue: String(c)) else {
            let what = c.properties.isWhitespace ? "this space character" : "'\(c)'"
            throw LanguageError(.notInLanguage(what), at: span(from: start))
        }
        advance()
        let token = Token(.symbol(symbol), span(from: start))
        switch symbol {
        case .leftParen, .leftBracket:
            openBrackets.append(token)
        case .rightParen, .rightBracket:
            let expected: Token.Kind = symbol == .rightParen ? .symbol(.leftParen) : .symbol(.leftBracket)
            if openBrackets.last?.kind != expected { hasUnmatchedClose = true }
            if !openBrackets.isEmpty { openBrackets.removeLast() }
        default: break
        }
        tokens.append(token)
    }

    // MARK: - Positions

    private struct Mark { var position: Int; var line: Int; var column: Int }

    private func mark() -> Mark { Mark(position: position, line: line, column: column) }

    private func span(from start: Mark) -> SourceSpan {
        SourceSpan(start: start.position, end: position, line: start.line, column: start.column)
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        position + ahead < scalars.count ? scalars[position + ahead] : nil
    }

    private mutating func advance() {
        position += 1
        column += 1
    }

    private mutating func newLine() {
        line += 1
        column = 1
    }
}

func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

func isNameStart(_ c: Unicode.Scalar) -> Bool {
    c == "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c.value > 127 && c.properties.isAlphabetic)
}
