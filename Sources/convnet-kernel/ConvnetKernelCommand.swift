import ArgumentParser
import CCPUID
import Convnet
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// `convnet-kernel`: run as a Jupyter kernel (the default), install the kernelspec, or run a script.
@main
struct ConvnetKernelCommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "convnet-kernel",
        abstract: "A Jupyter kernel for a small convnet language.",
        discussion: """
            Jupyter starts it as `convnet-kernel --connection-file FILE` (see `convnet-kernel install`).
            Set CONVNET_KERNEL_LOG=debug (or info, warning, trace) for more detail on stderr.
            """,
        version: version,
        subcommands: [KernelCommand.self, InstallCommand.self, RunCommand.self],
        defaultSubcommand: KernelCommand.self
    )

    /// Checks the CPU before anything else runs: this module is built for baseline x86-64,
    /// the engine for AVX2/FMA, so a CPU without them gets a message, not an illegal
    /// instruction. `--version` also says which compute paths and BLAS core were chosen.
    static func main() {
        ccpuid_require_avx2_fma("convnet-kernel")
        do {
            _ = try ComputePaths.current()
        } catch {
            exitWithError("\(error)")
        }
        if Array(CommandLine.arguments.dropFirst()) == ["--version"] {
            print("convnet-kernel \(version)")
            for line in ComputePaths.report() { print(line) }
            return
        }
        main(nil)
    }
}

/// Prints one line on stderr and exits with status 2: how the kernel reports a bad start.
func exitWithError(_ message: String) -> Never {
    var line = Array("convnet-kernel: \(message)\n".utf8)
    _ = write(2, &line, line.count)
    exit(2)
}

/// Logs go to stderr (Jupyter shows them in the terminal that launched it), never stdout.
/// The level comes from CONVNET_KERNEL_LOG; warnings and errors by default.
func bootstrapLogging() {
    let name = getenv("CONVNET_KERNEL_LOG").map { String(cString: $0).lowercased() } ?? ""
    let level = Logger.Level(rawValue: name) ?? .warning
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
}
