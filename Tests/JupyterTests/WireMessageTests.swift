import Foundation
import Synchronization
import XCTest
@testable import Jupyter
import JupyterProtocol

/// Framing and parsing of multipart messages, including every malformed case the server drops.
final class WireMessageTests: XCTestCase {
    private let key = Array("a0436f6c-1916-498b-8eb9-e81ab9368e84".utf8)
    private func b(_ s: String) -> [UInt8] { Array(s.utf8) }

    private let header = #"{"msg_id":"m1","msg_type":"execute_request","session":"s1","username":"u","date":"2026-11-25T13:00:00.000000+00:00","version":"5.5"}"#

    /// Frames as a client would send them, signed with `key` (or a given signature).
    private func frames(
        header: String? = nil, parent: String = "{}", metadata: String = "{}", content: String = #"{"code":"1+1"}"#,
        signature: [UInt8]? = nil, identities: [[UInt8]] = [Array("client-1".utf8)]
    ) throws -> [[UInt8]] {
        let parts = [b(header ?? self.header), b(parent), b(metadata), b(content)]
        let sig = try signature ?? Signer(key: key).signature(of: parts)
        return identities + [WireMessage.delimiter, sig] + parts
    }

    private func reader() throws -> MessageReader {
        MessageReader(signer: try Signer(key: key), replayGuard: ReplayGuard())
    }

    func testRead_wellFormed_decodesEveryPart() throws {
        let message = try reader().read(try frames(identities: [b("id-a"), b("id-b")]) + [b("buffer")])
        XCTAssertEqual(message.identities, [b("id-a"), b("id-b")])
        XCTAssertEqual(message.header.msgID, "m1")
        XCTAssertEqual(message.msgType, "execute_request")
        XCTAssertEqual(message.header.session, "s1")
        XCTAssertEqual(message.header.username, "u")
        XCTAssertEqual(message.header.version, "5.5")
        XCTAssertEqual(message.content["code"], "1+1")
        XCTAssertEqual(message.parentHeader, [:])
        XCTAssertEqual(message.buffers, [b("buffer")])
    }

    func testRead_noIdentities_isFine() throws {
        XCTAssertEqual(try reader().read(try frames(identities: [])).identities, [])
    }

    func testRead_missingDelimiter_isRefused() throws {
        var all = try frames()
        all.remove(at: 1)
        XCTAssertThrowsError(try reader().read(all)) { XCTAssertEqual($0 as? WireError, .missingDelimiter) }
    }

    func testRead_tooFewFrames_isRefused() throws {
        let all = try frames()
        for drop in 1...5 {
            XCTAssertThrowsError(try reader().read(Array(all.dropLast(drop)))) {
                XCTAssertEqual($0 as? WireError, .tooFewFrames(5 - drop))
            }
        }
    }

    func testRead_badSignature_isRefused() throws {
        var sig = try frames()[2]
        sig[0] = sig[0] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
        XCTAssertThrowsError(try reader().read(try frames(signature: sig))) { XCTAssertEqual($0 as? WireError, .badSignature) }
        XCTAssertThrowsError(try reader().read(try frames(signature: []))) { XCTAssertEqual($0 as? WireError, .badSignature) }
    }

