import Atomics

import JupyterProtocol
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The running cell's cancellation: set by interrupt_request (control thread) or
/// SIGINT (signal handler), read by the cell (shell thread) between steps.
///
/// Besides the flag there is a wake-up pipe, so a cell that waits (sleep, input)
/// wakes the moment it is cancelled instead of polling.
public final class Cancellation: Sendable {
    private let flag = ManagedAtomic<Bool>(false)
    /// Set when the kernel shuts down: from then on every cell starts cancelled.
    private let final = ManagedAtomic<Bool>(false)
    let wake = WakePipe()

    public init() {}

    public var isCancelled: Bool { flag.load(ordering: .acquiring) }

    /// Cancels the running cell (any thread).
    public func cancel() {
        flag.store(true, ordering: .releasing)
        wake.signal()
    }

    /// Cancels the running cell and every later one: the kernel is shutting down.
    public func cancelForever() {
        final.store(true, ordering: .releasing)
        cancel()
    }

    /// Clears the flag before a new cell starts: an interrupt that came while idle is dropped, as in ipykernel.
    /// After `cancelForever` it stays set.
    public func reset() {
        guard !final.load(ordering: .acquiring) else { return }
        flag.store(false, ordering: .releasing)
        wake.drain()
    }

    /// Sleeps until cancelled or `seconds` pass. Returns true if cancelled.
    public func wait(seconds: Double) -> Bool {
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        while true {
            // Checked after every wake-up and drain: cancel() sets the flag before it writes the pipe.
            if isCancelled { return true }
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let elapsed = Double(now.tv_sec - start.tv_sec) + Double(now.tv_nsec - start.tv_nsec) / 1e9
            let remaining = seconds - elapsed
            if remaining <= 0 { return false }
            if wake.wait(seconds: remaining) && !isCancelled {
                wake.drain()  // a stale byte from an earlier cell; drop it or the loop would spin
            }
        }
    }

    /// Makes SIGINT cancel this object's cell (as interrupt_request does), instead of killing the process.
    public func installSIGINTHandler() {
        sigintFlag = Unmanaged.passRetained(flag)
        sigintWakeFD = wake.writeFD
        signal(SIGINT) { _ in
            // Only an atomic store and write(2): both are async-signal-safe.
            sigintFlag?.takeUnretainedValue().store(true, ordering: .releasing)
            var byte: UInt8 = 1
            _ = write(sigintWakeFD, &byte, 1)
        }
    }
}

// Written once before the handler is installed, then only read by the C signal handler.
nonisolated(unsafe) private var sigintFlag: Unmanaged<ManagedAtomic<Bool>>?
nonisolated(unsafe) private var sigintWakeFD: Int32 = -1
