import CCPUID
import XCTest
@testable import Convnet

/// The choice of compute paths for CPUs this machine is not, from injected feature sets.
final class ComputePathsTests: XCTestCase {
    private let zen3 = CPUFeatures(vendor: "AuthenticAMD", brand: "AMD EPYC 7B13", family: 25, model: 1,
                                   avx2: true, fma: true, avx512: false, osSavesZMM: false)
    private let zen4 = CPUFeatures(vendor: "AuthenticAMD", brand: "AMD EPYC 9B14", family: 25, model: 17,
                                   avx2: true, fma: true, avx512: true)
    private let sapphireRapids = CPUFeatures(vendor: "GenuineIntel", brand: "Intel Xeon Platinum 8481C", family: 6, model: 143,
                                             avx2: true, fma: true, avx512: true)
    private let haswell = CPUFeatures(vendor: "GenuineIntel", family: 6, model: 63, avx2: true, fma: true, avx512: false)
    private let sandyBridge = CPUFeatures(vendor: "GenuineIntel", family: 6, model: 42, avx2: false, fma: false, avx512: false)

    private func paths(_ cpu: CPUFeatures, _ override: String? = nil, core: String? = nil) throws -> ComputePaths {
        try ComputePaths.choose(for: cpu, override: override, blasCoreOverride: core)
    }

    func testDetection_picksAVX512WhereTheCPUAndOSHaveIt_elseAVX2() throws {
        XCTAssertEqual(try paths(sapphireRapids), ComputePaths(instructionSet: .avx512, blasCore: "SkylakeX", source: "detected"))
        XCTAssertEqual(try paths(zen4), ComputePaths(instructionSet: .avx512, blasCore: "SkylakeX", source: "detected"))
        XCTAssertEqual(try paths(zen3), ComputePaths(instructionSet: .avx2, blasCore: "Haswell", source: "detected"))
        XCTAssertEqual(try paths(haswell), ComputePaths(instructionSet: .avx2, blasCore: "Haswell", source: "detected"))
        // AVX-512 in the CPU but an OS that does not save zmm registers: AVX2.
        var noZMM = sapphireRapids
        noZMM.osSavesZMM = false
        XCTAssertEqual(try paths(noZMM).instructionSet, .avx2)
    }

    func testOverride_forcesAPathTheCPURuns_andRefusesOthers() throws {
        XCTAssertEqual(try paths(sapphireRapids, "avx2"), ComputePaths(instructionSet: .avx2, blasCore: "Haswell", source: "CONVNET_CPU=avx2"))
        XCTAssertEqual(try paths(zen4, "AVX2").blasCore, "Haswell")
        XCTAssertEqual(try paths(sapphireRapids, "avx512").instructionSet, .avx512)
        XCTAssertEqual(try paths(zen3, "auto"), try paths(zen3))
        XCTAssertEqual(try paths(zen3, ""), try paths(zen3))
        XCTAssertThrowsError(try paths(zen3, "avx512")) { error in
            XCTAssert("\(error)".contains("CONVNET_CPU=avx512 asks for a path this CPU cannot run: AMD EPYC 7B13"), "\(error)")
        }
        XCTAssertThrowsError(try paths(zen3, "sse4")) { error in
            XCTAssertEqual("\(error)", "CONVNET_CPU=sse4 is not a compute path: use avx2, avx512, auto")
        }
    }

    func testACPUWithoutAVX2_isRefusedWithItsName() {
        XCTAssertThrowsError(try paths(sandyBridge)) { error in
            XCTAssert("\(error)".contains("does not run AVX2 and FMA"), "\(error)")
        }
        var noOS = haswell
        noOS.osSavesYMM = false
        XCTAssertThrowsError(try paths(noOS, "avx2"))
    }

    func testTheUsersOpenBLASCore_isKept_andSaidSo() throws {
        let chosen = try paths(sapphireRapids, core: "Cooperlake")
        XCTAssertEqual(chosen.blasCore, "Cooperlake")
        XCTAssertEqual(chosen.source, "detected, OPENBLAS_CORETYPE=Cooperlake")
    }