    func testRead_contentChangedAfterSigning_isRefused() throws {
        var all = try frames()
        all[6] = b(#"{"code":"2+2"}"#)
        XCTAssertThrowsError(try reader().read(all)) { XCTAssertEqual($0 as? WireError, .badSignature) }
    }

    func testRead_replayedMessage_isRefusedTheSecondTime() throws {
        let r = try reader()
        let all = try frames()
        XCTAssertNoThrow(try r.read(all))
        XCTAssertThrowsError(try r.read(all)) { XCTAssertEqual($0 as? WireError, .replayedSignature) }
    }

    func testRead_nonJSONParts_areRefusedNamingThePart() throws {
        let cases: [(String, [[UInt8]])] = [
            ("header", try frames(header: "{not json")),
            ("parent_header", try frames(parent: "\u{1}")),
            ("metadata", try frames(metadata: "[1,")),
            ("content", try frames(content: "")),
        ]
        for (part, all) in cases {
            XCTAssertThrowsError(try reader().read(all)) { error in
                guard case .invalidJSON(let named, _)? = error as? WireError else { return XCTFail("\(part): \(error)") }
                XCTAssertEqual(named, part)
            }
        }
    }

    func testRead_invalidUTF8InContent_isRefusedOrRepairedNeverCrashes() throws {
        let parts = [b(header), b("{}"), b("{}"), [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]]  // {"\xff\xfe":1}
        let sig = try Signer(key: key).signature(of: parts)
        let message = try reader().read([WireMessage.delimiter, sig] + parts)
        XCTAssertEqual(message.content.objectValue?.count, 1)
    }

    func testRead_headerMissingFields_isRefusedNamingTheField() throws {
        for field in ["msg_id", "msg_type", "session"] {
            var fields = try JSON(parsing: header).objectValue!
            fields[field] = nil
            let all = try frames(header: JSON.object(fields).encodedString())
            XCTAssertThrowsError(try reader().read(all)) { XCTAssertEqual($0 as? WireError, .headerField(field)) }
        }
    }

    func testRead_headerFieldOfWrongType_isRefused() throws {
        let all = try frames(header: #"{"msg_id":1,"msg_type":"x","session":"s"}"#)
        XCTAssertThrowsError(try reader().read(all)) { XCTAssertEqual($0 as? WireError, .headerField("msg_id")) }
    }

    func testRead_partsThatAreNotObjects_areRefused() throws {
        XCTAssertThrowsError(try reader().read(try frames(header: "[]"))) { XCTAssertEqual($0 as? WireError, .headerNotAnObject) }
        XCTAssertThrowsError(try reader().read(try frames(content: "3"))) {
            XCTAssertEqual($0 as? WireError, .partNotAnObject("content"))
        }
        XCTAssertThrowsError(try reader().read(try frames(metadata: "null"))) {
            XCTAssertEqual($0 as? WireError, .partNotAnObject("metadata"))
        }
    }

    func testRead_unknownHeaderFields_areKeptForTheParentHeader() throws {
        let h = #"{"msg_id":"m","msg_type":"execute_request","session":"s","username":"u","version":"5.5","subshell_id":"x"}"#
        let message = try reader().read(try frames(header: h))
        XCTAssertEqual(message.header.extra["subshell_id"], "x")
        XCTAssertEqual(message.header.json["subshell_id"], "x")
    }

    func testReply_renamesTypeCopiesIdentitiesAndSetsParent() throws {
        let request = try reader().read(try frames())
        let session = Session(id: "kernel-session", username: "kernel")
        let reply = request.reply(["status": "ok"], session: session)
        XCTAssertEqual(reply.msgType, "execute_reply")
        XCTAssertEqual(reply.identities, request.identities)
        XCTAssertEqual(reply.parentHeader["msg_id"], "m1")
        XCTAssertEqual(reply.parentHeader["session"], "s1")
        XCTAssertEqual(reply.header.session, "kernel-session")
        XCTAssertEqual(reply.header.version, "5.5")
        XCTAssertNotEqual(reply.header.msgID, request.header.msgID)
        XCTAssertEqual(Message.replyType(for: "kernel_info_request"), "kernel_info_reply")
    }

    func testWire_roundTripsThroughSigningAndReading() throws {
        let session = Session()
        var message = session.message("stream", ["name": "stdout", "text": "héllo\n"], identities: [b("topic")])
        message.buffers = [[1, 2, 3]]
        let signer = try Signer(key: key)
        let wire = message.wire(signedBy: signer)
        let back = try reader().read(wire.frames)
        XCTAssertEqual(back, message)
        XCTAssertEqual(wire.signature.count, 64)
    }

    func testWire_emptyKey_sendsEmptySignatureAndReadsBack() throws {
        let message = Session().message("status", ["execution_state": "idle"])
        let wire = message.wire(signedBy: try Signer(key: []))
        XCTAssertEqual(wire.signature, [])
        let unsigned = MessageReader(signer: try Signer(key: []), replayGuard: ReplayGuard())
        XCTAssertEqual(try unsigned.read(wire.frames), message)
    }

    func testIdentifiers_uuidsAreUniqueAndWellFormed() {
        let ids = (0..<1000).map { _ in Identifiers.uuid() }
        XCTAssertEqual(Set(ids).count, 1000)
        for id in ids.prefix(20) {
            XCTAssertEqual(id.count, 36)
            XCTAssertEqual(Array(id)[14], "4", "version 4")
        }
    }

    func testIdentifiers_isoDatesHaveMicrosecondsAndOffset() {
        XCTAssertEqual(Identifiers.iso8601(seconds: 0, microseconds: 5), "1970-01-01T00:00:00.000005+00:00")
        XCTAssertEqual(Identifiers.iso8601(seconds: 1_795_000_000, microseconds: 123_456), "2026-11-18T11:06:40.123456+00:00")
        XCTAssertEqual(Identifiers.now().count, 32)
    }
}

extension WireMessageTests {
    func testRead_unsignedConnection_neverCallsARepeatAReplay() throws {
        let message = Session().message("kernel_info_request", [:])
        let frames = message.wire(signedBy: try Signer(key: Array("client key".utf8))).frames
        let unsigned = MessageReader(signer: try Signer(key: []), replayGuard: ReplayGuard())
        XCTAssertNoThrow(try unsigned.read(frames))
        XCTAssertNoThrow(try unsigned.read(frames), "with no key, nothing is authenticated and nothing is a replay")
    }
}

extension WireMessageTests {
    func testSessionHeaders_haveUniqueMessageIDsAcrossThreads() {
        let session = Session()
        let ids = Mutex<Set<String>>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let mine = (0..<1000).map { _ in session.header("status").msgID }
            ids.withLock { $0.formUnion(mine) }
        }
        XCTAssertEqual(ids.withLock { $0.count }, 4000)
        XCTAssertTrue(session.header("status").msgID.hasPrefix(session.id + "_"))
    }
}
