import CBLAS

/// Row-major single-precision matrix multiply through OpenBLAS:
/// `C[m x n] = alpha * op(A)[m x k] * op(B)[k x n] + beta * C`.
///
/// The engine runs its own worker threads (one range of images each), so OpenBLAS is
/// held to one thread (`BLASThreads.useOne()`), which also keeps results bit-for-bit
/// reproducible for a given worker count.
@inline(__always)
func gemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
          alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
          b: UnsafePointer<Float>, ldb: Int,
          beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    cblas_sgemm(CblasRowMajor,
                transposeA ? CblasTrans : CblasNoTrans,
                transposeB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// OpenBLAS's own thread pool, which the engine keeps at one thread.
public enum BLASThreads {
    /// Sets OpenBLAS to one thread (idempotent; called when a net is built).
    public static func useOne() {
        openblas_set_num_threads(1)
    }

    /// The name of the kernel family OpenBLAS picked ("Cooperlake", "Haswell", ...);
    /// `OPENBLAS_CORETYPE` in the environment chooses it when the library loads.
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }
}
