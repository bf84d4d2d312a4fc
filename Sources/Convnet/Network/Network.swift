import Foundation

/// A sequential net: an input volume and a list of layers, with all its parameters in one
/// block of Float32 and the buffers for a batch sized once, when a batch size is first seen.
///
/// Building a net checks every layer's volumes (shape inference) and the memory cap, and
/// draws the weights from `seed`, so two nets built alike are identical.
///
/// Work on a batch is split into contiguous runs of images, one per worker thread
/// (`threads`); each worker runs the whole forward and backward pass on its images with
/// its own gradient block, and the blocks are summed before the optimizer steps. Results
/// are bit-for-bit reproducible for a given number of threads.
///
/// A `Network` is not thread-safe: use it from one thread at a time.
public final class Network {
    /// The memory cap used when none is given: 4 GB (the language's default too).
    public static let defaultMemoryLimit = 4 << 30

    public let inputVolume: Volume
    /// The layers as described, in order.
    public let specs: [LayerSpec]
    /// `volumes[0]` is the input; `volumes[i]` is the output of layer i (from 1).
    public let volumes: [Volume]
    /// Weights plus biases of each layer, in order.
    public let parameterCounts: [Int]
    public let parameterCount: Int
    /// The seed the weights were drawn from (dropout masks also derive from it).
    public let seed: UInt64
    public let initialization: Initialization
    /// Bytes a net may claim for its parameters, their gradients and optimizer state,
    /// and its activations for a batch.
    public let memoryLimit: Int
    /// Worker threads for a batch (1 or more); images are split among them.
    public var threads: Int {
        didSet { threads = max(1, threads) }
    }

    public var outputVolume: Volume { volumes[volumes.count - 1] }
    /// Number of classes (values per image) the last layer gives.
    public var classCount: Int { outputVolume.count }

    let layers: [Layer]
    /// Where each layer's parameters start in `parameters`.
    let parameterOffsets: [Int]
    let parameters: UnsafeMutablePointer<Float>
    /// Training steps taken (dropout masks hash it).
    var step: UInt64 = 0
    /// Whether training and evaluation run a relu before a max pool inside the pool (see
    /// `maxPoolTakingRelu`); tests turn it off to compare.
    var fusesReluIntoPools = true

    // Buffers for a batch, grown (never per batch) when a larger batch is first seen.
    private(set) var capacity = 0
    var activations: [UnsafeMutablePointer<Float>] = []
    var activationGradients: [UnsafeMutablePointer<Float>] = []
    var workerGradients: [UnsafeMutablePointer<Float>] = []
    var workerScratch: [UnsafeMutablePointer<Float>] = []
    /// Each worker's summed loss and count of right answers for the batch.
    /// Allocated in init after its checks: a default value here leaked when init threw.
    var workerResults: UnsafeMutablePointer<(Double, Int)>
    /// Per layer, what forward keeps for backward in training (nil when a layer keeps nothing
    /// or no training batch has been seen); sized for `savedCapacity` images.
    var savedBuffers: [UnsafeMutablePointer<Float>?] = []
    private(set) var savedCapacity = 0

