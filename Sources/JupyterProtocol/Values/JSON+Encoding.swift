/// Writing `JSON` values as UTF-8 bytes (RFC 8259), without Foundation.
///
/// The encoder appends to a byte buffer so a message's four JSON parts can be
/// written without intermediate strings. Object keys keep the dictionary's order
/// unless `sortedKeys` is set (tests and kernel.json use it for stable output).
extension JSON {
    /// The value as compact JSON bytes.
    public func encoded(sortedKeys: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        encode(into: &out, sortedKeys: sortedKeys)
        return out
    }

    /// The value as a compact JSON string.
    public func encodedString(sortedKeys: Bool = false) -> String {
        String(decoding: encoded(sortedKeys: sortedKeys), as: UTF8.self)
    }

    /// Indented JSON with sorted keys, for files people read (kernel.json).
    public func prettyPrinted(indent: String = "  ") -> String {
        var out: [UInt8] = []
        prettyPrint(into: &out, indent: Array(indent.utf8), level: 0)
        out.append(UInt8(ascii: "\n"))
        return String(decoding: out, as: UTF8.self)
    }

    private func prettyPrint(into out: inout [UInt8], indent: [UInt8], level: Int) {
        func newline(_ level: Int) {
            out.append(UInt8(ascii: "\n"))
            for _ in 0..<level { out.append(contentsOf: indent) }
        }
        switch self {
        case .array(let items) where !items.isEmpty:
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(level + 1)
                item.prettyPrint(into: &out, indent: indent, level: level + 1)
            }
            newline(level)
            out.append(UInt8(ascii: "]"))
        case .object(let fields) where !fields.isEmpty:
            out.append(UInt8(ascii: "{"))
            for (i, key) in fields.keys.sorted().enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(level + 1)
                JSON.encodeString(key, into: &out)
                out.append(contentsOf: ": ".utf8)
                fields[key]!.prettyPrint(into: &out, indent: indent, level: level + 1)
            }
            newline(level)
            out.append(UInt8(ascii: "}"))
        default:
            encode(into: &out)
        }
    }

    /// Appends the value's JSON text to `out`.
    public func encode(into out: inout [UInt8], sortedKeys: Bool = false) {
        switch self {
        case .null:
            out.append(contentsOf: "null".utf8)
        case .bool(let b):
            out.append(contentsOf: b ? "true".utf8 : "false".utf8)
        case .number(let n):
            JSON.encodeNumber(n, into: &out)
        case .string(let s):
            JSON.encodeString(s, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.encode(into: &out, sortedKeys: sortedKeys)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            var first = true
            func field(_ key: String, _ value: JSON) {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                JSON.encodeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                value.encode(into: &out, sortedKeys: sortedKeys)
            }
            if sortedKeys {
                for key in fields.keys.sorted() { field(key, fields[key]!) }
            } else {
                for (key, value) in fields { field(key, value) }
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Integers print without a fraction (execution counts, ports); other numbers
    /// in Swift's shortest round-tripping form. JSON has no NaN or infinity: they become null.
    static func encodeNumber(_ n: Double, into out: inout [UInt8]) {
        guard n.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        if n == n.rounded(.towardZero), abs(n) < 1e15 {
            out.append(contentsOf: String(Int64(n)).utf8)
        } else {
            out.append(contentsOf: n.description.utf8)
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Escapes quotes, backslashes and control characters; everything else is written as UTF-8.
    static func encodeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var runStart = 0
            for i in 0..<bytes.count {
                let c = bytes[i]
                guard c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") else { continue }
                if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
                runStart = i + 1
                out.append(UInt8(ascii: "\\"))
                switch c {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\n"): out.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): out.append(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"): out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    out.append(contentsOf: "u00".utf8)
                    out.append(hexDigits[Int(c >> 4)])
                    out.append(hexDigits[Int(c & 0xF)])
                }
            }
            if runStart < bytes.count {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
