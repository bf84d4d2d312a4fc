#if canImport(Glibc)
import Glibc
#endif

/// The instruction set of the engine's compute paths, chosen for the CPU at run time.
public enum InstructionSet: String, Sendable, CaseIterable {
    case avx2
    case avx512
}

/// Which compute paths the engine runs on this CPU, chosen once at start-up without the
/// user setting anything: AVX-512 where the CPU and OS have it, AVX2/FMA otherwise.
/// `CONVNET_CPU=avx2|avx512|auto` overrides the choice (a path the CPU cannot run is
/// refused); `OPENBLAS_CORETYPE`, when set, picks OpenBLAS's kernels as OpenBLAS documents.
///
/// OpenBLAS reads OPENBLAS_CORETYPE only when it loads, so the engine loads it itself
/// (`BLASLibrary`) after setting it. Debian's 0.3.21 misdetects newer CPUs (Sapphire Rapids
/// falls back to its SSE3 "Prescott" kernels, 33 against 156 GFLOP/s: issue 8).
public struct ComputePaths: Sendable, Equatable {
    public var instructionSet: InstructionSet
    /// The OPENBLAS_CORETYPE the engine asks for.
    public var blasCore: String
    /// How the choice was made, for --version: "detected", "CONVNET_CPU=avx2", ...
    public var source: String

    public static let overrideVariable = "CONVNET_CPU"

    /// The paths for `cpu`, given the values of CONVNET_CPU and OPENBLAS_CORETYPE.
    /// - Throws: `ComputePathError` for an unknown override or one the CPU cannot run.
    public static func choose(for cpu: CPUFeatures, override: String?, blasCoreOverride: String? = nil) throws -> ComputePaths {
        guard cpu.runsAVX2 else { throw ComputePathError.unsupportedCPU(cpu.summary) }
        let detected: InstructionSet = cpu.runsAVX512 ? .avx512 : .avx2
        var set = detected
        var source = "detected"
        let requested = (override ?? "").lowercased()
        if !requested.isEmpty && requested != "auto" {
            guard let forced = InstructionSet(rawValue: requested) else {
                throw ComputePathError.unknownOverride(override!)
            }
            if forced == .avx512 && !cpu.runsAVX512 { throw ComputePathError.cannotRun(forced, cpu.summary) }
            set = forced
            source = "\(overrideVariable)=\(requested)"
        }
        var core: String
        switch set {
        case .avx512: core = "SkylakeX"
        // On AMD too: OpenBLAS's Zen and Haswell cores measured alike on Zen 3 within the
        // noise (BENCHMARKS.md), and OpenBLAS 0.3.21 itself picks Haswell there.
        case .avx2: core = "Haswell"
        }
        if let given = blasCoreOverride, !given.isEmpty {
            core = given
            source += ", OPENBLAS_CORETYPE=\(given)"
        }
        return ComputePaths(instructionSet: set, blasCore: core, source: source)
    }

    /// The paths of this process: the host CPU and the environment, read once.
    /// - Throws: as `choose`; the executables check it at start-up and print the message.
    public static func current() throws -> ComputePaths { try cached.get() }

    private static let cached: Result<ComputePaths, ComputePathError> = Result {
        try ConvolutionLibrary.validate()
        return try choose(for: .host, override: environment(overrideVariable), blasCoreOverride: environment("OPENBLAS_CORETYPE"))
    }.mapError { $0 as! ComputePathError }

    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// "avx2 (detected)": part of a line of --version and system().
    public var summary: String { "\(instructionSet.rawValue) (\(source))" }
}

public enum ComputePathError: Error, Equatable, CustomStringConvertible {
    case unsupportedCPU(String)
    case unknownOverride(String)
    case cannotRun(InstructionSet, String)
    case unknownConvolutionLibrary(String)

    public var description: String {
        switch self {
        case .unsupportedCPU(let cpu):
            return "this CPU, \(cpu), does not run AVX2 and FMA instructions, which the engine needs"
        case .unknownOverride(let value):
            return "\(ComputePaths.overrideVariable)=\(value) is not a compute path: use "
                + (InstructionSet.allCases.map(\.rawValue) + ["auto"]).joined(separator: ", ")
        case .cannotRun(let set, let cpu):
            return "\(ComputePaths.overrideVariable)=\(set.rawValue) asks for a path this CPU cannot run: \(cpu)"
        case .unknownConvolutionLibrary(let value):
            return "\(ConvolutionLibrary.overrideVariable)=\(value) is not a choice: use "
                + (ConvolutionLibrary.allCases.map(\.rawValue) + ["auto"]).joined(separator: ", ")
        }
    }
}
