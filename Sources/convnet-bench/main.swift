import ArgumentParser
import CCPUID
import Convnet
import Foundation

/// The engine's training benchmark: one net, one thread count, one process (so peak RSS
/// and start-up are the run's own). `bench/train` runs it for nets A, B, C and 1 and 2
/// threads, beside `bench/train_torch.py`, and prints the ratios.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convnet-bench",
        abstract: "Train one of the benchmark nets on Fashion-MNIST for one epoch and print figures as JSON.")

    @Option(help: "Net A, B or C (their layers are listed in BENCHMARKS.md).")
    var net: String = "B"

    @Option(help: "Worker threads.")
    var threads: Int = 2

    @Option(help: "Folder of the IDX .gz files.")
    var data: String = "/usr/share/datasets/fashion-mnist"

    @Option(help: "Images trained at batch 1 (a prefix of the same order), 0 to skip.")
    var batch1Images: Int = 5000

    @Option(help: "Seed of the shuffled order (SplitMix64 Fisher-Yates).")
    var orderSeed: UInt64 = 2024

    @Option(help: "Write the order as little-endian Int32 to this file and exit.")
    var writeOrder: String?

    @Option(help: "Write the net's initial weights (float32, little-endian, PyTorch's parameter order) to this file and exit.")
    var writeInit: String?

    @Option(help: "Wall-clock nanoseconds (date +%s%N) when the process was launched.")
    var launchedAtNs: UInt64?

    @Option(help: "Train at batch 32 on only this many images of the order (for quick profiling); 0 for all.")
    var trainImages: Int = 0

    @Option(help: "Batch size of the inference pass.")
    var inferenceBatch: Int = 250

    @Flag(help: "Time each layer's forward, dX and dW alone at batch 32 on one thread, beside the sgemm peak, and exit.")
    var profileLayers = false

    mutating func run() throws {
        let start = launchedAtNs ?? Self.processStartNs()
        if let path = writeInit {
            // Layer by layer, weights then biases: the order of PyTorch's net.parameters().
            let (input, layers) = try Self.architecture(net)
            let values = try Network(input: input, layers: layers, seed: 1).parameterValues
            try values.withUnsafeBufferPointer { Data(buffer: $0) }.write(to: URL(fileURLWithPath: path))
            return
        }
        if profileLayers {
            let (input, layers) = try Self.architecture(net)
            let network = try Network(input: input, layers: layers, seed: 1, threads: 1)
            let peak = LayerProfile.sgemmGFLOPS()
            print("net \(net), batch 32, one thread, CPU time; paths \(try ComputePaths.current().summary), OpenBLAS core \(BLASThreads.coreName)")
            print("convolutions: \(ConvolutionLibrary.summary)")
            print("sgemm 1024^3 peak: \(String(format: "%.1f", peak)) GFLOP/s")
            print("layer                              input      MFLOP/img  fwd(train)  fwd(infer)       dX       dW   GFLOP/s")
            for t in try LayerProfile.timeLayers(network) {
                let cells = [t.forwardGFLOPS, t.inferenceGFLOPS, t.inputGradientGFLOPS, t.weightGradientGFLOPS]
                    .map { String(format: "%10.1f", $0) }.joined(separator: " ")
                print("\(t.layer.padding(toLength: 34, withPad: " ", startingAt: 0)) \("\(t.input)".padding(toLength: 10, withPad: " ", startingAt: 0)) \(String(format: "%9.2f", 2 * Double(t.multiplyAdds) / 1e6)) \(cells)")
            }
            return
        }
        var train = try load(.train)
        let order = SplitMix64.shuffledIndices(count: train.count, seed: orderSeed)
        if let path = writeOrder {
            var bytes = [UInt8]()
            for i in order { withUnsafeBytes(of: Int32(i).littleEndian) { bytes += $0 } }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return
        }
        let (input, layers) = try Self.architecture(net)
        if input.width == 24 { train = train.centreCropped(to: 24) }

        let network = try Network(input: input, layers: layers, seed: 1, threads: threads)
        var firstStepNs: UInt64 = 0
        let cpuBefore = Self.cpuSeconds()
        let history = try Convnet.train(network, on: train, options: TrainingOptions(
            epochs: 1, batchSize: 32, optimizer: .sgd(learningRate: 0.01, momentum: 0.9),
            order: trainImages > 0 ? Array(order.prefix(trainImages)) : order),
            shouldStop: {
                if firstStepNs == 0 { firstStepNs = Self.wallNs() }
                return false
            })

        let trainCPU = Self.cpuSeconds() - cpuBefore
        var test = try load(.test)
        if input.width == 24 { test = test.centreCropped(to: 24) }
        let inferenceCPUBefore = Self.cpuSeconds()
        let evaluation = try evaluate(network, on: test, batchSize: inferenceBatch)
        let inferenceCPU = Self.cpuSeconds() - inferenceCPUBefore

        var batch1: TrainingHistory?
        if batch1Images > 0 {
            let fresh = try Network(input: input, layers: layers, seed: 1, threads: threads)
            batch1 = try Convnet.train(fresh, on: train, options: TrainingOptions(
                epochs: 1, batchSize: 1, optimizer: .sgd(learningRate: 0.001, momentum: 0.9),
                order: Array(order.prefix(batch1Images))))
        }

        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let forwardMACs = zip(layers, network.volumes).reduce(0) { $0 + $1.0.multiplyAdds(for: $1.1) }
        let report: [String: Any] = [
            "engine": "convnet", "net": net, "threads": threads,
            "blas_core": BLASThreads.coreName,
            "compute_paths": try ComputePaths.current().summary,
            "convolutions": ConvolutionLibrary.summary,
            "train32_images_per_s": history.imagesPerSecond,
            "train32_seconds": history.seconds,
            "train32_cpu_seconds": trainCPU,
            "train32_images_per_cpu_s": Double(history.imagesSeen) / trainCPU,
            "train32_last_epoch_loss": history.epochLosses.last ?? 0,
            "train1_images_per_s": batch1?.imagesPerSecond ?? 0,
            "train1_images": batch1?.imagesSeen ?? 0,
            "inference_images_per_s": evaluation.imagesPerSecond,
            "inference_cpu_seconds": inferenceCPU,
            "test_accuracy": evaluation.accuracy,
            "test_loss": evaluation.loss,
            "start_to_first_step_s": Double(Int64(firstStepNs) - Int64(start)) / 1e9,
            "peak_rss_mb": Double(usage.ru_maxrss) / 1024,
            "parameters": network.parameterCount,
            "forward_mflop_per_image": Double(forwardMACs * 2) / 1e6,
        ]
        let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }

    /// Fashion-MNIST from `data` through the engine's own IDX loader, as a user's program reads it.
    func load(_ split: DatasetSplit) throws -> Dataset {
        return try Dataset.load(name: "fashion-mnist", split: split, folder: data)
    }

    static func architecture(_ name: String) throws -> (Volume, [LayerSpec]) {
        switch name.uppercased() {
        case "A":
            return (Volume(28, 28, 1), [.conv(filters: 8, size: 5), .relu, .maxpool(size: 2), .dense(units: 10), .softmax])
        case "B":
            return (Volume(28, 28, 1), [
                .conv(filters: 8, size: 5, pad: 2), .relu, .maxpool(size: 2),
                .conv(filters: 16, size: 5, pad: 2), .relu, .maxpool(size: 2),
                .conv(filters: 32, size: 3, pad: 1), .relu, .maxpool(size: 2),
                .dense(units: 64), .relu, .dense(units: 10), .softmax,
            ])
        case "C":
            return (Volume(24, 24, 1), [
                .conv(filters: 8, size: 5, pad: 2), .relu, .maxpool(size: 2),
                .conv(filters: 16, size: 5, pad: 2), .relu, .maxpool(size: 3),
                .dense(units: 10), .softmax,
            ])
        default:
            throw ValidationError("no net \(name): use A, B or C")
        }
    }

    /// User plus system CPU time of the process so far (all threads).
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    static func wallNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// When the kernel started this process (from /proc), as wall-clock nanoseconds.
    static func processStartNs() -> UInt64 {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let uptime = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return wallNs() }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]),
              let up = Double(uptime.split(separator: " ")[0]) else { return wallNs() }
        let ageSeconds = up - ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
        return wallNs() - UInt64(max(0, ageSeconds) * 1e9)
    }
}

// Before any engine code (built for AVX2/FMA) runs.
ccpuid_require_avx2_fma("convnet-bench")
do { _ = try ComputePaths.current() } catch {
    FileHandle.standardError.write(Data("convnet-bench: \(error)\n".utf8))
    exit(2)
}
Bench.main()
