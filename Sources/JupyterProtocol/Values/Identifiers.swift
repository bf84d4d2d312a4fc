import Atomics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Message ids, session ids and timestamps, made without Foundation (they are on every message).
public enum Identifiers {
    /// A random (version 4) UUID in its usual lower-case text form.
    public static func uuid() -> String {
        var generator = SystemRandomNumberGenerator()
        // Two 64-bit draws: one getrandom call each, not one per byte.
        let high = generator.next(), low = generator.next()
        var bytes = (0..<16).map { i in UInt8(truncatingIfNeeded: (i < 8 ? high : low) >> (UInt64(i % 8) * 8)) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        var text: [UInt8] = []
        text.reserveCapacity(36)
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        for (i, b) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hex[Int(b >> 4)])
            text.append(hex[Int(b & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let messageCounter = ManagedAtomic<Int>(0)
    private static let processID = Int(getpid())

    /// A message id unique to this process and session, made as jupyter_client makes them:
    /// `<session>_<pid>_<counter>` (no random draw per message).
    public static func messageID(session: String) -> String {
        let n = messageCounter.loadThenWrappingIncrement(ordering: .relaxed)
        return "\(session)_\(processID)_\(n)"
    }

    /// The current time in ISO 8601 with microseconds and an explicit UTC offset,
    /// as jupyter_client writes dates: `2026-11-25T13:30:00.123456+00:00`.
    public static func now() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return iso8601(seconds: Int(spec.tv_sec), microseconds: Int(spec.tv_nsec / 1000))
    }

    /// Formats a UTC time given as seconds since 1970 and microseconds.
    public static func iso8601(seconds: Int, microseconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        var out: [UInt8] = []
        out.reserveCapacity(32)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var v = value
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(v / divisor % 10))
                v %= divisor
                divisor /= 10
            }
        }
        digits(Int(parts.tm_year) + 1900, 4)
        out.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2)
        out.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2)
        out.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2)
        out.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2)
        out.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2)
        out.append(UInt8(ascii: "."))
        digits(microseconds, 6)
        out.append(contentsOf: "+00:00".utf8)
        return String(decoding: out, as: UTF8.self)
    }
}
