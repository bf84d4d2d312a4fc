import ArgumentParser
import Foundation
import Jupyter
import JupyterProtocol

/// `convnet-kernel install`: writes the kernelspec so Jupyter can launch this binary.
struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install the kernelspec (kernel.json and logos) for Jupyter.",
        discussion: """
            Writes PREFIX/share/jupyter/kernels/NAME with --prefix (a venv: --prefix .venv),
            ~/.local/share/jupyter/kernels/NAME with --user (the default).
            """
    )

    @Flag(help: "Install for the current user (~/.local/share/jupyter/kernels).")
    var user = false

    @Option(help: "Install under PREFIX/share/jupyter/kernels (for a venv or conda env).")
    var prefix: String?

    @Option(help: "The kernelspec's name.")
    var name = "convnet"

    func validate() throws {
        if user && prefix != nil { throw ValidationError("give --user or --prefix, not both") }
        if name.isEmpty || name.contains("/") { throw ValidationError("--name must be a plain name, like convnet") }
    }

    func run() throws {
        let fileManager = FileManager.default
        let base: URL
        if let prefix {
            base = URL(fileURLWithPath: prefix).appendingPathComponent("share/jupyter/kernels")
        } else {
            base = fileManager.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/jupyter/kernels")
        }
        let destination = base.appendingPathComponent(name)
        do {
            let source = try Self.kernelspecSource()
            let spec = try Self.kernelJSON(template: source.appendingPathComponent("kernel.json"), binary: Self.binaryPath())
            try fileManager.createDirectory(at: destination, withIntermediateDirectories: true)
            try Data(spec.utf8).write(to: destination.appendingPathComponent("kernel.json"), options: .atomic)
            for logo in ["logo-32x32.png", "logo-64x64.png"] {
                let target = destination.appendingPathComponent(logo)
                try? fileManager.removeItem(at: target)
                try fileManager.copyItem(at: source.appendingPathComponent(logo), to: target)
            }
        } catch {
            exitWithError("cannot install the kernelspec in \(destination.path): \(error)")
        }
        print("Installed kernelspec \(name) in \(destination.path)")
    }

    /// The absolute path of this executable, symlinks resolved, for kernel.json's argv.
    static func binaryPath() -> String {
        let link = "/proc/self/exe"
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: link) { return resolved }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// The repository's kernelspec/convnet folder: found from this source file's path
    /// (the binary is built in the repository), or beside the binary's build folder.
    static func kernelspecSource() throws -> URL {
        let fromSource = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("kernelspec/convnet")
        var candidates = [fromSource]
        var dir = URL(fileURLWithPath: binaryPath()).deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(dir.appendingPathComponent("kernelspec/convnet"))
            dir = dir.deletingLastPathComponent()
        }
        for candidate in candidates
        where FileManager.default.fileExists(atPath: candidate.appendingPathComponent("kernel.json").path) {
            return candidate
        }
        throw InstallError.noKernelspec(candidates.map(\.path))
    }

    /// The template with argv[0] replaced by the absolute path of the binary.
    static func kernelJSON(template: URL, binary: String) throws -> String {
        let bytes = try [UInt8](Data(contentsOf: template))
        guard case .object(var spec) = try JSON(decoding: bytes), case .array(var argv)? = spec["argv"], !argv.isEmpty
        else { throw InstallError.badTemplate(template.path) }
        argv[0] = .string(binary)
        spec["argv"] = .array(argv)
        return JSON.object(spec).prettyPrinted()
    }
}

enum InstallError: Error, CustomStringConvertible {
    case noKernelspec([String])
    case badTemplate(String)

    var description: String {
        switch self {
        case .noKernelspec(let paths): return "no kernelspec/convnet/kernel.json found (looked in \(paths.joined(separator: ", ")))"
        case .badTemplate(let path): return "\(path) has no argv list"
        }
    }
}
