import Foundation

/// One decompressed copy of each data set on the machine, shared by every kernel.
///
/// The first load of a data set split decodes its files (as a private load does)
/// and writes the result to a cache file; every later load, in this process or
/// another, maps that file read-only, so the images sit once in the page cache
/// however many kernels use them. Anything that goes wrong with the cache (a
/// folder that cannot be written, a full disk, a damaged file) falls back to the
/// private load: the learner gets the same data either way.
///
/// The folder is `$CONVNET_CACHE`, else `$XDG_CACHE_HOME/convnet-kernel`, else
/// `~/.cache/convnet-kernel`; `CONVNET_CACHE=off` turns the cache off.
public struct DatasetCache: Sendable {
    /// The environment variable that moves (or, set to `off`, disables) the cache.
    public static let folderVariable = "CONVNET_CACHE"

    /// The folder cache files go in; nil when the cache is off.
    public let folder: String?
    /// How long a load waits for another process that is building the same file
    /// before it stops waiting and decodes the files itself.
    public var lockWait: Double = 120

    public init(folder: String?) {
        self.folder = folder
    }

    /// The cache the environment names (see the type's documentation).
    public init(environment: [String: String]) {
        if let chosen = environment[Self.folderVariable], !chosen.isEmpty {
            folder = chosen == "off" ? nil : (chosen as NSString).expandingTildeInPath
        } else if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            folder = xdg + "/convnet-kernel"
        } else if let home = environment["HOME"], !home.isEmpty {
            folder = home + "/.cache/convnet-kernel"
        } else {
            folder = nil
        }
    }

    /// What a load did, for tests and logs.
    public enum Outcome: Equatable, Sendable {
        /// Mapped an existing cache file.
        case mapped
        /// Decoded the files, wrote the cache file and mapped it.
        case built
        /// Decoded the files into this process's memory; the reason the cache was not used.
        case privateLoad(reason: String)
    }

    /// The data set made from `sources`, through the cache when it can be used.
    ///
    /// - Parameters:
    ///   - key: A short name for the file ("fashion-mnist-train").
    ///   - sources: The files the data set is decoded from; their paths, sizes and
    ///     modification times are part of the cache's identity.
    ///   - build: The private load, run on a miss (its errors are the learner's:
    ///     a missing or damaged source file).
    /// - Returns: The data set and what was done.
    public func load(key: String, sources: [String], build: () throws -> Dataset) throws -> (Dataset, Outcome) {
        guard let folder else { return (try build(), .privateLoad(reason: "the cache is off")) }
        let identity: String
        do {
            identity = try Self.identity(of: sources)
        } catch {
            return (try build(), .privateLoad(reason: "\(error)"))
        }
        let path = folder + "/" + Self.fileName(key: key, identity: identity)
        if let hit = try? DatasetCacheFile.map(path: path, identity: identity) { return (hit, .mapped) }

        // A miss, or a damaged file: build it once, however many processes ask at once.
        let lock = CacheLock(path: path + ".lock", folder: folder, wait: lockWait)
        defer { lock?.release() }
        if lock != nil, let hit = try? DatasetCacheFile.map(path: path, identity: identity) { return (hit, .mapped) }
        let data = try build()
        guard lock != nil else { return (data, .privateLoad(reason: "cannot write in \(folder)")) }
        do {
            try DatasetCacheFile.write(data, identity: identity, to: path)
            let mapped = try DatasetCacheFile.map(path: path, identity: identity)
            return (mapped, .built)
        } catch {
            return (data, .privateLoad(reason: "\(error)"))
        }
    }

    /// Path, size and modification time of each source, one line each.
    static func identity(of sources: [String]) throws -> String {
        try sources.map { path in
            var status = stat()
            guard stat(path, &status) == 0 else {
                throw DataError.unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
            return "\(absolute) \(status.st_size) \(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
        }.joined(separator: "|")
    }

    /// `fashion-mnist-train-<16 hex digits of the identity's hash>.data`.
    static func fileName(key: String, identity: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a: the same on every machine and run
        for byte in identity.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        let safe = String(key.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
        let hex = String(hash, radix: 16)
        return "\(safe)-\(String(repeating: "0", count: 16 - hex.count))\(hex).data"
    }
}

/// An exclusive `flock` on a lock file beside a cache file, so that of many
/// processes loading the same data set for the first time one builds the file
/// and the others wait for it instead of decoding it too.
final class CacheLock {
    private let fd: Int32

    /// Takes the lock, waiting at most `wait` seconds for another holder; nil when
    /// the folder cannot be written (then nothing can be cached there).
    /// After `wait` the lock is taken anyway: the rename keeps readers safe.
    init?(path: String, folder: String, wait: Double) {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // flock needs only a descriptor: read-only, so a lock file another user made serves too.
        fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        guard access(folder, W_OK) == 0 else {
            close(fd)
            return nil
        }
        let deadline = Date().addingTimeInterval(wait)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno != EWOULDBLOCK && errno != EINTR { break }
            if Date() > deadline { break }
            usleep(20_000)
        }
    }

    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
