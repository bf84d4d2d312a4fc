import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Ends the kernel when the process that started it exits, as ipykernel's `ParentPollerUnix` does.
///
/// jupyter_client puts its own pid in `JPY_PARENT_PID` when it launches a kernel; a kernel
/// launched that way belongs to that process. When a notebook server dies without shutting its
/// kernels down (JupyterHub stops a server with a signal; a server crashes), the kernel is
/// reparented to init or to a subreaper: `getppid()` changes, and the watch shuts the kernel down.
///
/// Polling `getppid()` on a timer rather than `prctl(PR_SET_PDEATHSIG)`: the death signal fires
/// when the parent *thread* that forked exits, so a server that launches kernels from a worker
/// thread would kill them when that thread ends; and it fires before the kernel has set up its
/// handlers if the parent dies during exec. One `getppid` every half second costs nothing.
public enum ParentWatch {
    /// The parent to watch, or nil when there is none: `JPY_PARENT_PID` unset or not a pid (a kernel
    /// started by hand from a shell keeps running when that shell exits, as ipykernel's does), or the
    /// kernel already a child of init, which is never replaced.
    ///
    /// The watched process is the kernel's own parent even when `JPY_PARENT_PID` names another one
    /// (a wrapper script between them): its exit is what reparents the kernel.
    /// - Parameters:
    ///   - jpyParentPID: the value of `JPY_PARENT_PID`, if set.
    ///   - parent: the kernel's parent pid now (`getppid()`).
    public static func parentToWatch(jpyParentPID: String?, parent: pid_t) -> pid_t? {
        guard let named = jpyParentPID.flatMap({ Int32($0) }), named > 1 else { return nil }
        return parent > 1 ? parent : nil
    }

    /// Starts the watch on its own thread when the environment asks for one (see `parentToWatch`).
    /// - Parameters:
    ///   - interval: seconds between two checks; the kernel ends within about this long of its parent.
    ///   - onParentExit: called once, on the watch thread, with a line saying why the kernel stops.
    /// - Returns: the pid watched, or nil when nothing is watched.
    @discardableResult
    public static func start(
        interval: Double = 0.5, logger: Logger, onParentExit: @escaping @Sendable (String) -> Void
    ) -> pid_t? {
        let variable = getenv("JPY_PARENT_PID").map { String(cString: $0) }
        guard let parent = parentToWatch(jpyParentPID: variable, parent: getppid()) else {
            logger.debug("no parent to watch (JPY_PARENT_PID: \(variable ?? "unset"), parent \(getppid()))")
            return nil
        }
        logger.debug("watching parent process \(parent)")
        KernelThread.start(name: "parent-watch") {
            while getppid() == parent {
                usleep(UInt32(interval * 1_000_000))
            }
            onParentExit("the parent process \(parent) exited (now a child of \(getppid())): shutting down")
        }
        return parent
    }
}
