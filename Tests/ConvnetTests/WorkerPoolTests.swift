import Foundation
import XCTest
@testable import Convnet

/// `parallelFor` on the engine's worker pool: every part runs exactly once per call, the
/// caller sees every part's writes when it returns, and calls that find the pool busy
/// (nested, or from a second thread at once) still run correctly.
final class WorkerPoolTests: XCTestCase {
    func testEveryPartRunsOnce_perCall_asThePartCountChanges() {
        for count in [2, 3, 2, 5, 1, 4, 2] {
            for _ in 0..<200 {
                let hits = UnsafeMutablePointer<Int>.allocate(capacity: count)
                hits.initialize(repeating: 0, count: count)
                defer { hits.deallocate() }
                parallelFor(count) { hits[$0] += 1 }
                XCTAssertEqual(Array(UnsafeBufferPointer(start: hits, count: count)), Array(repeating: 1, count: count),
                               "\(count) parts")
            }
        }
    }

    /// After a pause long enough for the workers to stop spinning and sleep, a call wakes them.
    func testACallAfterTheWorkersSleep_wakesThem() {
        parallelFor(2) { _ in }
        Thread.sleep(forTimeInterval: Double(WorkerPool.spinNanoseconds) / 1e9 * 20)
        let ran = UnsafeMutablePointer<Int>.allocate(capacity: 2)
        ran.initialize(repeating: 0, count: 2)
        defer { ran.deallocate() }
        parallelFor(2) { ran[$0] += 1 }
        XCTAssertEqual([ran[0], ran[1]], [1, 1])
    }

    func testNestedAndConcurrentCalls_runOnTheFallback() {
        let outer = 2, inner = 3
        let hits = UnsafeMutablePointer<Int>.allocate(capacity: outer * inner)
        hits.initialize(repeating: 0, count: outer * inner)
        defer { hits.deallocate() }
        parallelFor(outer) { o in parallelFor(inner) { i in hits[o * inner + i] += 1 } }
        XCTAssertEqual(Array(UnsafeBufferPointer(start: hits, count: outer * inner)), Array(repeating: 1, count: outer * inner))

        // Two threads calling at once, many times: each call's parts all run, once.
        let calls = 300
        let sums = UnsafeMutablePointer<Int>.allocate(capacity: 2 * calls)
        sums.initialize(repeating: 0, count: 2 * calls)
        defer { sums.deallocate() }
        let box = UncheckedSendable(value: sums)
        DispatchQueue.concurrentPerform(iterations: 2) { caller in
            for call in 0..<calls {
                let parts = UnsafeMutablePointer<Int>.allocate(capacity: 4)
                parts.initialize(repeating: 0, count: 4)
                parallelFor(4) { parts[$0] += $0 + 1 }
                box.value[caller * calls + call] = (0..<4).reduce(0) { $0 + parts[$1] }
                parts.deallocate()
            }
        }
        XCTAssertEqual(Set(UnsafeBufferPointer(start: sums, count: 2 * calls)), [10])
    }
}
