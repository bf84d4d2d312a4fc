import XCTest
@testable import Jupyter
import JupyterProtocol

/// HMAC-SHA256 signatures against digests computed with Python's hmac module.
final class SignerTests: XCTestCase {
    private func hex(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    // python3 -c "import hmac,hashlib; print(hmac.new(b'key', b'The quick brown fox jumps over the lazy dog', hashlib.sha256).hexdigest())"
    func testSignature_singlePart_matchesPythonHMAC() throws {
        let signer = try Signer(key: Array("key".utf8))
        let digest = signer.signature(of: [Array("The quick brown fox jumps over the lazy dog".utf8)])
        XCTAssertEqual(hex(digest), "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")
    }

    // python3 -c "import hmac,hashlib; h=hmac.new(b'a0436f6c-1916-498b-8eb9-e81ab9368e84',digestmod=hashlib.sha256)
    //   [h.update(p) for p in [HEADER, b'{}', b'{}', b'{}']]; print(h.hexdigest())"   (HEADER as below)
    func testSignature_fourMessageParts_matchesPythonHMAC() throws {
        let signer = try Signer(key: Array("a0436f6c-1916-498b-8eb9-e81ab9368e84".utf8))
        let header = #"{"msg_id":"1","msg_type":"kernel_info_request","session":"s","username":"u","version":"5.5"}"#
        let digest = signer.signature(Array(header.utf8), Array("{}".utf8), Array("{}".utf8), Array("{}".utf8))
        XCTAssertEqual(hex(digest), "a7610e60098b1486134d8599e118563a16744d5ec1064ad9264b1de92889ed49")
    }

    // python3 -c "import hmac,hashlib; h=hmac.new(b'secret',digestmod=hashlib.sha256)
    //   [h.update(p) for p in [b'{\"a\":\"\xc3\xa9\"}', b'', b'[]', b'{\"code\":\"1+1\"}']]; print(h.hexdigest())"
    func testSignature_nonASCIIAndEmptyParts_matchesPythonHMAC() throws {
        let signer = try Signer(key: Array("secret".utf8))
        let parts = [Array(#"{"a":"é"}"#.utf8), [], Array("[]".utf8), Array(#"{"code":"1+1"}"#.utf8)]
        XCTAssertEqual(hex(signer.signature(of: parts)), "7e58b354b024ec502258885d8ea6dd12b9e01c0a6b9e22b4748297cd58eee887")
    }

    func testVerify_acceptsRightAndRejectsWrongSignature() throws {
        let signer = try Signer(key: Array("key".utf8))
        let parts = [Array("The quick brown fox jumps over the lazy dog".utf8)]
        XCTAssertTrue(signer.verify(Array("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8".utf8), parts: parts))
        XCTAssertFalse(signer.verify(Array("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd9".utf8), parts: parts))
        XCTAssertFalse(signer.verify([], parts: parts))
        // Upper-case hex is a different string: Jupyter signatures are lower-case.
        XCTAssertFalse(signer.verify(Array("F7BC83F430538424B13298E6AA6FB143EF4D59A14946175997479DBC2D1A3CD8".utf8), parts: parts))
    }

    func testEmptyKey_signsNothingAndAcceptsAnything() throws {
        let signer = try Signer(key: [])
        XCTAssertFalse(signer.isSigning)
        XCTAssertEqual(signer.signature(of: [Array("x".utf8)]), [])
        XCTAssertTrue(signer.verify(Array("whatever".utf8), parts: [Array("x".utf8)]))
    }

    func testCopy_signsTheSame() throws {
        let signer = try Signer(key: Array("key".utf8))
        let parts = [Array("abc".utf8), Array("def".utf8)]
        XCTAssertEqual(signer.copy().signature(of: parts), signer.signature(of: parts))
    }

    func testConstantTimeEqual() {
        XCTAssertTrue(Signer.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        XCTAssertFalse(Signer.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        XCTAssertFalse(Signer.constantTimeEqual([1, 2, 3], [1, 2]))
        XCTAssertTrue(Signer.constantTimeEqual([], []))
    }

    func testReplayGuard_rejectsASignatureSeenBefore() {
        let guardian = ReplayGuard()
        XCTAssertTrue(guardian.accept(Array("abc".utf8)))
        XCTAssertFalse(guardian.accept(Array("abc".utf8)))
        XCTAssertTrue(guardian.accept(Array("abd".utf8)))
        // Unsigned messages (empty key) are never replays.
        XCTAssertTrue(guardian.accept([]))
        XCTAssertTrue(guardian.accept([]))
    }

    func testReplayGuard_tellsRealSignaturesApart() throws {
        let signer = try Signer(key: Array("key".utf8))
        let guardian = ReplayGuard()
        let signatures = (0..<2000).map { signer.signature(of: [Array("message \($0)".utf8)]) }
        for s in signatures { XCTAssertTrue(guardian.accept(s)) }
        for s in signatures.prefix(10) { XCTAssertFalse(guardian.accept(s)) }
        // Byte strings that are not hex signatures are hashed whole.
        XCTAssertTrue(guardian.accept(Array("not-hex-1".utf8)))
        XCTAssertTrue(guardian.accept(Array("not-hex-2".utf8)))
        XCTAssertFalse(guardian.accept(Array("not-hex-2".utf8)))
    }

    func testReplayGuard_forgetsOldestBeyondCapacity() {
        let guardian = ReplayGuard(capacity: 3)
        for s in ["a", "b", "c", "d"] { XCTAssertTrue(guardian.accept(Array(s.utf8))) }
        XCTAssertEqual(guardian.count, 3)
        XCTAssertTrue(guardian.accept(Array("a".utf8)), "the oldest was forgotten")
        XCTAssertFalse(guardian.accept(Array("d".utf8)), "a recent one is still remembered")
    }
}
