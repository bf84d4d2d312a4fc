/// What a forward pass leaves in the net's buffers.
enum ForwardPass {
    /// Every layer's output of every image, as backward needs them (dropout active).
    case training
    /// Every layer's output of every image, in evaluation: what `activations(for:)` shows.
    case everyOutput
    /// The last layer's outputs only (evaluate, predict): the layers between reuse one slice
    /// of their buffers chunk by chunk, and a relu before a max pool runs inside the pool.
    case outputsOnly
}

/// Forward and backward passes over a batch held in the net's own buffers.
extension Network {
    /// The input buffer for a batch: `images * inputVolume.count` floats, NCHW.
    var inputBuffer: UnsafeMutablePointer<Float> { activations[0] }

    /// The output of layer `index` (0 = the input) for the batch.
    func output(ofLayer index: Int) -> UnsafeMutablePointer<Float> { activations[index] }

    /// Whether cross-entropy training fuses with a final softmax layer.
    func fusesSoftmax(_ loss: Loss) -> Bool {
        loss == .softmaxCrossEntropy && specs.last == .softmax
    }

    private func context(worker: Int, first: Int, training: Bool) -> LayerContext {
        LayerContext(scratch: workerScratch[worker], worker: worker, firstImage: first, training: training, step: step, seed: seed)
    }

    /// Layer `i`'s saved buffer at image `first`, when training with one allocated.
    private func savedBuffer(layer i: Int, first: Int, training: Bool) -> UnsafeMutablePointer<Float>? {
        guard training, i < savedBuffers.count, let base = savedBuffers[i] else { return nil }
        return base + first * layers[i].savedCount
    }

    /// Images an evaluation pass takes through all the layers at a time: a worker's whole
    /// range layer by layer would stream activations through memory (250 images of net B's
    /// first layer are 6 MB), while 16 images' stay in L2 from one layer to the next.
    static let evaluationChunk = 16

    /// Runs every layer forward on images `range` of the batch in the buffers. Training
    /// keeps every image's values for backward, layer by layer over the range; the other
    /// passes go `evaluationChunk` images at a time, `outputsOnly` keeping the layers between
    /// in the worker's first images' place (`slot`), written over by every chunk, so they
    /// stay in cache rather than stream through memory.
    func forward(range: Range<Int>, worker: Int, pass: ForwardPass) {
        if pass == .training {
            forwardLayers(range, slot: range.lowerBound, worker: worker, pass: pass)
            return
        }
        for start in stride(from: range.lowerBound, to: range.upperBound, by: Self.evaluationChunk) {
            let chunk = start..<min(start + Self.evaluationChunk, range.upperBound)
            forwardLayers(chunk, slot: pass == .outputsOnly ? range.lowerBound : start, worker: worker, pass: pass)
        }
    }

    /// Every layer over `range`: the input and the last layer's outputs at the range's own
    /// place, the layers between at `slot`. Except where every output is kept (`everyOutput`),
    /// a relu before a max pool runs inside the pool, its own output never written (training's
    /// backward of the pool reads the relu's input).
    private func forwardLayers(_ range: Range<Int>, slot: Int, worker: Int, pass: ForwardPass) {
        let training = pass == .training
        var ctx = context(worker: worker, first: range.lowerBound, training: training)
        let last = layers.count
        func buffer(_ i: Int) -> UnsafeMutablePointer<Float> {
            activations[i] + (i == 0 || i == last ? range.lowerBound : slot) * volumes[i].count
        }
        var i = 0
        while i < last {
            if pass != .everyOutput, let pool = maxPoolTakingRelu(at: i) {
                pool.forward(buffer(i), buffer(i + 2), images: range.count, ctx, floor: 0)
                i += 2
                continue
            }
            ctx.saved = savedBuffer(layer: i, first: range.lowerBound, training: training)
            layers[i].forward(buffer(i), buffer(i + 1), images: range.count, ctx)
            i += 1
        }
    }

