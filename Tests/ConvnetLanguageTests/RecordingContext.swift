import Foundation
import JupyterProtocol

/// An `ExecutionContext` that records what a cell sends, for tests.
final class RecordingContext: ExecutionContext, @unchecked Sendable {
    enum Output: Equatable {
        case stream(StreamName, String)
        case display(MimeBundle, displayID: String?, update: Bool)
        case clear(wait: Bool)
    }

    var executionCount = 1
    var isSilent = false
    /// Set from another thread to interrupt; or after `cancelAfterChecks` reads.
    private let lock = NSLock()
    private var cancelled = false
    var cancelAfterChecks: Int?
    private var checks = 0
    var inputs: [String] = []
    var allowInput = true
    private(set) var outputs: [Output] = []
    private(set) var prompts: [String] = []

    /// When set, the cell is interrupted once this time has passed (a runaway cell's guard).
    private let deadline: Date?

    init(cancelAfter seconds: Double? = nil) {
        deadline = seconds.map { Date().addingTimeInterval($0) }
    }

    var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        checks += 1
        if let limit = cancelAfterChecks, checks > limit { cancelled = true }
        if let deadline, Date() > deadline { cancelled = true }
        return cancelled
    }

    func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }

    func stream(_ name: StreamName, _ text: String) { outputs.append(.stream(name, text)) }

    func display(_ bundle: MimeBundle, displayID: String?, update: Bool) {
        outputs.append(.display(bundle, displayID: displayID, update: update))
    }

    func clearOutput(wait: Bool) { outputs.append(.clear(wait: wait)) }

    func input(prompt: String, password: Bool) throws -> String {
        guard allowInput else { throw InputError.notAllowed }
        prompts.append(prompt)
        return inputs.isEmpty ? "" : inputs.removeFirst()
    }

    var stdout: String { text(.stdout) }
    var stderr: String { text(.stderr) }

    private func text(_ name: StreamName) -> String {
        outputs.compactMap { if case .stream(name, let t) = $0 { return t } else { return nil } }.joined()
    }

    var displays: [(bundle: MimeBundle, displayID: String?, update: Bool)] {
        outputs.compactMap { if case .display(let b, let id, let u) = $0 { return (b, id, u) } else { return nil } }
    }
}
