/// Reading `JSON` values from UTF-8 bytes (RFC 8259), without Foundation.
///
/// A recursive-descent parser over the raw bytes: strings are sliced straight out
/// of the buffer when they hold no escapes, integers are read without strtod.
/// Nesting is capped so hostile input cannot overflow the stack.
extension JSON {
    /// Parses one JSON value that fills the whole buffer (whitespace around it allowed).
    /// - Throws: `JSONDecodingError` with the byte offset of the problem.
    public init(decoding bytes: [UInt8]) throws(JSONDecodingError) {
        let result: Result<JSON, JSONDecodingError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer)
            return Result { () throws(JSONDecodingError) -> JSON in try parser.parseDocument() }
        }
        self = try result.get()
    }

    /// Parses JSON text.
    public init(parsing text: String) throws(JSONDecodingError) {
        try self.init(decoding: Array(text.utf8))
    }
}

/// Why a byte sequence is not JSON, and where.
public struct JSONDecodingError: Error, Equatable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        case unexpectedEnd
        case unexpectedByte(UInt8)
        case invalidNumber
        case invalidEscape
        case invalidUnicodeEscape
        case controlCharacterInString
        case trailingData
        case tooDeep
    }

    public var reason: Reason
    /// Byte offset in the input.
    public var offset: Int

    public var description: String {
        switch reason {
        case .unexpectedEnd: return "JSON ends too early (at byte \(offset))"
        case .unexpectedByte(let b):
            let shown = (0x20..<0x7F).contains(b) ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16))"
            return "unexpected \(shown) at byte \(offset) of the JSON"
        case .invalidNumber: return "malformed number at byte \(offset) of the JSON"
        case .invalidEscape: return "unknown escape sequence at byte \(offset) of the JSON"
        case .invalidUnicodeEscape: return "malformed \\u escape at byte \(offset) of the JSON"
        case .controlCharacterInString: return "unescaped control character in a string at byte \(offset) of the JSON"
        case .trailingData: return "extra data after the JSON value at byte \(offset)"
        case .tooDeep: return "JSON nested more than \(JSONParser.maxDepth) levels at byte \(offset)"
        }
    }
}

struct JSONParser {
    static let maxDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(JSONDecodingError) -> JSON {
        let value = try parseValue()
        skipWhitespace()
        if index != bytes.count { throw fail(.trailingData) }
        return value
    }

    private func fail(_ reason: JSONDecodingError.Reason) -> JSONDecodingError {
        JSONDecodingError(reason: reason, offset: index)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(JSONDecodingError) -> JSON {
        skipWhitespace()
        guard index < bytes.count else { throw fail(.unexpectedEnd) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case let other: throw fail(.unexpectedByte(other))
        }
    }

    private mutating func expectLiteral(_ word: StaticString) throws(JSONDecodingError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw JSONDecodingError(reason: .unexpectedEnd, offset: bytes.count) }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        for i in 0..<count where bytes[index + i] != expected[i] {
            index += i
            throw fail(.unexpectedByte(bytes[index]))
        }
        index += count
    }

    private mutating func enter() throws(JSONDecodingError) {
        depth += 1
        if depth > JSONParser.maxDepth { throw fail(.tooDeep) }
    }

    private mutating func parseObject() throws(JSONDecodingError) -> JSON {
        try enter()
        defer { depth -= 1 }
        index += 1  // {
        var fields: [String: JSON] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(fields)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw fail(.unexpectedEnd) }
            guard bytes[index] == UInt8(ascii: "\"") else { throw fail(.unexpectedByte(bytes[index])) }
            let key = try parseString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            fields[key] = try parseValue()
            skipWhitespace()
            guard index < bytes.count else { throw fail(.unexpectedEnd) }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(fields)
            case let other: throw fail(.unexpectedByte(other))
            }
        }
    }

    private mutating func parseArray() throws(JSONDecodingError) -> JSON {
        try enter()
        defer { depth -= 1 }
        index += 1  // [
        var items: [JSON] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            items.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw fail(.unexpectedEnd) }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(items)
            case let other: throw fail(.unexpectedByte(other))
            }
        }
    }

    private mutating func expect(_ byte: UInt8) throws(JSONDecodingError) {
        guard index < bytes.count else { throw fail(.unexpectedEnd) }
        guard bytes[index] == byte else { throw fail(.unexpectedByte(bytes[index])) }
        index += 1
    }

    /// A string starting at the opening quote. Invalid UTF-8 is repaired (U+FFFD), as Python's
    /// json module would refuse it; the kernel prefers to keep going with the rest of the message.
    private mutating func parseString() throws(JSONDecodingError) -> String {
        index += 1  // opening quote
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return s
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw fail(.controlCharacterInString) }
            index += 1
        }
        guard index < bytes.count else { throw fail(.unexpectedEnd) }
        // Slow path: copy what we have, then decode escapes.
        var utf8 = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let c = bytes[index]
            switch c {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw fail(.unexpectedEnd) }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""): utf8.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): utf8.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): utf8.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): appendUTF8(of: try parseUnicodeEscape(), to: &utf8)
                default:
                    index -= 1
                    throw fail(.invalidEscape)
                }
            default:
                if c < 0x20 { throw fail(.controlCharacterInString) }
                utf8.append(c)
                index += 1
            }
        }
        throw fail(.unexpectedEnd)
    }

    /// The code point of `\uXXXX` (after the `u`), joining a surrogate pair when one follows.
    /// A lone surrogate becomes U+FFFD.
    private mutating func parseUnicodeEscape() throws(JSONDecodingError) -> UInt32 {
        let first = try parseHex4()
        if (0xD800..<0xDC00).contains(first) {
            if index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                let save = index
                index += 2
                let second = try parseHex4()
                if (0xDC00..<0xE000).contains(second) {
                    return 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                }
                index = save
            }
            return 0xFFFD
        }
        if (0xDC00..<0xE000).contains(first) { return 0xFFFD }
        return first
    }

    private mutating func parseHex4() throws(JSONDecodingError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail(.unexpectedEnd) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw fail(.invalidUnicodeEscape)
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private func appendUTF8(of scalar: UInt32, to out: inout [UInt8]) {
        let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
        out.append(contentsOf: UTF8.encode(s)!)
    }

    /// RFC 8259 numbers: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func parseNumber() throws(JSONDecodingError) -> Double {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard index < bytes.count, isDigit(bytes[index]) else { throw fail(.invalidNumber) }
        var integer: UInt64 = 0
        var digits = 0
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            digits = 1
        } else {
            while index < bytes.count, isDigit(bytes[index]) {
                integer = integer &* 10 &+ UInt64(bytes[index] - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail(.invalidNumber) }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail(.invalidNumber) }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        // Up to 15 digits an integer is exact in a Double; longer ones go through the full conversion.
        if isInteger, digits <= 15 {
            let value = Double(integer)
            return negative ? -value : value
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text) else { throw JSONDecodingError(reason: .invalidNumber, offset: start) }
        return value
    }

    private func isDigit(_ c: UInt8) -> Bool {
        c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")
    }
}