    /// Builds a net and draws its weights.
    /// - Parameters:
    ///   - input: the volume of one input image (28x28x1 for MNIST).
    ///   - layers: the layers in order; a dense layer reads any volume flat.
    ///   - seed: seeds the weights (and dropout), for reproducible runs.
    ///   - initialization: He (default, for relu nets) or Glorot.
    ///   - memoryLimit: bytes the net may use; a layer over it is refused before allocating.
    ///   - threads: worker threads for a batch (default: 2, or 1 on a one-core machine).
    ///   - checkedBatch: the batch the memory check assumes now (`checkMemory`): 1 refuses
    ///     only a net that cannot hold one image; a caller that will train with a known batch
    ///     (the language: 32) passes it, so the net is refused when built, not when trained.
    ///     Each real batch is checked exactly when it is first seen.
    /// - Throws: `ConvnetError` naming the first layer whose volumes do not fit, whose
    ///   settings are impossible, or that is too large.
    public init(input: Volume, layers specs: [LayerSpec], seed: UInt64 = 1,
                initialization: Initialization = .he,
                memoryLimit: Int = Network.defaultMemoryLimit, threads: Int? = nil, checkedBatch: Int = 1) throws {
        if input.width < 1 || input.height < 1 || input.depth < 1 {
            throw ConvnetError.invalidOption("the input volume \(input) must be at least 1x1x1")
        }
        if specs.isEmpty {
            throw ConvnetError.invalidOption("a net needs at least one layer")
        }
        let volumes = try Network.inferVolumes(input: input, layers: specs)
        // Before any count in Int: past the cap, the counts themselves could overflow.
        try Network.checkMemory(volumes: volumes, layers: specs, batch: checkedBatch, limit: memoryLimit)
        var counts: [Int] = []
        var offsets: [Int] = []
        var total = 0
        for (i, spec) in specs.enumerated() {
            let count = spec.parameterCount(for: volumes[i])
            offsets.append(total)
            counts.append(count)
            total += count
        }
        self.inputVolume = input
        self.specs = specs
        self.volumes = volumes
        self.parameterCounts = counts
        self.parameterOffsets = offsets
        self.parameterCount = total
        self.seed = seed
        self.initialization = initialization
        self.memoryLimit = memoryLimit
        self.threads = max(1, threads ?? min(2, ProcessInfo.processInfo.activeProcessorCount))
        self.parameters = .allocate(capacity: max(1, total))
        self.parameters.initialize(repeating: 0, count: max(1, total))
        self.workerResults = .allocate(capacity: 1)
        self.layers = specs.indices.map { makeLayer(specs[$0], input: volumes[$0], output: volumes[$0 + 1]) }
        for (i, layer) in layers.enumerated() { layer.bind(parameters: parameters + offsets[i]) }
        BLASThreads.useOne()
        reinitialize(seed: seed)
    }

    deinit {
        parameters.deallocate()
        releaseBuffers()
        releaseSaved()
        workerResults.deallocate()
    }

    /// The volumes a list of layers makes from `input`: `[input, after layer 1, ...]`.
    /// - Throws: `ConvnetError` for the first layer that does not fit.
    public static func inferVolumes(input: Volume, layers: [LayerSpec]) throws -> [Volume] {
        var volumes = [input]
        for (i, spec) in layers.enumerated() {
            volumes.append(try spec.outputVolume(for: volumes[i], layerIndex: i + 1))
        }
        return volumes
    }

    /// Draws all weights again from `seed` (biases to zero).
    public func reinitialize(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for layer in layers { layer.initialize(&rng, scheme: initialization) }
        step = 0
    }

    /// All parameters, layer after layer (each layer's weights, then its biases).
    public var parameterValues: [Float] {
        get { Array(UnsafeBufferPointer(start: parameters, count: parameterCount)) }
        set {
            precondition(newValue.count == parameterCount, "expected \(parameterCount) parameters")
            newValue.withUnsafeBufferPointer { parameters.update(from: $0.baseAddress!, count: parameterCount) }
        }
    }

    /// Index ranges of `parameterValues` that take L1/L2 decay (weights, not biases).
    var decayedRanges: [Range<Int>] {
        layers.indices.compactMap { i in
            let w = layers[i].weightCount
            return w > 0 ? parameterOffsets[i]..<(parameterOffsets[i] + w) : nil
        }
    }

    // MARK: Buffers

    /// Makes sure the buffers hold a batch of `images`, growing them if needed.
    /// - Throws: `ConvnetError.tooLarge` before allocating when the batch would pass the cap.
    func reserve(images: Int, training: Bool) throws {
        try reserve(images: images)
        guard training, images > savedCapacity else { return }
        let bytes = layers.reduce(0) { $0 + $1.savedCount } * images * MemoryLayout<Float>.size
        if bytes + allocatedBytes > memoryLimit {
            let widest = layers.indices.max { layers[$0].savedCount < layers[$1].savedCount } ?? 0
            throw ConvnetError.tooLarge(layerIndex: widest + 1, layer: "\(specs[widest]) training a batch of \(images)",
                                        bytes: bytes + allocatedBytes, limit: memoryLimit)
        }
        releaseSaved()
        savedCapacity = images
        savedBuffers = layers.map { $0.savedCount > 0 ? Self.zeroed($0.savedCount * images) : nil }
    }

