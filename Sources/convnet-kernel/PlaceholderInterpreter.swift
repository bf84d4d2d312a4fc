import Jupyter

/// A stand-in language until the convnet language lands (then this file is deleted):
/// arithmetic and a few calls, enough to drive every path of the protocol end to end.
///
///     1 + 2 * (3 - 1)      # numbers, + - * /, parentheses; the last line's value is the result
///     print("text")        # stdout          warn("text")   # stderr
///     image()              # a small image/png display      clear()  # clear_output
///     fail("text")         # an error        sleep(2.5)     # waits; an interrupt stops it at once
///     input("Name? ")      # asks the front end over stdin; its value is the text typed
///
/// One statement a line; a statement continues onto the next line while a parenthesis is open.
final class PlaceholderInterpreter: Interpreter {
    let info = InterpreterInfo(
        implementation: "convnet-kernel", implementationVersion: ConvnetKernelCommand.version,
        languageName: "convnet", languageVersion: "0.1", mimetype: "text/x-convnet", fileExtension: ".convnet",
        pygmentsLexer: "python", codemirrorMode: "python",
        banner: "convnet-kernel \(ConvnetKernelCommand.version): a placeholder language (arithmetic, print, warn, image, clear, fail, sleep, input)",
        helpLinks: [("Jupyter messaging", "https://jupyter-client.readthedocs.io/en/latest/messaging.html")])

    /// Each call with its one-line doc (complete_request and inspect_request use them).
    static let calls: [(name: String, doc: String)] = [
        ("print", "print(value): writes the value and a newline to stdout."),
        ("warn", "warn(text): writes the text and a newline to stderr."),
        ("image", "image(): shows a small 8x8 test image (image/png)."),
        ("clear", "clear(): clears the cell's output."),
        ("fail", "fail(text): stops the cell with an error carrying the text."),
        ("sleep", "sleep(seconds): waits; an interrupt stops it at once."),
        ("input", "input(prompt): asks the front end for a line of text and returns it."),
    ]

    /// An 8x8 grey checkerboard with a bright diagonal.
    static let testImagePNG =
        "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAAAAADhZOFXAAAAJUlEQVR42i3LwQkAAAyDQAfL/mSrFIr4uY+s+agiiiqiqCIK7x1t8yaZdLylcQAAAABJRU5ErkJggg=="

    enum Value {
        case number(Double)
        case text(String)

        var display: String {
            switch self {
            case .text(let s): return s
            case .number(let n):
                if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
                return String(n)
            }
        }
    }

    struct Failure: Error {
        var ename: String
        var evalue: String
    }

    // MARK: Interpreter

    func executeRequest(code: String, context: ExecutionContext) -> ExecuteOutcome {
        var last: Value?
        do {
            for (lineNumber, statement) in Self.statements(code) {
                var parser = Parser(text: Array(statement), line: lineNumber, context: context)
                last = try parser.statement()
            }
        } catch let failure as Failure {
            return .error(ename: failure.ename, evalue: failure.evalue, traceback: ["\(failure.ename): \(failure.evalue)"])
        } catch {
            return .error(ename: "Error", evalue: "\(error)", traceback: ["Error: \(error)"])
        }
        return .ok(result: last.map { MimeBundle.text($0.display) })
    }

    func completeRequest(code: String, cursorPosition: Int) -> Completion {
        let scalars = Array(code.unicodeScalars)
        let cursor = min(max(0, cursorPosition), scalars.count)
        var start = cursor
        while start > 0, Self.isNameCharacter(scalars[start - 1]) { start -= 1 }
        let prefix = String(String.UnicodeScalarView(scalars[start..<cursor]))
        let matches = Self.calls.map(\.name).filter { $0.hasPrefix(prefix) }
        return Completion(matches: matches, cursorStart: start, cursorEnd: cursor)
    }

