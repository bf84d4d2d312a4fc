import Convnet
import Foundation

/// A learner's exercise progress kept in a small JSON file in their home, so that it
/// survives a kernel restart and a culled server:
/// `$CONVNET_PROGRESS`, else `$XDG_DATA_HOME/convnet-kernel/progress.json`, else
/// `~/.local/share/convnet-kernel/progress.json`.
///
///     {"version": 1, "exercises": {"volume-cifar": {"attempts": 2, "solved": true}}}
///
/// Nothing here fails a cell: a file that cannot be read as progress is set aside
/// (renamed, so nothing is lost) and a fresh record starts; a folder that cannot be
/// written keeps the progress in memory. Each case comes back as a note for the learner.
public struct ExerciseProgressFile: Sendable, Equatable {
    /// The environment variable naming the file (`off`: keep progress in memory only).
    public static let pathVariable = "CONVNET_PROGRESS"
    static let version = 1

    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The file the environment names; nil when it names none (`CONVNET_PROGRESS=off`, no home).
    public init?(environment: [String: String]) {
        if let chosen = environment[Self.pathVariable], !chosen.isEmpty {
            if chosen == "off" { return nil }
            path = (chosen as NSString).expandingTildeInPath
        } else if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            path = data + "/convnet-kernel/progress.json"
        } else if let home = environment["HOME"], !home.isEmpty {
            path = home + "/.local/share/convnet-kernel/progress.json"
        } else {
            return nil
        }
    }

    /// The saved progress (empty when there is no file yet), and a note for the learner
    /// when the file was damaged and set aside, or could not be read.
    public func load() -> (progress: ExerciseProgress, note: String?) {
        switch read() {
        case .success(let progress): return (progress, nil)
        case .failure(.unreadable(let reason)):
            return (ExerciseProgress(), "Note: your saved exercise progress (\(path)) cannot be read (\(reason)); this session's progress is kept in memory only.")
        case .failure(.damaged(let reason)):
            return (ExerciseProgress(), setAside(reason: reason))
        }
    }

    /// Adds `progress` to what the file holds (another notebook of the same learner may
    /// have saved meanwhile) and writes the result atomically.
    /// - Returns: The merged progress, and a note when it could not be saved.
    public func save(_ progress: ExerciseProgress) -> (progress: ExerciseProgress, note: String?) {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            return (progress, unsaved("cannot create \(folder)"))
        }
        return withFolderLocked(folder) {
            var merged = progress
            var note: String?
            switch read() {
            case .success(let saved): merged = saved.merged(with: progress)
            case .failure(.damaged(let reason)): note = setAside(reason: reason, locked: true)
            case .failure(.unreadable(let reason)): return (progress, unsaved(reason))
            }
            do {
                try AtomicFile.write(to: path) { try $0.write(Self.encode(merged)) }
            } catch {
                return (progress, unsaved("\(error)"))
            }
            return (merged, note)
        }
    }

    // MARK: The file

    enum ReadFailure: Error {
        case unreadable(String)
        case damaged(String)
    }

    func read() -> Result<ExerciseProgress, ReadFailure> {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch CocoaError.fileReadNoSuchFile {
            return .success(ExerciseProgress())
        } catch {
            var isFolder: ObjCBool = false
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) { return .success(ExerciseProgress()) }
            return .failure(isFolder.boolValue ? .damaged("it is a folder") : .unreadable("permission denied"))
        }
        return Self.decode(data).mapError { .damaged($0.reason) }
    }

    struct DecodeFailure: Error { var reason: String }

    static func decode(_ data: Data) -> Result<ExerciseProgress, DecodeFailure> {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return .failure(DecodeFailure(reason: "it is not a JSON object"))
        }
        guard object["version"] as? Int == version else {
            return .failure(DecodeFailure(reason: "it has no version \(version)"))
        }
        guard let exercises = object["exercises"] as? [String: Any] else {
            return .failure(DecodeFailure(reason: "it has no \"exercises\" object"))
        }
        var entries: [(id: String, attempts: Int, solved: Bool)] = []
        for (id, value) in exercises {
            guard let fields = value as? [String: Any], let attempts = fields["attempts"] as? Int, attempts >= 0,
                  let solved = fields["solved"] as? Bool
            else {
                return .failure(DecodeFailure(reason: "the entry for \"\(id)\" is not {\"attempts\": n, \"solved\": true/false}"))
            }
            entries.append((id, attempts, solved))
        }
        return .success(ExerciseProgress(entries: entries))
    }

    static func encode(_ progress: ExerciseProgress) -> [UInt8] {
        var exercises: [String: Any] = [:]
        for entry in progress.entries { exercises[entry.id] = ["attempts": entry.attempts, "solved": entry.solved] }
        let object: [String: Any] = ["version": version, "exercises": exercises]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])) ?? Data()
        return [UInt8](data) + [UInt8(ascii: "\n")]
    }

    // MARK: Helpers

    /// Renames a damaged file to `progress.json.damaged-<UTC time>` and says so.
    private func setAside(reason: String, locked: Bool = false) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        let move = { () -> String in
            // Under the lock, look again: another kernel may have replaced it meanwhile.
            if case .failure(.damaged) = read() {
                let stamp = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withYear, .withMonth, .withDay, .withTime])
                let aside = "\(path).damaged-\(stamp)-\(getpid())"
                if rename(path, aside) == 0 {
                    return "Note: your saved exercise progress (\(path)) was damaged (\(reason)); it was moved to \(aside) and a new record started."
                }
                return "Note: your saved exercise progress (\(path)) is damaged (\(reason)) and could not be moved aside (\(String(cString: strerror(errno)))); this session's progress is kept in memory only."
            }
            return "Note: your saved exercise progress (\(path)) was replaced while it was read; the new one is used."
        }
        return locked ? move() : withFolderLocked(folder, move)
    }

    private func unsaved(_ reason: String) -> String {
        "Note: your exercise progress cannot be saved to \(path) (\(reason)); it is kept for this session only."
    }

    /// Runs `body` holding an exclusive lock on the folder, so that two kernels of one
    /// learner do not both merge and write at once (waits at most 5 s, then goes on).
    private func withFolderLocked<T>(_ folder: String, _ body: () -> T) -> T {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return body() }
        defer { close(fd) }
        var tries = 0
        while flock(fd, LOCK_EX | LOCK_NB) != 0 && tries < 250 {
            usleep(20_000)
            tries += 1
        }
        defer { flock(fd, LOCK_UN) }
        return body()
    }
}
