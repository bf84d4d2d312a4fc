import Synchronization

/// Remembers the signatures of accepted messages, so a message captured and sent
/// again is dropped (jupyter_client's Session keeps the same `digest_history`).
///
/// Shared by the shell and control threads. Memory is bounded: past `capacity`
/// signatures the oldest are forgotten, first in, first out.
public final class ReplayGuard: Sendable {
    private struct State {
        var seen: Set<[UInt8]> = []
        var order: [[UInt8]] = []
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
        return state.withLock { state in
            guard state.seen.insert(signature).inserted else { return false }
            if state.order.count < capacity {
                state.order.append(signature)
            } else {
                state.seen.remove(state.order[state.next])
                state.order[state.next] = signature
                state.next = (state.next + 1) % capacity
            }
            return true
        }
    }

    /// How many signatures are remembered.
    public var count: Int { state.withLock { $0.seen.count } }
}
