import Convnet

/// The memory checks the built-ins make before the engine allocates. How much a net
/// needs is the engine's estimate (`Network.checkMemory`), made for the batch a learner
/// trains with by default, so a net too large to train is refused when it is built.
extension Limits {
    /// The batch `sequential` and `add` check a net for: `train`'s default batch.
    static let checkedBatch = TrainingOptions().batchSize

    /// Refuses a volume whose values alone pass the cap (an input volume, convolve's output),
    /// in floating point, before any integer arithmetic on its sizes.
    func checkValues(of volume: Volume, what: String) throws(LanguageError) {
        let bytes = Network.values(in: volume) * Double(MemoryLayout<Float>.size)
        if bytes > Double(memoryBytes) {
            throw LanguageError(.valuesOverMemory(subject: what, bytes: bytes, limit: memoryBytes))
        }
    }
}
