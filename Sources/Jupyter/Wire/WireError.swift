import JupyterProtocol
/// Why a multipart message was refused. The server logs it and drops the message;
/// nothing is sent back (messaging.rst, "The Wire Protocol": a kernel must not answer
/// a message it cannot authenticate).
public enum WireError: Error, Equatable, CustomStringConvertible {
    case missingDelimiter
    case tooFewFrames(Int)
    case badSignature
    case replayedSignature
    case invalidJSON(part: String, JSONDecodingError)
    case headerNotAnObject
    case headerField(String)
    case partNotAnObject(String)

    public var description: String {
        switch self {
        case .missingDelimiter: return "no <IDS|MSG> delimiter among the frames"
        case .tooFewFrames(let n): return "only \(n) frames after <IDS|MSG>; a message needs a signature and four JSON parts"
        case .badSignature: return "the HMAC signature does not match the message"
        case .replayedSignature: return "the signature was seen before (a replayed message)"
        case .invalidJSON(let part, let error): return "the \(part) is not JSON: \(error)"
        case .headerNotAnObject: return "the header is not a JSON object"
        case .headerField(let key): return "the header has no string field \"\(key)\""
        case .partNotAnObject(let part): return "the \(part) is not a JSON object"
        }
    }
}
