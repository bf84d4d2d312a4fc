import CCPUID

/// What the CPU this process runs on can execute, from cpuid and xgetbv (read by the
/// baseline-compiled CCPUID target). A value type, so path selection is tested with
/// feature sets of CPUs this machine is not.
public struct CPUFeatures: Sendable, Equatable {
    public var vendor: String
    public var brand: String
    public var family: Int
    public var model: Int
    public var avx2: Bool
    public var fma: Bool
    /// AVX-512 Foundation, DQ, BW and VL: what OpenBLAS's SkylakeX kernels use.
    public var avx512: Bool
    /// The OS saves ymm (for AVX) and zmm/opmask (for AVX-512) state across context switches.
    public var osSavesYMM: Bool
    public var osSavesZMM: Bool

    public init(vendor: String = "", brand: String = "", family: Int = 0, model: Int = 0,
                avx2: Bool, fma: Bool, avx512: Bool, osSavesYMM: Bool = true, osSavesZMM: Bool = true) {
        (self.vendor, self.brand, self.family, self.model) = (vendor, brand, family, model)
        (self.avx2, self.fma, self.avx512, self.osSavesYMM, self.osSavesZMM) = (avx2, fma, avx512, osSavesYMM, osSavesZMM)
    }

    /// Decodes the raw words (bit numbers from Intel's SDM, volume 2, CPUID).
    init(words w: ccpuid_words) {
        func bit(_ word: UInt32, _ n: Int) -> Bool { word & (1 << UInt32(n)) != 0 }
        var words = w
        let vendor = withUnsafeBytes(of: &words.vendor) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let brand = withUnsafeBytes(of: &words.brand) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        self.init(vendor: vendor, brand: brand.trimmingSpaces, family: Int(w.family), model: Int(w.model),
                  avx2: bit(w.leaf7_ebx, 5) && bit(w.leaf1_ecx, 28), fma: bit(w.leaf1_ecx, 12),
                  avx512: bit(w.leaf7_ebx, 16) && bit(w.leaf7_ebx, 17) && bit(w.leaf7_ebx, 30) && bit(w.leaf7_ebx, 31),
                  osSavesYMM: w.xcr0 & 0x6 == 0x6, osSavesZMM: w.xcr0 & 0xe6 == 0xe6)
    }

    /// The CPU this process runs on.
    public static let host: CPUFeatures = {
        var words = ccpuid_words()
        ccpuid_read(&words)
        return CPUFeatures(words: words)
    }()

    public var runsAVX2: Bool { avx2 && fma && osSavesYMM }
    public var runsAVX512: Bool { runsAVX2 && avx512 && osSavesZMM }

    /// "avx2 fma avx512" or what is missing, for --version and system().
    public var summary: String {
        let name = brand.isEmpty ? vendor : brand
        let flags = [("avx2", avx2), ("fma", fma), ("avx512f/dq/bw/vl", avx512)]
            .map { $0.1 ? $0.0 : "no \($0.0)" }.joined(separator: ", ")
        let os = !osSavesYMM && avx2 ? " (the OS does not save ymm state)"
            : !osSavesZMM && avx512 ? " (the OS does not save zmm state)" : ""
        return "\(name) (family \(family) model \(model)): \(flags)\(os)"
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
