import Foundation

/// The memory the system lets this process have: the limit of the cgroup it runs in.
///
/// On a JupyterHub every student's server runs under a memory limit (cgroup v2's
/// `memory.max`, v1's `memory.limit_in_bytes`). A net that allocates past it is killed by
/// the OOM killer and the session is lost; a net cap below it turns the same mistake into
/// an error in the cell.
public enum MemoryLimit {
    /// The share of the cgroup's limit a net may claim: the rest is for the kernel itself,
    /// its data sets and whatever else runs in the same cgroup (the notebook server, a second kernel).
    public static let netFraction = 0.5

    /// The net memory cap: `defaultCap`, or `netFraction` of the cgroup's limit when that is lower.
    public static func netCap(default defaultCap: Int, cgroupLimit: Int? = MemoryLimit.cgroupLimit()) -> Int {
        guard let limit = cgroupLimit else { return defaultCap }
        return min(defaultCap, max(1, Int(Double(limit) * netFraction)))
    }

    /// The lowest memory limit of this process's cgroups and their ancestors, in bytes;
    /// nil when there is none (or the files cannot be read).
    ///
    /// - Parameters:
    ///   - cgroupFile: Lists the process's cgroups (`0::/user.slice/...` for v2,
    ///     `4:memory:/docker/abc` for v1's memory controller).
    ///   - mountinfoFile: Says where each hierarchy is mounted (and which part of it, in a container).
    public static func cgroupLimit(cgroupFile: String = "/proc/self/cgroup",
                                   mountinfoFile: String = "/proc/self/mountinfo") -> Int? {
        guard let cgroups = try? String(contentsOfFile: cgroupFile, encoding: .utf8) else { return nil }
        let mounts = (try? String(contentsOfFile: mountinfoFile, encoding: .utf8)).map(CgroupMount.parse) ?? []
        var limits: [Int] = []
        for line in cgroups.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { continue }
            let isV2 = fields[0] == "0" && fields[1].isEmpty
            let isV1Memory = fields[1].split(separator: ",").contains("memory")
            guard isV2 || isV1Memory else { continue }
            let file = isV2 ? "memory.max" : "memory.limit_in_bytes"
            let candidates = mounts.filter { isV2 ? $0.isV2 : $0.hasMemoryController }
            let fallback = CgroupMount(root: "/", point: isV2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/memory",
                                       isV2: isV2, hasMemoryController: !isV2)
            for mount in candidates.isEmpty ? [fallback] : candidates {
                if let limit = lowestLimit(of: mount.folder(for: fields[2]), upTo: mount.point, file: file) {
                    limits.append(limit)
                }
            }
        }
        return limits.min()
    }

    /// The lowest limit in `folder` and the folders above it, up to the mount point.
    static func lowestLimit(of folder: String, upTo top: String, file: String) -> Int? {
        var lowest: Int?
        var current = folder
        while true {
            if let text = try? String(contentsOfFile: current + "/" + file, encoding: .utf8),
               let limit = parseLimit(text) {
                lowest = min(lowest ?? limit, limit)
            }
            if current == top || current.count <= top.count || !current.hasPrefix(top) { break }
            current = (current as NSString).deletingLastPathComponent
        }
        return lowest
    }

    /// A limit file's value: bytes, or nil for "max" (v2) and v1's "unlimited" (about 2^63).
    static func parseLimit(_ text: String) -> Int? {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard value != "max", let bytes = Int(value), bytes > 0, bytes < 1 << 60 else { return nil }
        return bytes
    }
}

/// One cgroup hierarchy's mount, from a line of /proc/self/mountinfo.
struct CgroupMount: Equatable {
    /// The part of the hierarchy mounted there ("/" on a host, the container's own cgroup in some containers).
    var root: String
    /// Where it is mounted (/sys/fs/cgroup, /sys/fs/cgroup/memory).
    var point: String
    var isV2: Bool
    var hasMemoryController: Bool

    /// The folder of cgroup `path` (as /proc/self/cgroup names it) under this mount.
    func folder(for path: String) -> String {
        var relative = path
        if root != "/" {
            // A path outside the mounted part (another namespace's view): the mount itself is ours.
            guard path == root || path.hasPrefix(root + "/") else { return point }
            relative = String(path.dropFirst(root.count))
        }
        let trimmed = relative.hasSuffix("/") ? String(relative.dropLast()) : relative
        return trimmed.isEmpty ? point : point + trimmed
    }

    /// The cgroup mounts of a mountinfo file:
    /// `36 25 0:31 / /sys/fs/cgroup/memory rw,nosuid shared:15 - cgroup cgroup rw,memory`.
    static func parse(_ mountinfo: String) -> [CgroupMount] {
        mountinfo.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ").map(String.init)
            guard let dash = fields.firstIndex(of: "-"), dash >= 5, fields.count > dash + 3 else { return nil }
            let type = fields[dash + 1]
            guard type == "cgroup" || type == "cgroup2" else { return nil }
            let options = fields[dash + 3].split(separator: ",")
            return CgroupMount(root: unescape(fields[3]), point: unescape(fields[4]), isV2: type == "cgroup2",
                               hasMemoryController: options.contains("memory"))
        }
    }

    /// mountinfo writes a space as \040, a tab as \011, a backslash as \134.
    static func unescape(_ field: String) -> String {
        guard field.contains("\\") else { return field }
        var bytes: [UInt8] = []
        var utf8 = Array(field.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "\\"), utf8.count >= 3, let code = UInt8(String(decoding: utf8.prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(code)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
