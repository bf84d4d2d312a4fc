import Foundation
import FuzzSupport
import Jupyter
import JupyterProtocol

// The connection-file reader on any bytes: JSON, then every field's checks (ports,
// transport, key, signature scheme, CurveZMQ keys in Z85). The corpus
// (Fuzz/corpus/connection-file) holds files jupyter_client writes and the tests' bad ones.
//
// Beyond "no trap": reading the bytes from a file gives what parsing them gives; a file
// that is accepted has ports in range and Curve keys that decode to 32 bytes and encode
// back to the same text; Z85 text that decodes encodes back to itself.

let file = NSTemporaryDirectory() + "convnet-fuzz-connection-\(getpid()).json"

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let parsed: ConnectionInfo?
    if let json = try? JSON(decoding: bytes) {
        parsed = try? ConnectionInfo(json: json, path: file)
    } else {
        parsed = nil
    }
    invariant(FileManager.default.createFile(atPath: file, contents: Data(bytes)), "cannot write \(file)")
    let read = try? ConnectionInfo(contentsOf: file)
    invariant(read == parsed, "the file reads differently from its bytes: \(String(describing: read)) vs \(String(describing: parsed))")

    if let info = parsed {
        for port in [info.shellPort, info.iopubPort, info.stdinPort, info.controlPort, info.hbPort] {
            invariant((0...65535).contains(port), "port \(port) accepted")
            _ = info.endpoint(port: port)
        }
        if let curve = info.curve {
            for key in [curve.publicKey, curve.secretKey] {
                let decoded = Z85.decode(key)
                invariant(decoded?.count == 32, "a Curve key of \(decoded?.count ?? -1) bytes accepted")
                invariant(decoded.flatMap(Z85.encode) == key, "Z85 key \(key) does not encode back")
            }
        }
    }
    let text = String(decoding: bytes, as: UTF8.self)
    if let decoded = Z85.decode(text) {
        invariant(Z85.encode(decoded) == text, "Z85 \(text) does not encode back")
    }
    return 0
}
