import Atomics
import CCPUID
import Foundation

/// The engine's worker threads for `parallelFor`: part 0 runs on the calling thread, the
/// others on threads that live on between calls and, once done, spin a little before they
/// sleep. A training batch is a few milliseconds with a short serial step between two
/// (the optimizer, the next batch's pixels); waking a sleeping thread for every batch, as
/// `DispatchQueue.concurrentPerform` does, costs tens of microseconds on a VM (an
/// inter-processor interrupt through the hypervisor) and left the second core idle a tenth
/// of the time (BENCHMARKS.md). OpenMP runtimes, PyTorch's among them, wait the same way.
///
/// One call at a time: a call that finds the pool busy (from another thread, or nested)
/// runs on `concurrentPerform` instead.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    /// How long a worker spins for the next call before it sleeps: longer than the serial
    /// step between two batches, short enough that an idle kernel sleeps at once to the eye.
    static let spinNanoseconds: UInt64 = 200_000

    private let inUse = ManagedAtomic<Bool>(false)
    /// Bumped by each call; a worker runs its part when it sees a new value.
    private let generation = ManagedAtomic<Int>(0)
    /// Workers that have not yet answered the current call.
    private let running = ManagedAtomic<Int>(0)
    /// The current call: written before `generation` is bumped, read after it is seen.
    private var body: ((Int) -> Void)?
    private var parts = 0

    private let sleep = NSCondition()
    private var sleepers = 0
    /// Guarded by `sleep`'s lock; threads are only ever added.
    private var workers = 0

    /// Runs `body(0..<count)`, part 0 on this thread; returns when every part is done.
    func run(_ count: Int, _ body: (Int) -> Void) {
        guard inUse.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            withoutActuallyEscaping(body) { escapable in
                let box = UncheckedSendable(value: escapable)
                DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
            }
            return
        }
        defer { inUse.store(false, ordering: .releasing) }
        withoutActuallyEscaping(body) { escapable in
            self.body = escapable
            parts = count
            sleep.lock()
            while workers < count - 1 { startWorker(index: workers + 1) }
            // Every worker answers every call, those past its parts at once.
            running.store(workers, ordering: .relaxed)
            generation.wrappingIncrement(ordering: .releasing)
            if sleepers > 0 { sleep.broadcast() }
            sleep.unlock()
            escapable(0)
            while running.load(ordering: .acquiring) > 0 { ccpuid_spin_pause() }
            self.body = nil
        }
    }

    /// Called with `sleep` locked.
    private func startWorker(index: Int) {
        workers += 1
        let seen = generation.load(ordering: .relaxed)
        let thread = Thread { [unowned self] in self.work(index: index, seen: seen) }
        thread.name = "convnet-worker-\(index)"
        thread.stackSize = 8 << 20
        thread.start()
    }

    private func work(index: Int, seen start: Int) {
        var seen = start
        while true {
            seen = waitForCall(after: seen)
            // A worker beyond this call's parts (an earlier call had more) sits it out.
            if index < parts { body!(index) }
            running.wrappingDecrement(ordering: .releasing)
        }
    }

    /// Spins for a new generation, then sleeps for it; returns it.
    private func waitForCall(after seen: Int) -> Int {
        let deadline = DispatchTime.now().uptimeNanoseconds + Self.spinNanoseconds
        var spins = 0
        while true {
            let now = generation.load(ordering: .acquiring)
            if now != seen { return now }
            spins += 1
            if spins & 63 == 0 && DispatchTime.now().uptimeNanoseconds > deadline { break }
            ccpuid_spin_pause()
        }
        sleep.lock()
        defer { sleep.unlock() }
        sleepers += 1
        while generation.load(ordering: .acquiring) == seen { sleep.wait() }
        sleepers -= 1
        return generation.load(ordering: .acquiring)
    }
}
