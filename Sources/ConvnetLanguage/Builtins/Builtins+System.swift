import Convnet

// What the engine runs on: system().
extension Builtins {
    static var system: [Builtin] {
        [
            Builtin(
                "system", [], family: .session,
                summary: "Says what the engine runs on: the CPU, the compute paths chosen for it and the BLAS loaded.",
                details: "The paths are chosen at start-up (AVX-512 where the CPU has it, else AVX2/FMA); "
                    + "CONVNET_CPU=avx2|avx512|auto in the kernel's environment overrides the choice.",
                example: "system().paths"
            ) { _, _ throws(LanguageError) in
                let lines = ComputePaths.report()
                let paths = try? ComputePaths.current()
                return .record(Record(kind: "system", fields: [
                    ("cpu", .string(CPUFeatures.host.summary)),
                    ("paths", .string(paths?.instructionSet.rawValue ?? "none")),
                    ("chosen", .string(paths?.source ?? "")),
                    ("blas_core", .string(BLASThreads.coreName)),
                    ("blas", .string(BLASThreads.configuration)),
                ], summary: lines.joined(separator: "\n")))
            },
        ]
    }
}