    /// The max pool after a relu at layer `i`: relu and max commute, so the pool clamping its
    /// outputs at 0 does both, without the relu's pass over the whole volume; in backward the
    /// pool passes a window's gradient only where its output is above 0, which is relu's.
    /// The same sums either way (ForwardPassTests); `fusesReluIntoPools` off is for them.
    private func maxPoolTakingRelu(at i: Int) -> PoolLayer? {
        guard fusesReluIntoPools, specs[i] == .relu, i + 1 < layers.count, case .maxpool = specs[i + 1] else { return nil }
        return layers[i + 1] as? PoolLayer
    }

    /// A forward pass of the first `images` images of the input buffer, split over the workers.
    func forwardBatch(images: Int, pass: ForwardPass) {
        if pass != .training {
            for layer in layers { layer.prepareForInference() }
        }
        let split = WorkSplit(images, parts: threads)
        parallelFor(split.parts) { w in
            self.forward(range: split[w], worker: w, pass: pass)
        }
    }

    /// One training pass over the first `images` images of the input buffer: forward, loss,
    /// backward, with the parameter gradients (of the mean loss) summed into `workerGradients[0]`.
    /// - Returns: the summed loss and the number of images classified right.
    func trainingPass(images: Int, labels: UnsafePointer<Int>, loss: Loss) -> (loss: Double, correct: Int) {
        let split = WorkSplit(images, parts: threads)
        let results = workerResults
        let scale = 1 / Float(images)
        parallelFor(split.parts) { w in
            results[w] = self.trainRange(split[w], worker: w, labels: labels, loss: loss, scale: scale)
        }
        // Sum the workers' gradient blocks in a fixed order, for reproducibility.
        let total = workerGradients[0]
        for w in 1..<split.parts {
            let g = workerGradients[w]
            for j in 0..<parameterCount { total[j] += g[j] }
        }
        var lossSum = 0.0
        var correct = 0
        for w in 0..<split.parts {
            lossSum += results[w].0
            correct += results[w].1
        }
        return (lossSum, correct)
    }

    private func trainRange(_ range: Range<Int>, worker: Int, labels: UnsafePointer<Int>,
                            loss: Loss, scale: Float) -> (Double, Int) {
        let grads = workerGradients[worker]
        grads.update(repeating: 0, count: parameterCount)
        forward(range: range, worker: worker, pass: .training)

        // The loss writes its gradient into the last layer's output gradient, or, fused with a
        // final softmax, into the softmax's input gradient.
        let fused = fusesSoftmax(loss)
        let last = layers.count
        let k = classCount
        let gradientTarget = fused ? activationGradients[last - 1] : activationGradients[last]
        var lossSum = 0.0
        var correct = 0
        for i in range {
            let y = activations[last] + i * k
            lossSum += Double(loss.evaluate(y, count: k, label: labels[i], outputIsSoftmax: fused,
                                            gradient: gradientTarget + i * k, scale: scale))
            if argmax(y, count: k) == labels[i] { correct += 1 }
        }

        var ctx = context(worker: worker, first: range.lowerBound, training: true)
        let offset = range.lowerBound
        func values(_ i: Int) -> UnsafeMutablePointer<Float> { activations[i] + offset * volumes[i].count }
        func gradient(_ i: Int) -> UnsafeMutablePointer<Float>? { i == 0 ? nil : activationGradients[i] + offset * volumes[i].count }
        var i = fused ? last - 2 : last - 1
        while i >= 0 {
            // A pool that took its relu: from the relu's input straight to its gradient.
            if i >= 1, let pool = maxPoolTakingRelu(at: i - 1) {
                pool.backward(values(i - 1), values(i + 1), gradient(i + 1)!, gradient(i - 1), images: range.count, ctx,
                              passingOnlyAboveZero: true)
                i -= 2
                continue
            }
            let layer = layers[i]
            ctx.saved = savedBuffer(layer: i, first: range.lowerBound, training: true)
            layer.backward(values(i), values(i + 1), gradient(i + 1)!, gradient(i),
                           gradients: layer.parameterCount > 0 ? grads + parameterOffsets[i] : nil,
                           images: range.count, ctx)
            i -= 1
        }
        return (lossSum, correct)
    }
}

/// Index of the largest of `count` values (the first, on ties).
func argmax(_ y: UnsafePointer<Float>, count: Int) -> Int {
    var best = 0
    for j in 1..<max(count, 1) where y[j] > y[best] { best = j }
    return best
}
