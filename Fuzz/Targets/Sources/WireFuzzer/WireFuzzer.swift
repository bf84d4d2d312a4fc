import FuzzSupport
import Jupyter
import JupyterProtocol

// The wire decoder on any frames: splitting at <IDS|MSG>, the HMAC check, the replay
// guard, the four JSON parts and the header's fields.
//
// An input is a flags byte, then frames separated by 0xFF bytes (which UTF-8 never uses,
// so the corpus's JSON reads as it is): Fuzz/corpus/wire holds the Python tests' messages.
// Flags: bit 0 signs with a key (else the connection is unsigned); bit 1 puts the right
// signature on the frames, so the fuzzer gets past the HMAC check to the JSON.
//
// Beyond "no trap": what decodes re-encodes to frames that verify and decode to the same
// message, and every JSON part that parses re-encodes to the same value. (A number past
// Double's range, 1e400, reads as infinity, as Python's json reads it; JSON has no
// infinity, so the kernel writes it as null: the comparisons allow exactly that.)

nonisolated(unsafe) let signing = try! Signer(key: Array("a0436f6c-1916-498b-8eb9-e81ab9368e84".utf8))
nonisolated(unsafe) let unsigned = try! Signer(key: [])

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let flags = data[0]
    let signer = flags & 1 == 1 ? signing : unsigned
    let frames = UnsafeBufferPointer(start: data + 1, count: size - 1)
        .split(separator: 0xFF, omittingEmptySubsequences: false).map(Array.init)

    for part in frames {
        if let json = try? JSON(decoding: part) {
            invariant((try? JSON(decoding: json.encoded())) == finite(json), "JSON does not survive encoding: \(json)")
        }
    }

    guard var wire = try? WireMessage(frames: frames) else { return 0 }
    invariant((try? WireMessage(frames: wire.frames)) == wire, "frames do not split the same way twice")
    if flags & 2 == 2 { wire.signature = signer.signature(of: wire.signedParts) }
    guard wire.hasValidSignature(signer) else {
        invariant(signer.isSigning && flags & 2 == 0, "a freshly signed message fails its check")
        return 0
    }
    let guardian = ReplayGuard(capacity: 4)
    invariant(guardian.accept(wire.signature), "a first signature counted as a replay")
    invariant(wire.signature.isEmpty || !guardian.accept(wire.signature), "a replayed signature was accepted")

    guard let message = try? wire.decoded() else { return 0 }
    let resent = message.wire(signedBy: signer)
    invariant(resent.hasValidSignature(signer), "a message the kernel signs fails its own check")
    let again = try? WireMessage(frames: resent.frames).decoded()
    invariant(again.map(finite) == finite(message), "a decoded message re-encodes to a different one:\n\(message)\n\(String(describing: again))")
    _ = message.reply(.object(["status": "ok"]), session: Session(id: "fuzz", username: "fuzz"))
    return 0
}

/// `json` with every infinite number as null, as the encoder writes it.
func finite(_ json: JSON) -> JSON {
    switch json {
    case .number(let n) where !n.isFinite: return .null
    case .array(let items): return .array(items.map(finite))
    case .object(let fields): return .object(fields.mapValues(finite))
    default: return json
    }
}

func finite(_ message: Message) -> Message {
    var copy = message
    copy.header.extra = message.header.extra.mapValues(finite)
    copy.parentHeader = finite(message.parentHeader)
    copy.metadata = message.metadata.mapValues(finite)
    copy.content = finite(message.content)
    return copy
}
