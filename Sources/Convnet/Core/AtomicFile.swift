import Foundation

/// Writes a file so that no reader ever sees half of it: into a new file beside it
/// (the same folder, so the same filesystem), flushed to disk, then renamed over the
/// final name, and the folder flushed so the rename lasts too.
///
/// Used for the data set cache that many kernels map, and for the learner's progress file.
public enum AtomicFile {
    /// A system call that failed, with the file and the system's reason.
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Sends bytes to the temporary file.
    public struct Writer {
        fileprivate let fd: Int32
        fileprivate let path: String

        /// Writes all of `bytes` (retrying short writes and interruptions).
        public func write(_ bytes: UnsafeRawBufferPointer) throws {
            var done = 0
            while done < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
                done += n
            }
        }

        public func write(_ bytes: [UInt8]) throws {
            try bytes.withUnsafeBytes { try write($0) }
        }

        /// Bytes written so far.
        public var offset: Int { Int(lseek(fd, 0, SEEK_CUR)) }
    }

    /// Writes `path` from what `body` sends; on any error the temporary file is removed
    /// and `path` is as it was.
    /// - Throws: `WriteError` (a read-only folder, a full disk), or what `body` throws.
    public static func write(to path: String, permissions: mode_t = 0o644, _ body: (Writer) throws -> Void) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (folder.isEmpty ? "" : folder + "/") + ".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
        guard fd >= 0 else { throw WriteError(path: temporary, reason: String(cString: strerror(errno))) }
        var renamed = false
        defer {
            close(fd)
            if !renamed { unlink(temporary) }
        }
        try body(Writer(fd: fd, path: temporary))
        guard fsync(fd) == 0 else { throw WriteError(path: temporary, reason: String(cString: strerror(errno))) }
        guard rename(temporary, path) == 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        renamed = true
        let dir = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }
}
