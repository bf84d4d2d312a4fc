import JupyterProtocol
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts detached POSIX threads (the heartbeat, control and iopub loops) without Foundation.
public enum KernelThread {
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    /// Runs `body` on a new detached thread; `name` says which loop it is (for readers and logs).
    public static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { argument in
            let body = Unmanaged<Body>.fromOpaque(argument!).takeRetainedValue()
            body.run()
            return nil
        }, box)
        precondition(rc == 0, "pthread_create failed: \(rc)")
        pthread_detach(thread)
    }
}

/// A self-pipe that wakes a thread waiting in zmq_poll or poll(2). `signal()` only
/// calls write(2), so a signal handler may call it.
public final class WakePipe: @unchecked Sendable {
    // The two descriptors never change after init; reads and writes on a pipe are thread-safe.
    public let readFD: Int32
    public let writeFD: Int32

    public init() {
        var fds: [Int32] = [-1, -1]
        let rc = pipe(&fds)
        precondition(rc == 0, "pipe() failed")
        readFD = fds[0]
        writeFD = fds[1]
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        _ = fcntl(readFD, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeFD, F_SETFD, FD_CLOEXEC)
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    public func signal() {
        var byte: UInt8 = 1
        _ = write(writeFD, &byte, 1)
    }

    /// Empties the pipe so the next wait blocks again.
    public func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readFD, &buffer, buffer.count) > 0 {}
    }

    /// Waits until signalled or `seconds` pass; returns true if signalled.
    public func wait(seconds: Double) -> Bool {
        var item = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        var remaining = max(0, seconds)
        while true {
            let slice = min(remaining, 3600)
            let rc = poll(&item, 1, Int32((slice * 1000).rounded(.up)))
            if rc > 0 { return true }
            if rc < 0 && errno == EINTR { continue }
            remaining -= slice
            if remaining <= 0 { return false }
        }
    }
}
