import CBLAS
#if canImport(Glibc)
import Glibc
#endif

/// OpenBLAS, loaded by the engine itself once its core is chosen.
///
/// OpenBLAS reads OPENBLAS_CORETYPE only when the library loads, so a binary linked
/// against it has its kernels fixed before `main` runs (Debian's 0.3.21 gives a Sapphire
/// Rapids its SSE3 kernels). The engine is therefore not linked against it: the first net
/// built sets OPENBLAS_CORETYPE to `ComputePaths`'s choice (unless the user set it) and
/// dlopens the library, then calls it through these function pointers.
struct BLASLibrary: @unchecked Sendable {
    typealias Sgemm = @convention(c) (CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, Int32, Int32, Int32, Float,
                                      UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32, Float,
                                      UnsafeMutablePointer<Float>?, Int32) -> Void
    typealias SetThreads = @convention(c) (Int32) -> Void
    typealias Name = @convention(c) () -> UnsafeMutablePointer<CChar>?

    let sgemm: Sgemm
    let setThreads: SetThreads
    private let corename: Name
    private let config: Name
    /// The file dlopen found, for --version.
    let file: String

    var coreName: String { corename().map { String(cString: $0) } ?? "unknown" }
    /// "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64".
    var configuration: String { config().map { String(cString: $0) } ?? "unknown" }

    /// Debian's runtime package (libopenblas0) names it so; the -dev symlink second.
    static let candidates = ["libopenblas.so.0", "libopenblas.so"]

    static let shared: BLASLibrary = {
        let paths = (try? ComputePaths.current()) ?? (try? ComputePaths.choose(for: .host, override: nil))
        // setenv before any other engine thread exists that could read the environment;
        // the kernel's own threads never call getenv.
        if let core = paths?.blasCore { setenv("OPENBLAS_CORETYPE", core, 1) }
        // The engine keeps OpenBLAS at one thread: without this it would start a pool
        // of idle threads (one per core) at load.
        setenv("OPENBLAS_NUM_THREADS", "1", 0)
        for file in candidates {
            guard let handle = dlopen(file, RTLD_NOW | RTLD_LOCAL) else { continue }
            func symbol<T>(_ name: String, as type: T.Type) -> T? {
                dlsym(handle, name).map { unsafeBitCast($0, to: type) }
            }
            if let sgemm = symbol("cblas_sgemm", as: Sgemm.self),
               let setThreads = symbol("openblas_set_num_threads", as: SetThreads.self),
               let corename = symbol("openblas_get_corename", as: Name.self),
               let config = symbol("openblas_get_config", as: Name.self) {
                return BLASLibrary(sgemm: sgemm, setThreads: setThreads, corename: corename, config: config, file: file)
            }
        }
        let reason = dlerror().map { String(cString: $0) } ?? "not found"
        fatalError("the engine needs OpenBLAS (Debian: apt-get install libopenblas0): \(reason)")
    }()
}

extension ComputePaths {
    /// What the engine runs on, in lines: the CPU, the paths chosen, the BLAS loaded
    /// (loading it if no net has yet). For `convnet-kernel --version` and `system()`.
    public static func report() -> [String] {
        let cpu = CPUFeatures.host
        var lines = ["CPU: \(cpu.summary)"]
        do {
            let paths = try current()
            let choices = (InstructionSet.allCases.map(\.rawValue) + ["auto"]).joined(separator: "|")
            lines.append("compute paths: \(paths.summary); \(overrideVariable)=\(choices) overrides")
            let blas = BLASLibrary.shared
            lines.append("BLAS: \(blas.file), core \(blas.coreName) (\(blas.configuration))")
            lines.append("convolutions: \(ConvolutionLibrary.summary)")
        } catch {
            lines.append("compute paths: none: \(error)")
        }
        return lines
    }
}