    func testCPUIDWords_decodeAsTheSDMSays() {
        var words = ccpuid_words()
        words.leaf1_ecx = 1 << 12 | 1 << 27 | 1 << 28
        words.leaf7_ebx = 1 << 5 | 1 << 16 | 1 << 17 | 1 << 30 | 1 << 31
        words.xcr0 = 0xe7
        words.family = 6
        words.model = 143
        withUnsafeMutableBytes(of: &words.vendor) { _ = $0.copyBytes(from: Array("GenuineIntel".utf8)) }
        let all = CPUFeatures(words: words)
        XCTAssertEqual(all.vendor, "GenuineIntel")
        XCTAssert(all.runsAVX2 && all.runsAVX512)
        words.xcr0 = 0x7 // ymm saved, zmm not
        XCTAssert(CPUFeatures(words: words).runsAVX2)
        XCTAssertFalse(CPUFeatures(words: words).runsAVX512)
        words.leaf7_ebx &= ~(1 << 30) // no AVX512BW
        words.xcr0 = 0xe7
        XCTAssertFalse(CPUFeatures(words: words).avx512)
        words.leaf7_ebx &= ~(1 << 5) // no AVX2
        XCTAssertFalse(CPUFeatures(words: words).runsAVX2)
    }

    func testThisMachine_runsThePathsItReports() throws {
        if ComputePaths.environment("CONVNET_CPU") == "avx512" && !CPUFeatures.host.runsAVX512 {
            // Forced to a path this CPU cannot run: refused (the executables exit with this message).
            XCTAssertThrowsError(try ComputePaths.current()) { XCTAssert("\($0)".contains("cannot run"), "\($0)") }
            return
        }
        let current = try ComputePaths.current()
        XCTAssert(CPUFeatures.host.runsAVX2)
        XCTAssertEqual(current.instructionSet == .avx512, CPUFeatures.host.runsAVX512 || ComputePaths.environment("CONVNET_CPU") == "avx512")
        // The library loaded with the core chosen (OpenBLAS names its cores in its own case).
        XCTAssertEqual(BLASThreads.coreName.lowercased(), current.blasCore.lowercased())
        XCTAssert(ComputePaths.report().joined().contains("core \(BLASThreads.coreName)"))
    }

    func testConvolutionOverride_isValidated_andTheChoiceIsReported() throws {
        // The process's choices are read once, at first use: before this test changes the variable.
        let chosen = ConvolutionLibrary.current
        _ = try ComputePaths.current()
        let saved = ComputePaths.environment(ConvolutionLibrary.overrideVariable)
        defer {
            if let saved { setenv(ConvolutionLibrary.overrideVariable, saved, 1) } else { unsetenv(ConvolutionLibrary.overrideVariable) }
        }
        for good in ["onednn", "engine", "auto", "oneDNN", ""] {
            setenv(ConvolutionLibrary.overrideVariable, good, 1)
            XCTAssertNoThrow(try ConvolutionLibrary.validate(), good)
        }
        setenv(ConvolutionLibrary.overrideVariable, "mkl", 1)
        XCTAssertThrowsError(try ConvolutionLibrary.validate()) {
            XCTAssertEqual("\($0)", "CONVNET_CONV=mkl is not a choice: use onednn, engine, auto")
        }
        // This process's choice, said in --version and system().
        let line = try XCTUnwrap(ComputePaths.report().first { $0.hasPrefix("convolutions: ") })
        XCTAssertEqual(ConvolutionLibrary.current, chosen)
        switch chosen {
        case .onednn:
            XCTAssert(line.contains("oneDNN 2.") && line.contains("kernels for avx"), line)
            XCTAssertNotEqual(saved?.lowercased(), "engine")
        case .engine:
            XCTAssert(line.contains("the engine's own"), line)
        }
    }
}
