import JupyterProtocol
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The connection file a front end writes before launching the kernel
/// (jupyter_client's `write_connection_file`): where to bind, and how to sign.
public struct ConnectionInfo: Sendable, Equatable {
    public enum Transport: String, Sendable {
        case tcp, ipc
    }

    public var transport: Transport
    /// An interface address for tcp, a path prefix for ipc.
    public var ip: String
    public var shellPort: Int
    public var iopubPort: Int
    public var stdinPort: Int
    public var controlPort: Int
    public var hbPort: Int
    /// The HMAC key; empty means messages are not signed.
    public var key: [UInt8]
    public var signatureScheme: String
    public var kernelName: String?
    /// CurveZMQ key pair in Z85 (jupyter_client 8.10 with transport_encryption); both or neither.
    public var curve: CurveKeys?

    public struct CurveKeys: Sendable, Equatable {
        public var publicKey: String
        public var secretKey: String
    }

    /// The only scheme Jupyter uses.
    public static let supportedSchemes = ["hmac-sha256"]

    /// The ZeroMQ endpoint for a port: `tcp://ip:port`, or `ipc://ip-port` as jupyter_client names ipc files.
    public func endpoint(port: Int) -> String {
        switch transport {
        case .tcp: return "tcp://\(ip.contains(":") ? "[\(ip)]" : ip):\(port == 0 ? "*" : String(port))"
        case .ipc: return "ipc://\(ip)-\(port)"
        }
    }

    /// Reads and checks a connection file.
    /// - Throws: `ConnectionFileError` saying what is wrong with which field.
    public init(contentsOf path: String) throws(ConnectionFileError) {
        let bytes = try ConnectionInfo.readFile(path)
        let json: JSON
        do {
            json = try JSON(decoding: bytes)
        } catch {
            throw ConnectionFileError.notJSON(path: path, detail: error.description)
        }
        try self.init(json: json, path: path)
    }

    /// Checks a parsed connection file. `path` only names the file in errors.
    public init(json: JSON, path: String = "connection file") throws(ConnectionFileError) {
        guard let fields = json.objectValue else { throw ConnectionFileError.notAnObject(path: path) }

        func string(_ name: String, default value: String? = nil) throws(ConnectionFileError) -> String {
            guard let field = fields[name], field != .null else {
                if let value { return value }
                throw ConnectionFileError.missingField(path: path, field: name)
            }
            guard let text = field.stringValue else {
                throw ConnectionFileError.wrongType(path: path, field: name, expected: "a string")
            }
            return text
        }
        func port(_ name: String) throws(ConnectionFileError) -> Int {
            guard let field = fields[name] else { throw ConnectionFileError.missingField(path: path, field: name) }
            guard let value = field.intValue else {
                throw ConnectionFileError.wrongType(path: path, field: name, expected: "a whole number")
            }
            guard (0...65535).contains(value) else { throw ConnectionFileError.badPort(path: path, field: name, value: value) }
            return value
        }

        let transportName = try string("transport", default: "tcp")
        guard let transport = Transport(rawValue: transportName) else {
            throw ConnectionFileError.unknownTransport(path: path, transport: transportName)
        }
        self.transport = transport
        ip = try string("ip", default: "127.0.0.1")
        shellPort = try port("shell_port")
        iopubPort = try port("iopub_port")
        stdinPort = try port("stdin_port")
        controlPort = try port("control_port")
        hbPort = try port("hb_port")
        key = Array(try string("key", default: "").utf8)
        signatureScheme = try string("signature_scheme", default: "hmac-sha256")
        guard ConnectionInfo.supportedSchemes.contains(signatureScheme) else {
            throw ConnectionFileError.unknownSignatureScheme(path: path, scheme: signatureScheme)
        }
        kernelName = fields["kernel_name"]?.stringValue

        let publicKey = fields["curve_publickey"]?.stringValue
        let secretKey = fields["curve_secretkey"]?.stringValue
        switch (publicKey, secretKey) {
        case (nil, nil):
            curve = nil
        case (let publicKey?, let secretKey?):
            for (name, value) in [("curve_publickey", publicKey), ("curve_secretkey", secretKey)] {
                guard value.utf8.count == 40, let decoded = Z85.decode(value), decoded.count == 32 else {
                    throw ConnectionFileError.badCurveKey(path: path, field: name)
                }
            }
            curve = CurveKeys(publicKey: publicKey, secretKey: secretKey)
        default:
            throw ConnectionFileError.missingField(
                path: path, field: publicKey == nil ? "curve_publickey" : "curve_secretkey")
        }
    }

    /// The whole file, without Foundation.
    static func readFile(_ path: String) throws(ConnectionFileError) -> [UInt8] {
        guard let file = fopen(path, "rb") else {
            throw ConnectionFileError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count {
                if ferror(file) != 0 {
                    throw ConnectionFileError.unreadable(path: path, reason: String(cString: strerror(errno)))
                }
                break
            }
        }
        return bytes
    }
}

/// What is wrong with a connection file; each message names the file and the field.
public enum ConnectionFileError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case notJSON(path: String, detail: String)
    case notAnObject(path: String)
    case missingField(path: String, field: String)
    case wrongType(path: String, field: String, expected: String)
    case badPort(path: String, field: String, value: Int)
    case unknownTransport(path: String, transport: String)
    case unknownSignatureScheme(path: String, scheme: String)
    case badCurveKey(path: String, field: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read connection file \(path): \(reason)"
        case .notJSON(let path, let detail):
            return "connection file \(path) is not valid JSON: \(detail)"
        case .notAnObject(let path):
            return "connection file \(path) must hold a JSON object"
        case .missingField(let path, let field):
            return "connection file \(path) has no \"\(field)\""
        case .wrongType(let path, let field, let expected):
            return "connection file \(path): \"\(field)\" must be \(expected)"
        case .badPort(let path, let field, let value):
            return "connection file \(path): \"\(field)\" is \(value), not a port (0-65535)"
        case .unknownTransport(let path, let transport):
            return "connection file \(path): unknown transport \"\(transport)\" (use \"tcp\" or \"ipc\")"
        case .unknownSignatureScheme(let path, let scheme):
            return "connection file \(path): unknown signature_scheme \"\(scheme)\" (this kernel signs with hmac-sha256)"
        case .badCurveKey(let path, let field):
            return "connection file \(path): \"\(field)\" is not a 40-character Z85 CurveZMQ key"
        }
    }
}
