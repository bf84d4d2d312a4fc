import XCTest
import Foundation
@testable import Jupyter
import JupyterProtocol

final class ConnectionInfoTests: XCTestCase {
    private let valid: [String: JSON] = [
        "transport": "tcp", "ip": "127.0.0.1", "shell_port": 50001, "iopub_port": 50002, "stdin_port": 50003,
        "control_port": 50004, "hb_port": 50005, "key": "secret", "signature_scheme": "hmac-sha256",
        "kernel_name": "convnet",
    ]

    private func info(_ changes: [String: JSON?]) throws -> ConnectionInfo {
        var fields = valid
        for (k, v) in changes { fields[k] = v }
        return try ConnectionInfo(json: .object(fields), path: "k.json")
    }

    private func assertError(_ changes: [String: JSON?], _ expected: ConnectionFileError, line: UInt = #line) {
        XCTAssertThrowsError(try info(changes), line: line) { XCTAssertEqual($0 as? ConnectionFileError, expected, line: line) }
    }

    func testValid_readsEveryField() throws {
        let c = try info([:])
        XCTAssertEqual(c.transport, .tcp)
        XCTAssertEqual(c.shellPort, 50001)
        XCTAssertEqual(c.hbPort, 50005)
        XCTAssertEqual(c.key, Array("secret".utf8))
        XCTAssertEqual(c.kernelName, "convnet")
        XCTAssertNil(c.curve)
        XCTAssertEqual(c.endpoint(port: c.shellPort), "tcp://127.0.0.1:50001")
    }

    func testTCP_ipv6AndPortZero() throws {
        XCTAssertEqual(try info(["ip": "::1"]).endpoint(port: 5), "tcp://[::1]:5")
        XCTAssertEqual(try info([:]).endpoint(port: 0), "tcp://127.0.0.1:*", "port 0: any free port")
    }

    func testIPC_endpointsAreNamedAsJupyterClientNamesThem() throws {
        let c = try info(["transport": "ipc", "ip": "/tmp/kernel-1"])
        XCTAssertEqual(c.endpoint(port: 3), "ipc:///tmp/kernel-1-3")
    }

    func testDefaults_transportIPSchemeAndEmptyKey() throws {
        let c = try info(["transport": nil, "ip": nil, "key": nil, "signature_scheme": nil])
        XCTAssertEqual(c.transport, .tcp)
        XCTAssertEqual(c.ip, "127.0.0.1")
        XCTAssertEqual(c.key, [])
        XCTAssertEqual(c.signatureScheme, "hmac-sha256")
    }

    func testMissingPort_isNamed() {
        assertError(["iopub_port": nil], .missingField(path: "k.json", field: "iopub_port"))
    }

    func testPortOfWrongTypeOrRange_isNamed() {
        assertError(["hb_port": "50005"], .wrongType(path: "k.json", field: "hb_port", expected: "a whole number"))
        assertError(["hb_port": 1.5], .wrongType(path: "k.json", field: "hb_port", expected: "a whole number"))
        assertError(["shell_port": 70000], .badPort(path: "k.json", field: "shell_port", value: 70000))
        assertError(["shell_port": -1], .badPort(path: "k.json", field: "shell_port", value: -1))
    }

    func testUnknownSchemeAndTransport_areRefused() {
        assertError(["signature_scheme": "hmac-md5"], .unknownSignatureScheme(path: "k.json", scheme: "hmac-md5"))
        assertError(["transport": "udp"], .unknownTransport(path: "k.json", transport: "udp"))
        assertError(["key": 5], .wrongType(path: "k.json", field: "key", expected: "a string"))
    }

    func testCurveKeys_bothValid_areKept() throws {
        // A key pair from zmq.curve_keypair().
        let c = try info([
            "curve_publickey": "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7", "curve_secretkey": "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6",
        ])
        XCTAssertEqual(c.curve?.publicKey, "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7")
    }

    func testCurveKeys_malformedOrAlone_areRefused() {
        assertError(
            ["curve_publickey": "short", "curve_secretkey": "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6"],
            .badCurveKey(path: "k.json", field: "curve_publickey"))
        assertError(
            ["curve_publickey": "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7", "curve_secretkey": "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh\""],
            .badCurveKey(path: "k.json", field: "curve_secretkey"))
        assertError(["curve_publickey": "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"], .missingField(path: "k.json", field: "curve_secretkey"))
    }

    func testFile_missingUnreadableOrNotJSON() throws {
        XCTAssertThrowsError(try ConnectionInfo(contentsOf: "/nonexistent/k.json")) { error in
            guard case .unreadable(let path, _)? = error as? ConnectionFileError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "/nonexistent/k.json")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jt-\(Identifiers.uuid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.json")
        try Data("{\"shell_port\": ".utf8).write(to: bad)
        XCTAssertThrowsError(try ConnectionInfo(contentsOf: bad.path)) { error in
            guard case .notJSON? = error as? ConnectionFileError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains(bad.path))
        }
        let array = dir.appendingPathComponent("array.json")
        try Data("[1]".utf8).write(to: array)
        XCTAssertThrowsError(try ConnectionInfo(contentsOf: array.path)) {
            XCTAssertEqual($0 as? ConnectionFileError, .notAnObject(path: array.path))
        }
        let good = dir.appendingPathComponent("good.json")
        try Data(JSON.object(valid).encoded()).write(to: good)
        XCTAssertEqual(try ConnectionInfo(contentsOf: good.path).controlPort, 50004)
    }

    func testErrorMessages_areOneLineAndNameTheField() {
        let e = ConnectionFileError.unknownSignatureScheme(path: "k.json", scheme: "hmac-md5")
        XCTAssertFalse(e.description.contains("\n"))
        XCTAssertTrue(e.description.contains("hmac-md5"))
    }

    func testZ85_roundTripsAndRejectsBadText() {
        let bytes: [UInt8] = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B]
        XCTAssertEqual(Z85.encode(bytes), "HelloWorld")  // the example of ZeroMQ RFC 32
        XCTAssertEqual(Z85.decode("HelloWorld"), bytes)
        XCTAssertNil(Z85.decode("Hell"), "length not a multiple of 5")
        XCTAssertNil(Z85.decode("Hell\"World"))
        XCTAssertNil(Z85.encode([1, 2, 3]))
    }
}
