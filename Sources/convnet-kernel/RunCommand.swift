import ArgumentParser
import ConvnetLanguage
import Foundation
import Jupyter

import JupyterProtocol
#if canImport(Glibc)
import Glibc
#endif

/// `convnet-kernel run FILE`: runs a script of the convnet language outside Jupyter.
/// Text goes to stdout (warn to stderr); images and charts are written beside the
/// script as numbered files and named on stdout. Cells are separated by `#%%` lines,
/// or the whole file is one cell; the run stops at the first error (exit status 1).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a convnet script outside Jupyter: text on stdout, pictures written beside it."
    )

    @Argument(help: "The script to run (.convnet).")
    var file: String

    @Option(help: "Folder for the pictures (default: beside the script, in FILE-outputs).")
    var outputs: String?

    func run() throws {
        guard let code = try? String(contentsOfFile: file, encoding: .utf8) else {
            exitWithError("cannot read \(file)")
        }
        let folder = outputs ?? (file.hasSuffix(".convnet") ? String(file.dropLast(8)) : file) + "-outputs"
        let context = ConsoleContext(folder: folder)
        SignalInterrupt.install()
        let interpreter = ConvnetInterpreter()
        for cell in Self.cells(code) {
            switch interpreter.executeRequest(code: cell, context: context) {
            case .ok(let result?):
                context.display(result, displayID: nil, update: false)
            case .ok(nil):
                break
            case .error(_, _, let traceback):
                context.stream(.stderr, traceback.joined(separator: "\n") + "\n")
                Glibc.exit(1)
            }
            context.executionCount += 1
        }
    }

    /// Cells split at `#%%` lines (the notebook-in-a-script convention); one cell otherwise.
    static func cells(_ code: String) -> [String] {
        var cells: [[Substring]] = [[]]
        for line in code.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("#%%") { cells.append([]) } else { cells[cells.count - 1].append(line) }
        }
        return cells.map { $0.joined(separator: "\n") }.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    }
}

/// An ExecutionContext for a terminal: streams to stdout/stderr, text of displays
/// to stdout, pictures to files, input from stdin, SIGINT as the interrupt.
final class ConsoleContext: ExecutionContext, @unchecked Sendable {
    var executionCount = 1
    let isSilent = false
    private let folder: String
    private var pictures = 0
    private var lastUpdate: [String: String] = [:]
    /// Set by the SIGINT handler.
    nonisolated(unsafe) static var interrupted: sig_atomic_t = 0

    init(folder: String) { self.folder = folder }

    var isCancelled: Bool { ConsoleContext.interrupted != 0 }

    func stream(_ name: StreamName, _ text: String) {
        let handle = name == .stdout ? FileHandle.standardOutput : FileHandle.standardError
        handle.write(Data(text.utf8))
    }

    func display(_ bundle: MimeBundle, displayID: String?, update: Bool) {
        let text = bundle.data["text/plain"]?.stringValue ?? ""
        if let id = displayID {
            // Live displays (training) print a line only when their text changes much: its last line.
            let line = text.split(separator: "\n").last.map(String.init) ?? ""
            if lastUpdate[id] == line { return }
            lastUpdate[id] = line
            stream(.stdout, (update ? "  " : "") + line + "\n")
            return
        }
        var saved: String?
        if let png = bundle.data["image/png"]?.stringValue, let bytes = Data(base64Encoded: png) {
            saved = write(bytes, extension: "png")
        } else if let svg = bundle.data["image/svg+xml"]?.stringValue {
            saved = write(Data(svg.utf8), extension: "svg")
        }
        stream(.stdout, text + (saved.map { "\n[picture: \($0)]" } ?? "") + "\n")
    }

    func clearOutput(wait: Bool) {}

    func input(prompt: String, password: Bool) throws -> String {
        stream(.stdout, prompt)
        guard let line = readLine() else { throw InputError.notAllowed }
        return line
    }

    private func write(_ data: Data, extension ext: String) -> String? {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        pictures += 1
        let path = "\(folder)/\(executionCount)-\(pictures).\(ext)"
        return FileManager.default.createFile(atPath: path, contents: data) ? path : nil
    }
}

/// SIGINT stops the running cell (training keeps its weights) instead of killing the process.
enum SignalInterrupt {
    static func install() {
        signal(SIGINT) { _ in ConsoleContext.interrupted = 1 }
    }
}
