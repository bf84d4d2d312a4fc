import Synchronization
import JupyterProtocol

/// Remembers the signatures of accepted messages, so a message captured and sent
/// again is dropped (jupyter_client's Session keeps the same `digest_history`).
///
/// Shared by the shell and control threads. Memory is bounded: past `capacity`
/// signatures the oldest are forgotten, first in, first out. Each signature is kept as
/// a 128-bit fingerprint stored inline (no allocation per message): 65,536 of them take
/// about 3 MB instead of about 9 MB as byte arrays.
public final class ReplayGuard: Sendable {
    /// The first 128 bits of a hex HMAC signature (only verified signatures are recorded, and
    /// distinct HMAC-SHA256 outputs agreeing on 128 bits do not happen in practice); other
    /// byte strings are hashed to 128 bits.
    struct Fingerprint: Hashable {
        var high: UInt64
        var low: UInt64

        init(_ signature: [UInt8]) {
            if let high = Fingerprint.hexWord(signature, at: 0), let low = Fingerprint.hexWord(signature, at: 16) {
                self.high = high
                self.low = low
            } else {
                // FNV-1a, twice with different offsets: deterministic, unlike Hasher.
                var a: UInt64 = 0xcbf2_9ce4_8422_2325
                var b: UInt64 = 0x8422_2325_cbf2_9ce4
                for byte in signature {
                    a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
                    b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 &+ 1
                }
                high = a
                low = b ^ UInt64(signature.count)
            }
        }

        /// 16 hex digits at `offset` as a 64-bit word, or nil if they are not all hex.
        private static func hexWord(_ bytes: [UInt8], at offset: Int) -> UInt64? {
            guard bytes.count == 64 else { return nil }
            var word: UInt64 = 0
            for i in offset..<(offset + 16) {
                let c = bytes[i]
                let digit: UInt8
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
                default: return nil
                }
                word = word << 4 | UInt64(digit)
            }
            return word
        }
    }

    private struct State {
        var seen: Set<Fingerprint> = []
        var order: [Fingerprint] = []
        var next = 0
    }

    private let state = Mutex(State())
    public let capacity: Int

    public init(capacity: Int = 65_536) {
        self.capacity = max(1, capacity)
    }

    /// Records `signature`; returns false if it was already recorded (a replay).
    /// Empty signatures (unsigned connections) are never recorded.
    public func accept(_ signature: [UInt8]) -> Bool {
        guard !signature.isEmpty else { return true }
        let fingerprint = Fingerprint(signature)
        return state.withLock { state in
            guard state.seen.insert(fingerprint).inserted else { return false }
            if state.order.count < capacity {
                state.order.append(fingerprint)
            } else {
                state.seen.remove(state.order[state.next])
                state.order[state.next] = fingerprint
                state.next = (state.next + 1) % capacity
            }
            return true
        }
    }

    /// How many signatures are remembered.
    public var count: Int { state.withLock { $0.seen.count } }
}
