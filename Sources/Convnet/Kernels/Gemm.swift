import CBLAS

/// Row-major single-precision matrix multiply through the BLAS the engine loaded
/// (`BLASLibrary`): `C[m x n] = alpha * op(A)[m x k] * op(B)[k x n] + beta * C`.
///
/// The engine runs its own worker threads (one range of images each), so OpenBLAS is
/// held to one thread (`BLASThreads.useOne()`), which also keeps results bit-for-bit
/// reproducible for a given worker count.
@inline(__always)
func gemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
          alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
          b: UnsafePointer<Float>, ldb: Int,
          beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    BLASLibrary.shared.sgemm(CblasRowMajor,
                             transposeA ? CblasTrans : CblasNoTrans,
                             transposeB ? CblasTrans : CblasNoTrans,
                             Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// OpenBLAS's own thread pool, which the engine keeps at one thread.
public enum BLASThreads {
    /// Sets OpenBLAS to one thread (idempotent; called when a net is built, which loads the library).
    public static func useOne() {
        BLASLibrary.shared.setThreads(1)
    }

    /// The name of the kernel family OpenBLAS runs ("Zen", "Haswell", "SkylakeX", ...).
    public static var coreName: String { BLASLibrary.shared.coreName }

    /// OpenBLAS's build line: "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64".
    public static var configuration: String { BLASLibrary.shared.configuration }
}
