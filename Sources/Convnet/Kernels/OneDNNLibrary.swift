import COneDNN
#if canImport(Glibc)
import Glibc
#endif

/// Which code runs the convolutions of layers on 4 or more channels: oneDNN (Debian's
/// libdnnl2, the library PyTorch itself uses on CPUs; it compiles its kernels at run time
/// for the CPU it finds, AVX-512 included) or the engine's own AVX2 kernels. Measured on
/// the nets' shapes, oneDNN wins on these layers and the engine's direct kernels on 1 to 3
/// channels (BENCHMARKS.md), so each keeps what it wins.
///
/// `CONVNET_CONV=onednn|engine|auto` overrides; without the library (or with `engine`) the
/// engine's kernels run everything.
public enum ConvolutionLibrary: String, Sendable, CaseIterable {
    case onednn
    case engine

    public static let overrideVariable = "CONVNET_CONV"

    /// The choice for this process: oneDNN unless overridden or missing.
    public static var current: ConvolutionLibrary {
        if choice == .onednn, case .success = OneDNNLibrary.shared { return .onednn }
        return .engine
    }

    /// What the user asked for, read once; an unknown value is refused at start-up by `validate`.
    static let choice: ConvolutionLibrary = {
        switch (ComputePaths.environment(overrideVariable) ?? "auto").lowercased() {
        case "engine": return .engine
        default: return .onednn
        }
    }()

    /// Throws for a value of CONVNET_CONV that is not a choice, so a typo is not silently ignored.
    public static func validate() throws {
        let value = (ComputePaths.environment(overrideVariable) ?? "").lowercased()
        if !value.isEmpty && value != "auto" && ConvolutionLibrary(rawValue: value) == nil {
            throw ComputePathError.unknownConvolutionLibrary(value)
        }
    }

    /// "oneDNN 2.6.3 (libdnnl.so.2), kernels for avx2" or "the engine's (CONVNET_CONV=engine)".
    public static var summary: String {
        if choice == .engine { return "the engine's own (\(overrideVariable)=engine)" }
        switch OneDNNLibrary.shared {
        case .success(let library):
            return "oneDNN \(library.version) (\(library.file)), kernels for \(library.isa), on 4+ channels; "
                + "the engine's own on 1-3; \(overrideVariable)=onednn|engine|auto overrides"
        case .failure(let error):
            return "the engine's own (oneDNN not loaded: \(error))"
        }
    }
}

/// oneDNN, loaded by the engine the first time a net needs it (nothing links it: an idle
/// kernel maps none of its 40 MB, and a machine without it still runs, on the engine's
/// kernels), held to one thread a call (the engine runs its own workers, one range of
/// images each) and capped at the instruction set `ComputePaths` chose.
final class OneDNNLibrary: @unchecked Sendable {
    let api: convnet_onednn_api
    let engine: dnnl_engine_t
    /// The file dlopen found, for --version.
    let file: String

    /// Debian's runtime package (libdnnl2) names it so; the -dev symlink second.
    static let candidates = ["libdnnl.so.2", "libdnnl.so"]

    static let shared: Result<OneDNNLibrary, OneDNNError> = load()

    private init(api: convnet_onednn_api, engine: dnnl_engine_t, file: String) {
        self.api = api
        self.engine = engine
        self.file = file
    }

    private static func load() -> Result<OneDNNLibrary, OneDNNError> {
        // Debian builds oneDNN on OpenMP; libgomp reads OMP_NUM_THREADS once, when it loads
        // with the library. Without this each call would start a team of spinning threads
        // on top of the engine's workers.
        setenv("OMP_NUM_THREADS", "1", 1)
        var reasons: [String] = []
        for file in candidates {
            var api = convnet_onednn_api()
            var message = [CChar](repeating: 0, count: 512)
            guard convnet_onednn_load(file, &api, &message, message.count) == 0 else {
                reasons.append(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
                continue
            }
            // CONVNET_CPU=avx2 on an AVX-512 CPU holds oneDNN's code generation to AVX2 too.
            if let paths = try? ComputePaths.current(), paths.instructionSet == .avx2 {
                _ = api.set_max_cpu_isa(dnnl_cpu_isa_avx2)
            }
            var engine: dnnl_engine_t?
            guard api.engine_create(&engine, dnnl_cpu, 0) == dnnl_success, let engine else {
                return .failure(OneDNNError(what: "no CPU engine from \(file)"))
            }
            return .success(OneDNNLibrary(api: api, engine: engine, file: file))
        }
        return .failure(OneDNNError(what: reasons.first ?? "not found"))
    }

    /// "2.6.3".
    var version: String {
        guard let v = api.version() else { return "unknown" }
        return "\(v.pointee.major).\(v.pointee.minor).\(v.pointee.patch)"
    }

    /// The instruction set oneDNN generates code for on this CPU: "avx2", "avx512_core", ...
    var isa: String {
        switch api.get_effective_cpu_isa() {
        case dnnl_cpu_isa_sse41: return "sse41"
        case dnnl_cpu_isa_avx: return "avx"
        case dnnl_cpu_isa_avx2: return "avx2"
        case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni"
        case dnnl_cpu_isa_avx512_core: return "avx512_core"
        case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni"
        case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16"
        case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx"
        default: return "other"
        }
    }

    /// Throws a OneDNNError naming `what` unless `status` is success.
    func check(_ status: dnnl_status_t, _ what: @autoclosure () -> String) throws {
        guard status == dnnl_success else { throw OneDNNError(what: "\(what()): status \(status.rawValue)") }
    }
}

/// oneDNN missing, or refusing a shape: the layer then runs on the engine's kernels.
struct OneDNNError: Error, CustomStringConvertible {
    var what: String
    var description: String { what }
}
