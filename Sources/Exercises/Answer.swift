import Convnet

// The contract between the exercise bank and the language. The language turns a
// learner's value into an `Answer`, asks the bank, and shows the `Verdict`.

/// A learner's answer, in the forms the language can produce.
///
/// The bank reads an answer generously (see `Answer+Reading.swift`): the volume
/// 24x24x8, the list `[24, 24, 8]`, `.list` of three numbers and the text
/// `"24 x 24 x 8"` are all the same answer.
public enum Answer: Sendable {
    case number(Double)
    /// A volume or a shape: `24x24x8`, `[24, 24, 8]`, `5x5`.
    case dimensions([Int])
    case list([Answer])
    case text(String)
    case bool(Bool)
    /// A trained net, for "train a net to a stated accuracy" (checked on held-out images).
    case net(TrainedNet)
}

/// A net handed to the bank to be checked.
///
/// `Network` is a class meant for one thread at a time. The language hands a net
/// over on the thread that runs the cell, and the checker uses it there and then,
/// before `answer` returns, so the net is never used from two threads at once.
public struct TrainedNet: @unchecked Sendable {
    public let network: Network

    public init(_ network: Network) {
        self.network = network
    }
}
