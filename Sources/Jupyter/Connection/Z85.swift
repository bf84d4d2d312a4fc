import JupyterProtocol
/// ZeroMQ's Z85 text encoding of binary keys (ZeroMQ RFC 32): every 4 bytes become
/// 5 characters. CurveZMQ keys are 32 bytes, 40 characters of Z85.
public enum Z85 {
    static let alphabet: [UInt8] = Array(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8)

    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// The bytes of `text`, or nil if its length is not a multiple of 5 or it has a
    /// character outside the alphabet.
    public static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 5 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 5 * 4)
        var i = 0
        while i < chars.count {
            var value: UInt64 = 0
            for j in 0..<5 {
                let digit = decodeTable[Int(chars[i + j])]
                guard digit != 0xFF else { return nil }
                value = value * 85 + UInt64(digit)
            }
            guard value <= UInt64(UInt32.max) else { return nil }
            out.append(UInt8(truncatingIfNeeded: value >> 24))
            out.append(UInt8(truncatingIfNeeded: value >> 16))
            out.append(UInt8(truncatingIfNeeded: value >> 8))
            out.append(UInt8(truncatingIfNeeded: value))
            i += 5
        }
        return out
    }

    /// The Z85 text of `bytes`, or nil if their count is not a multiple of 4.
    public static func encode(_ bytes: [UInt8]) -> String? {
        guard bytes.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 4 * 5)
        var i = 0
        while i < bytes.count {
            var value = UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8
            value |= UInt32(bytes[i + 3])
            var chunk = [UInt8](repeating: 0, count: 5)
            for j in stride(from: 4, through: 0, by: -1) {
                chunk[j] = alphabet[Int(value % 85)]
                value /= 85
            }
            out.append(contentsOf: chunk)
            i += 4
        }
        return String(decoding: out, as: UTF8.self)
    }
}
