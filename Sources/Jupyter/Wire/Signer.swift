import CCrypto
import JupyterProtocol

/// HMAC-SHA256 signatures of messages (messaging.rst, "The Wire Protocol"), through
/// OpenSSL 3's EVP_MAC.
///
/// The signature covers header, parent_header, metadata and content, in that order,
/// and is sent as lower-case hex. An empty key means the connection is unsigned:
/// the signature frame is empty and any signature is accepted.
///
/// A `Signer` is not thread-safe (it keeps an OpenSSL context); each thread that
/// signs takes its own `copy()`.
public final class Signer {
    /// The key, as given in the connection file.
    public let key: [UInt8]
    private let mac: OpaquePointer?
    private let template: OpaquePointer?

    /// - Throws: `SignerError.unavailable` if OpenSSL has no HMAC or SHA-256.
    public init(key: [UInt8]) throws(SignerError) {
        self.key = key
        guard !key.isEmpty else {
            mac = nil
            template = nil
            return
        }
        guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else { throw SignerError.unavailable }
        guard let context = EVP_MAC_CTX_new(mac) else {
            EVP_MAC_free(mac)
            throw SignerError.unavailable
        }
        let ok = "SHA256".withCString { digest -> Int32 in
            var params = [
                OSSL_PARAM_construct_utf8_string("digest", UnsafeMutablePointer(mutating: digest), 0),
                OSSL_PARAM_construct_end(),
            ]
            return key.withUnsafeBufferPointer { k in EVP_MAC_init(context, k.baseAddress, k.count, &params) }
        }
        guard ok == 1 else {
            EVP_MAC_CTX_free(context)
            EVP_MAC_free(mac)
            throw SignerError.unavailable
        }
        self.mac = mac
        self.template = context
    }

    deinit {
        if let template { EVP_MAC_CTX_free(template) }
        if let mac { EVP_MAC_free(mac) }
    }

    /// Whether messages are signed at all.
    public var isSigning: Bool { template != nil }

    /// A signer with the same key for another thread.
    public func copy() -> Signer {
        // The key was accepted once; it will be again.
        try! Signer(key: key)
    }

    /// The hex signature of the four JSON parts (empty when not signing).
    public func signature(_ parts: [UInt8]...) -> [UInt8] {
        signature(of: parts)
    }

    /// The hex signature of `parts`, each fed to the MAC in turn.
    public func signature(of parts: [[UInt8]]) -> [UInt8] {
        guard let template, let context = EVP_MAC_CTX_dup(template) else { return [] }
        defer { EVP_MAC_CTX_free(context) }
        for part in parts {
            _ = part.withUnsafeBufferPointer { EVP_MAC_update(context, $0.baseAddress, $0.count) }
        }
        var digest = [UInt8](repeating: 0, count: 32)
        var length = 0
        _ = digest.withUnsafeMutableBufferPointer { EVP_MAC_final(context, $0.baseAddress, &length, 32) }
        return Signer.hex(digest[0..<length])
    }

    /// Whether `signature` is right for `parts`, compared in constant time.
    /// With an empty key every signature is accepted.
    public func verify(_ signature: [UInt8], parts: [[UInt8]]) -> Bool {
        guard isSigning else { return true }
        return Signer.constantTimeEqual(signature, self.signature(of: parts))
    }

    /// Compares two byte strings in time that depends only on their lengths,
    /// so a forger learns nothing from how long a rejection took.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    static func hex<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 0xF)])
        }
        return out
    }
}

public enum SignerError: Error, CustomStringConvertible {
    case unavailable

    public var description: String {
        "OpenSSL's libcrypto has no HMAC-SHA256 (EVP_MAC); is libssl3 installed?"
    }
}