    func inspectRequest(code: String, cursorPosition: Int, detailLevel: Int) -> MimeBundle? {
        let scalars = Array(code.unicodeScalars)
        let cursor = min(max(0, cursorPosition), scalars.count)
        var start = cursor
        var end = cursor
        while start > 0, Self.isNameCharacter(scalars[start - 1]) { start -= 1 }
        while end < scalars.count, Self.isNameCharacter(scalars[end]) { end += 1 }
        let word = String(String.UnicodeScalarView(scalars[start..<end]))
        guard let call = Self.calls.first(where: { $0.name == word }) else { return nil }
        return MimeBundle.text(call.doc)
    }

    func isCompleteRequest(code: String) -> Completeness {
        var depth = 0
        var inString = false
        var escaped = false
        for c in code {
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                else if c == "\n" { return .invalid }
                continue
            }
            switch c {
            case "\"": inString = true
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth < 0 { return .invalid }
            case "#":
                // A comment runs to the end of its line; skip it by pretending we are in one.
                break
            default: break
            }
        }
        if inString { return .invalid }
        return depth > 0 ? .incomplete(indent: "    ") : .complete
    }

    static func isNameCharacter(_ s: Unicode.Scalar) -> Bool {
        s.properties.isAlphabetic || s == "_" || ("0"..."9").contains(s)
    }

    /// Splits a cell into statements: one a line, joined while parentheses are open; comments removed.
    static func statements(_ code: String) -> [(line: Int, text: String)] {
        var result: [(Int, String)] = []
        var pending = ""
        var pendingLine = 0
        var depth = 0
        for (index, rawLine) in code.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = ""
            var inString = false
            var escaped = false
            for c in rawLine {
                if inString {
                    if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                } else if c == "#" {
                    break
                } else if c == "\"" {
                    inString = true
                } else if c == "(" {
                    depth += 1
                } else if c == ")" {
                    depth -= 1
                }
                line.append(c)
            }
            if pending.isEmpty { pendingLine = index + 1 }
            pending += pending.isEmpty ? line : " " + line
            if depth <= 0 {
                if !pending.allSatisfy(\.isWhitespace) { result.append((pendingLine, pending)) }
                pending = ""
                depth = 0
            }
        }
        if !pending.allSatisfy(\.isWhitespace) { result.append((pendingLine, pending)) }
        return result
    }

    // MARK: The statement parser

    /// statement := expression; expression := term (('+'|'-') term)*; term := factor (('*'|'/') factor)*;
    /// factor := ('-'|'+') factor | number | string | '(' expression ')' | name '(' [expression] ')'.
    struct Parser {
        let text: [Character]
        let line: Int
        let context: ExecutionContext
        var index = 0

        init(text: [Character], line: Int, context: ExecutionContext) {
            self.text = text
            self.line = line
            self.context = context
        }

        mutating func statement() throws -> Value? {
            let value = try expression()
            skipSpaces()
            if index < text.count { throw syntax("unexpected \"\(text[index])\"") }
            return value
        }

        func syntax(_ message: String) -> Failure {
            Failure(ename: "SyntaxError", evalue: "line \(line), column \(index + 1): \(message)")
        }

        mutating func skipSpaces() {
            while index < text.count, text[index].isWhitespace { index += 1 }
        }

        mutating func match(_ c: Character) -> Bool {
            skipSpaces()
            if index < text.count, text[index] == c {
                index += 1
                return true
            }
            return false
        }

        func number(_ value: Value?) throws -> Double {
            switch value {
            case .number(let n)?: return n
            case .text?: throw Failure(ename: "TypeError", evalue: "line \(line): arithmetic needs numbers, not text")
            case nil: throw Failure(ename: "TypeError", evalue: "line \(line): this call has no value to compute with")
            }
        }

        mutating func expression() throws -> Value? {
            var value = try term()
            while true {
                if match("+") {
                    value = .number(try number(value) + number(try term()))
                } else if match("-") {
                    value = .number(try number(value) - number(try term()))
                } else {
                    return value
                }
            }
        }

        mutating func term() throws -> Value? {
            var value = try factor()
            while true {
                if match("*") {
                    value = .number(try number(value) * number(try factor()))
                } else if match("/") {
                    let divisor = try number(try factor())
                    if divisor == 0 { throw Failure(ename: "ZeroDivisionError", evalue: "line \(line): division by zero") }
                    value = .number(try number(value) / divisor)
                } else {
                    return value
                }
            }
        }

        mutating func factor() throws -> Value? {
            skipSpaces()
            guard index < text.count else { throw syntax("an expression is missing") }
            let c = text[index]
            if c == "-" || c == "+" {
                index += 1
                let operand = try number(try factor())
                return .number(c == "-" ? -operand : operand)
            }
            if c == "(" {
                index += 1
                let value = try expression()
                guard match(")") else { throw syntax("\")\" expected") }
                return value
            }
            if c == "\"" { return .text(try string()) }
            if c.isNumber || c == "." { return .number(try numberLiteral()) }
            if c.isLetter || c == "_" { return try call() }
            throw syntax("unexpected \"\(c)\"")
        }

        mutating func numberLiteral() throws -> Double {
            let start = index
            while index < text.count, text[index].isNumber || text[index] == "." || text[index] == "e"
                || ((text[index] == "-" || text[index] == "+") && index > start && text[index - 1] == "e")
            {
                index += 1
            }
            guard let value = Double(String(text[start..<index])) else { throw syntax("malformed number") }
            return value
        }

        mutating func string() throws -> String {
            index += 1  // opening quote
            var s = ""
            while index < text.count {
                let c = text[index]
                index += 1
                if c == "\"" { return s }
                if c == "\\", index < text.count {
                    let e = text[index]
                    index += 1
                    switch e {
                    case "n": s.append("\n")
                    case "t": s.append("\t")
                    default: s.append(e)
                    }
                } else {
                    s.append(c)
                }
            }
            throw syntax("unterminated string")
        }

        mutating func call() throws -> Value? {
            let start = index
            while index < text.count, text[index].isLetter || text[index].isNumber || text[index] == "_" { index += 1 }
            let name = String(text[start..<index])
            guard PlaceholderInterpreter.calls.contains(where: { $0.name == name }) else {
                throw Failure(ename: "NameError", evalue: "line \(line): unknown name \"\(name)\"")
            }
            guard match("(") else { throw syntax("\"(\" expected after \(name)") }
            let argument: Value? = match(")") ? nil : try expression()
            if argument != nil, !match(")") { throw syntax("\")\" expected") }
            return try run(name, argument)
        }

        func text(_ argument: Value?, _ name: String) throws -> String {
            guard let argument else {
                throw Failure(ename: "TypeError", evalue: "line \(line): \(name) needs an argument")
            }
            return argument.display
        }

        func run(_ name: String, _ argument: Value?) throws -> Value? {
            switch name {
            case "print":
                context.stream(.stdout, (argument?.display ?? "") + "\n")
            case "warn":
                context.stream(.stderr, try text(argument, name) + "\n")
            case "image":
                context.display(
                    MimeBundle(
                        data: ["image/png": .string(PlaceholderInterpreter.testImagePNG), "text/plain": "<image 8x8>"],
                        metadata: ["image/png": ["width": 64, "height": 64]]),
                    displayID: nil, update: false)
            case "clear":
                context.clearOutput(wait: false)
            case "fail":
                throw Failure(ename: "Failure", evalue: try text(argument, name))
            case "sleep":
                let seconds = try number(argument)
                if context.waitUntilCancelled(seconds: seconds) {
                    throw Failure(ename: "KeyboardInterrupt", evalue: "interrupted during sleep(\(argument!.display))")
                }
            case "input":
                do {
                    return .text(try context.input(prompt: argument?.display ?? "", password: false))
                } catch InputError.notAllowed {
                    throw Failure(ename: "StdinNotImplementedError", evalue: "this front end does not support input")
                } catch {
                    throw Failure(ename: "KeyboardInterrupt", evalue: "interrupted while waiting for input")
                }
            default:
                break
            }
            return nil
        }
    }
}
