import Foundation
import JupyterProtocol

/// The kernelspec Jupyter launches this kernel from: kernel.json and two logos.
///
/// The files in `Kernelspec/` are compiled into the binary (SwiftPM's `embedInCode`
/// resources), so an installed binary writes its kernelspec with nothing beside it.
struct Kernelspec {
    /// The path kernel.json's argv starts with.
    var binary: String
    /// Shown in Jupyter's launcher and kernel menus (the template's "Convnet" when nil).
    var displayName: String?
    /// Environment variables Jupyter sets for the kernel (kernel.json's `env`).
    var environment: [String: String] = [:]

    /// The logos as Jupyter names them, with their PNG bytes.
    static let logos: [(name: String, bytes: [UInt8])] = [
        ("logo-32x32.png", PackageResources.logo_32x32_png),
        ("logo-64x64.png", PackageResources.logo_64x64_png),
    ]

    /// kernel.json: the template with argv[0] replaced by `binary`, and the display name and env set.
    func kernelJSON() throws(KernelspecError) -> String {
        guard case .object(var spec)? = try? JSON(decoding: PackageResources.kernel_json),
            case .array(var argv)? = spec["argv"], !argv.isEmpty
        else { throw KernelspecError.badTemplate }
        argv[0] = .string(binary)
        spec["argv"] = .array(argv)
        if let displayName { spec["display_name"] = .string(displayName) }
        if !environment.isEmpty { spec["env"] = .object(environment.mapValues { .string($0) }) }
        return JSON.object(spec).prettyPrinted()
    }

    /// Writes kernel.json and the logos into `folder`, readable by every user of the machine
    /// (a system-wide install serves every student's server), each file replaced atomically.
    func write(to folder: URL) throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(
            at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let files = [("kernel.json", Data(try kernelJSON().utf8))] + Self.logos.map { ($0.name, Data($0.bytes)) }
        for (name, data) in files {
            let target = folder.appendingPathComponent(name)
            try data.write(to: target, options: .atomic)
            try fileManager.setAttributes([.posixPermissions: 0o644], ofItemAtPath: target.path)
        }
    }
}

enum KernelspecError: Error, CustomStringConvertible {
    case badTemplate

    var description: String { "the kernel.json built into this binary has no argv list" }
}
