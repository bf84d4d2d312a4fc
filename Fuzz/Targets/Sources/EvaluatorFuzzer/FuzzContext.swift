import Foundation
import FuzzSupport
import JupyterProtocol

/// The server's side of a cell, as a test double: outputs are encoded as the server would
/// send them and then dropped; the interrupt button is pressed by a budget.
///
/// `isCancelled` turns true after `pollBudget` checks (deterministic: the same input stops
/// at the same place) or after `secondsBudget` of wall time (a backstop for work that checks
/// rarely), as if the learner pressed stop. A cell that ignores it runs into libFuzzer's
/// `-timeout` and is reported as a hang. `sleep` runs on a virtual clock.
final class FuzzContext: ExecutionContext {
    let executionCount: Int
    let isSilent: Bool
    private let pollBudget: Int
    private let deadline: ContinuousClock.Instant
    private var polls = 0
    private var virtualSecondsLeft: Double
    private var cancelled = false
    /// The line `input()` returns; nil refuses input as a request with allow_stdin false does.
    private let inputLine: String?
    private(set) var outputBytes = 0

    init(executionCount: Int, isSilent: Bool, inputLine: String?, pollBudget: Int = 20_000, secondsBudget: Double = 0.5) {
        self.executionCount = executionCount
        self.isSilent = isSilent
        self.inputLine = inputLine
        self.pollBudget = pollBudget
        self.deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(secondsBudget * 1000)))
        self.virtualSecondsLeft = secondsBudget
    }

    var isCancelled: Bool {
        if cancelled { return true }
        polls += 1
        if polls > pollBudget || ContinuousClock.now > deadline { cancelled = true }
        return cancelled
    }

    func stream(_ name: StreamName, _ text: String) {
        outputBytes += JSON.object(["name": .string(name.rawValue), "text": .string(text)]).encoded().count
    }

    func display(_ bundle: MimeBundle, displayID: String?, update: Bool) {
        invariant(!bundle.data.isEmpty, "a display with no data")
        outputBytes += JSON.object(bundle.data).encoded().count + JSON.object(bundle.metadata).encoded().count
    }

    func clearOutput(wait: Bool) {}

    func input(prompt: String, password: Bool) throws -> String {
        guard let inputLine else { throw InputError.notAllowed }
        if isCancelled { throw InputError.interrupted }
        return inputLine
    }

    /// A sleep longer than what is left of the budget is interrupted at once; a shorter one
    /// spends virtual time and returns at once.
    func waitUntilCancelled(seconds: Double) -> Bool {
        if isCancelled { return true }
        guard seconds < virtualSecondsLeft else {
            cancelled = true
            return true
        }
        virtualSecondsLeft -= max(0, seconds)
        return false
    }
}
