import Dispatch

/// A value handed to worker threads whose safety the caller vouches for: each worker
/// touches only its own range of images and its own gradient and scratch buffers.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
}

/// Runs `body(0..<count)` on up to `count` threads at once and returns when all are done.
/// One item runs on the calling thread with no dispatch at all.
func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    if count <= 1 {
        if count == 1 { body(0) }
        return
    }
    withoutActuallyEscaping(body) { escapable in
        let box = UncheckedSendable(value: escapable)
        DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
    }
}

/// `0..<total` cut into `parts` contiguous ranges, the first ones one longer when it does
/// not divide; empty ranges are left out.
func splitRange(_ total: Int, parts: Int) -> [Range<Int>] {
    let parts = max(1, min(parts, total))
    var ranges: [Range<Int>] = []
    var start = 0
    for p in 0..<parts {
        let length = total / parts + (p < total % parts ? 1 : 0)
        if length > 0 { ranges.append(start..<(start + length)) }
        start += length
    }
    return ranges
}
