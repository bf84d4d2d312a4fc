import Dispatch

/// A value handed to worker threads whose safety the caller vouches for: each worker
/// touches only its own range of images and its own gradient and scratch buffers.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
}

/// Runs `body(0..<count)` on up to `count` threads at once (the `WorkerPool`) and returns
/// when all are done. One item runs on the calling thread with no dispatch at all.
func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    if count <= 1 {
        if count == 1 { body(0) }
        return
    }
    WorkerPool.shared.run(count, body)
}

/// How `0..<total` is cut into contiguous runs, one per worker: the first runs one longer
/// when it does not divide, and never an empty run. Computed, not stored, so splitting a
/// batch allocates nothing.
struct WorkSplit {
    let total: Int
    let parts: Int

    init(_ total: Int, parts: Int) {
        self.total = total
        self.parts = max(1, min(parts, total))
    }

    subscript(part: Int) -> Range<Int> {
        let base = total / parts
        let extra = total % parts
        let start = part * base + min(part, extra)
        return start..<(start + base + (part < extra ? 1 : 0))
    }
}
