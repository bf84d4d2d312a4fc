import ArgumentParser
import ConvnetLanguage
import Jupyter
import Logging

import JupyterProtocol
#if canImport(Glibc)
import Glibc
#endif

/// `convnet-kernel kernel FILE` or `convnet-kernel --connection-file FILE`: serve one front end.
struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Run as a Jupyter kernel, bound to the ports of a connection file."
    )

    @Option(name: [.customLong("connection-file"), .customShort("f")], help: "The connection file Jupyter wrote.")
    var connectionFileOption: String?

    @Argument(help: "The connection file (instead of --connection-file).")
    var connectionFile: String?

    func run() throws {
        bootstrapLogging()
        // A missing connection file is a start error like a bad one: one line, status 2.
        guard let path = connectionFileOption ?? connectionFile else {
            exitWithError("no connection file: Jupyter runs `convnet-kernel --connection-file FILE` (see --help)")
        }
        let connection: ConnectionInfo
        do {
            connection = try ConnectionInfo(contentsOf: path)
        } catch {
            exitWithError(error.description)
        }
        let logger = Logger(label: "convnet-kernel")
        let server: KernelServer
        do {
            // Jupyter expects the process gone within a second of a shutdown_request.
            server = try KernelServer(
                connection: connection, interpreter: ConvnetInterpreter(), logger: logger, forcedExitAfter: 0.9)
        } catch {
            exitWithError(error.description)
        }
        // A kernel whose notebook server died without shutting it down (a hub stopping the
        // server, a crash) ends too, as ipykernel's does, instead of holding its memory forever.
        ParentWatch.start(logger: logger) { [server, logger] reason in
            logger.warning("\(reason)")
            server.shutdown(restart: false)
        }
        server.run()
        Glibc.exit(0)
    }
}
