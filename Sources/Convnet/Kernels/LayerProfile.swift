#if canImport(Glibc)
import Glibc
#endif

/// Each layer's forward, dX and dW timed alone on one worker, for the benchmark's
/// GFLOP/s table (BENCHMARKS.md): what the kernels reach beside the machine's sgemm peak.
public struct LayerTiming: Sendable {
    public var layer: String
    public var input: Volume
    /// Multiply-adds of one image's forward pass (dX and dW each do as many).
    public var multiplyAdds: Int
    /// CPU seconds per image: forward (training), forward (inference), backward's dW, backward's dX.
    public var forward: Double
    public var inference: Double
    public var weightGradient: Double
    public var inputGradient: Double

    func gflops(_ seconds: Double) -> Double { seconds > 0 ? 2 * Double(multiplyAdds) / seconds / 1e9 : 0 }
    public var forwardGFLOPS: Double { gflops(forward) }
    public var inferenceGFLOPS: Double { gflops(inference) }
    public var weightGradientGFLOPS: Double { gflops(weightGradient) }
    public var inputGradientGFLOPS: Double { gflops(inputGradient) }
}

public enum LayerProfile {
    /// Times every layer of `net` with parameters on a batch of `images` (one worker),
    /// best of `repeats` rounds. dX is backward with dX minus backward without.
    public static func timeLayers(_ net: Network, images: Int = 32, repeats: Int = 20) throws -> [LayerTiming] {
        try net.reserve(images: images, training: true)
        let scratch = net.workerScratch[0]
        let gradients = net.workerGradients[0]
        var timings: [LayerTiming] = []
        for (i, layer) in net.layers.enumerated() where layer.parameterCount > 0 {
            let x = net.activations[i], y = net.activations[i + 1]
            let dY = net.activationGradients[i + 1], dX = net.activationGradients[i]
            for j in 0..<(images * layer.outputVolume.count) { dY[j] = Float(j % 7) * 0.01 - 0.03 }
            for j in 0..<(images * layer.inputVolume.count) where x[j] == 0 { x[j] = Float(j % 5) * 0.1 }
            func best(_ body: () -> Void) -> Double {
                var fastest = Double.infinity
                for _ in 0..<repeats {
                    let start = cpuSeconds()
                    body()
                    fastest = min(fastest, cpuSeconds() - start)
                }
                return fastest / Double(images)
            }
            func context(training: Bool) -> LayerContext {
                LayerContext(scratch: scratch, firstImage: 0, training: training, step: 0, seed: 0,
                             saved: i < net.savedBuffers.count ? net.savedBuffers[i] : nil)
            }
            layer.prepareForInference()
            let inference = best { layer.forward(x, y, images: images, context(training: false)) }
            let forward = best { layer.forward(x, y, images: images, context(training: true)) }
            let g = gradients + net.parameterOffsets[i]
            let dW = best { layer.backward(x, y, dY, nil, gradients: g, images: images, context(training: true)) }
            let both = best { layer.backward(x, y, dY, dX, gradients: g, images: images, context(training: true)) }
            timings.append(LayerTiming(layer: "\(net.specs[i])", input: layer.inputVolume,
                                       multiplyAdds: net.specs[i].multiplyAdds(for: layer.inputVolume),
                                       forward: forward, inference: inference, weightGradient: dW,
                                       inputGradient: max(0, both - dW)))
        }
        return timings
    }

    /// One thread's sgemm rate on an n x n x n product through the loaded BLAS, best of `repeats`.
    public static func sgemmGFLOPS(n: Int = 1024, repeats: Int = 5) -> Double {
        BLASThreads.useOne()
        let a = UnsafeMutablePointer<Float>.allocate(capacity: n * n * 3)
        defer { a.deallocate() }
        for j in 0..<(n * n * 3) { a[j] = Float(j % 11) * 0.1 }
        var fastest = Double.infinity
        for _ in 0..<repeats {
            let start = cpuSeconds()
            gemm(m: n, n: n, k: n, a: a, lda: n, b: a + n * n, ldb: n, beta: 0, c: a + 2 * n * n, ldc: n)
            fastest = min(fastest, cpuSeconds() - start)
        }
        return 2 * Double(n * n * n) / fastest / 1e9
    }

    /// CPU time of the calling thread.
    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