    private func releaseSaved() {
        for case let p? in savedBuffers { free(p) }
        savedBuffers = []
        savedCapacity = 0
    }

    func reserve(images: Int) throws {
        let workers = min(threads, images)
        if images <= capacity && workerGradients.count >= workers { return }
        let newCapacity = max(images, capacity)
        let floatsPerImage = volumes.reduce(0) { $0 + $1.count } * 2 + layers.reduce(0) { $0 + $1.stagingCountPerImage }
        let scratch = layers.map(\.scratchCount).max() ?? 0
        let bytes = (floatsPerImage * newCapacity + (scratch + parameterCount) * max(workers, workerGradients.count))
            * MemoryLayout<Float>.size + parameterCount * 3 * MemoryLayout<Float>.size
        if bytes > memoryLimit {
            let widest = volumes.indices.dropFirst().max { volumes[$0].count < volumes[$1].count } ?? 1
            throw ConvnetError.tooLarge(layerIndex: widest, layer: "\(specs[widest - 1]) for a batch of \(images)",
                                        bytes: bytes, limit: memoryLimit)
        }
        let workerCount = max(workers, workerGradients.count)
        releaseBuffers()
        capacity = newCapacity
        for volume in volumes {
            activations.append(Self.zeroed(volume.count * capacity))
            activationGradients.append(Self.zeroed(volume.count * capacity))
        }
        for _ in 0..<workerCount {
            workerGradients.append(Self.zeroed(max(1, parameterCount)))
            workerScratch.append(Self.zeroed(max(1, scratch)))
        }
        // releaseBuffers left a one-slot placeholder (so deinit can always free it): free it first.
        workerResults.deallocate()
        workerResults = .allocate(capacity: workerCount)
        workerResults.initialize(repeating: (0, 0), count: workerCount)
    }

    /// A batch buffer of zeros, from calloc: a large one is fresh pages the kernel zeroes when
    /// first touched, so what a pass never writes (evaluation reads and writes only the input,
    /// the outputs and one slice of the layers between) costs neither a memset nor a page
    /// fault. Given back with `free`.
    private static func zeroed(_ count: Int) -> UnsafeMutablePointer<Float> {
        guard let memory = calloc(max(1, count), MemoryLayout<Float>.stride) else {
            fatalError("out of memory allocating \(count) floats for a batch")
        }
        return memory.bindMemory(to: Float.self, capacity: max(1, count))
    }

    private func releaseBuffers() {
        for p in activations + activationGradients + workerGradients + workerScratch { free(p) }
        activations = []
        activationGradients = []
        workerGradients = []
        workerScratch = []
        workerResults.deallocate()
        workerResults = .allocate(capacity: 1)
        capacity = 0
    }

    /// Gives back the batch buffers a pass grew (activations, their gradients, the workers'
    /// gradients and scratch, what training keeps for backward, oneDNN's plans); the weights stay. The next
    /// pass grows them again, so an idle net costs only its parameters.
    public func releaseBatchBuffers() {
        releaseSaved()
        releaseBuffers()
        for layer in layers { layer.releaseBatchState() }
    }

    /// Bytes held by parameters and batch buffers (not counting optimizer state).
    public var allocatedBytes: Int {
        let perImage = volumes.reduce(0) { $0 + $1.count } * 2 * capacity
        let scratch = (layers.map(\.scratchCount).max() ?? 0) * workerScratch.count
        let saved = layers.reduce(0) { $0 + $1.savedCount } * savedCapacity
        return (parameterCount * (1 + workerGradients.count) + perImage + scratch + saved) * MemoryLayout<Float>.size
    }
}
