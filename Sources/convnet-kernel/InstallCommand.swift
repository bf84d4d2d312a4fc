import ArgumentParser
import Foundation

/// `convnet-kernel install`: writes the kernelspec so Jupyter can launch this binary.
struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install the kernelspec (kernel.json and logos, held in this binary) for Jupyter.",
        discussion: """
            Writes NAME/kernel.json and its logos into the kernels folder of:
              --user (the default)  your Jupyter data folder: $JUPYTER_DATA_DIR, else
                                    $XDG_DATA_HOME/jupyter or ~/.local/share/jupyter
              --sys-prefix          the active venv or conda env ($VIRTUAL_ENV, else $CONDA_PREFIX)
              --prefix PREFIX       PREFIX/share/jupyter (a venv: --prefix .venv;
                                    every user of the machine: --prefix /usr/local)
            kernel.json names this binary by its absolute path, or the path given with --binary
            (when packaging into a staging folder, as `make install DESTDIR=...` does).
            """
    )

    @Flag(help: "Install for the current user (the default).")
    var user = false

    @Flag(help: "Install into the active venv or conda env ($VIRTUAL_ENV, else $CONDA_PREFIX).")
    var sysPrefix = false

    @Option(help: "Install under PREFIX/share/jupyter/kernels (for a venv or conda env, or /usr/local).")
    var prefix: String?

    @Option(help: "The kernelspec's name.")
    var name = "convnet"

    @Option(help: "The name Jupyter shows (default: Convnet).")
    var displayName: String?

    @Option(help: "The binary kernel.json runs (default: this one).")
    var binary: String?

    @Option(name: .customLong("env"), help: "NAME=VALUE: an environment variable Jupyter sets for the kernel (repeatable).")
    var environment: [String] = []

    func validate() throws {
        if [user, sysPrefix, prefix != nil].filter({ $0 }).count > 1 {
            throw ValidationError("give one of --user, --sys-prefix and --prefix")
        }
        if name.isEmpty || name.contains("/") || name == "." || name == ".." {
            throw ValidationError("--name must be a plain name, like convnet")
        }
        if let binary, !binary.hasPrefix("/") { throw ValidationError("--binary must be an absolute path") }
        for pair in environment where (pair.firstIndex(of: "=") ?? pair.startIndex) == pair.startIndex {
            throw ValidationError("--env takes NAME=VALUE, not '\(pair)'")
        }
    }

    func run() throws {
        let destination: URL
        do {
            destination = try kernelsFolder().appendingPathComponent(name)
        } catch {
            exitWithError("\(error)")
        }
        let spec = Kernelspec(binary: binary ?? Self.binaryPath(), displayName: displayName, environment: variables)
        do {
            try spec.write(to: destination)
        } catch {
            exitWithError("cannot install the kernelspec in \(destination.path): \(error)")
        }
        print("Installed kernelspec \(name) in \(destination.path)")
    }

    /// The kernels folder the flags name.
    func kernelsFolder() throws(InstallError) -> URL {
        let environment = ProcessInfo.processInfo.environment.filter { !$0.value.isEmpty }
        if let prefix { return Self.kernels(underPrefix: prefix) }
        if sysPrefix {
            // The innermost active environment: a venv made inside a conda env sets both.
            guard let active = environment["VIRTUAL_ENV"] ?? environment["CONDA_PREFIX"] else {
                throw InstallError.noActiveEnvironment
            }
            return Self.kernels(underPrefix: active)
        }
        // jupyter_core's jupyter_data_dir() on Linux.
        let data: URL
        if let dir = environment["JUPYTER_DATA_DIR"] {
            data = URL(fileURLWithPath: dir)
        } else if let xdg = environment["XDG_DATA_HOME"] {
            data = URL(fileURLWithPath: xdg).appendingPathComponent("jupyter")
        } else {
            data = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/jupyter")
        }
        return data.appendingPathComponent("kernels")
    }

    static func kernels(underPrefix prefix: String) -> URL {
        URL(fileURLWithPath: prefix).appendingPathComponent("share/jupyter/kernels")
    }

    /// The --env pairs as a dictionary (the last one wins for a name given twice).
    var variables: [String: String] {
        var result: [String: String] = [:]
        for pair in environment {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            result[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return result
    }

    /// The absolute path of this executable, symlinks resolved, for kernel.json's argv.
    static func binaryPath() -> String {
        let link = "/proc/self/exe"
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: link) { return resolved }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath().path
    }
}

enum InstallError: Error, CustomStringConvertible {
    case noActiveEnvironment

    var description: String {
        switch self {
        case .noActiveEnvironment:
            return "--sys-prefix: no active venv or conda env (neither VIRTUAL_ENV nor CONDA_PREFIX is set); "
                + "activate one, or give --prefix"
        }
    }
}
