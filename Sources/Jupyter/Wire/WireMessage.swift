import JupyterProtocol
/// The frames of one message as they travel over ZeroMQ (messaging.rst, "The Wire Protocol"):
///
///     [identities..., "<IDS|MSG>", signature, header, parent_header, metadata, content, buffers...]
///
/// The JSON parts stay as bytes here: the signature is checked over exactly the
/// bytes received, before anything is parsed.
public struct WireMessage: Sendable, Equatable {
    public static let delimiter: [UInt8] = Array("<IDS|MSG>".utf8)

    /// Routing identities (ROUTER sockets) or the topic (iopub).
    public var identities: [[UInt8]]
    public var signature: [UInt8]
    public var header: [UInt8]
    public var parentHeader: [UInt8]
    public var metadata: [UInt8]
    public var content: [UInt8]
    public var buffers: [[UInt8]]

    public init(
        identities: [[UInt8]], signature: [UInt8], header: [UInt8], parentHeader: [UInt8], metadata: [UInt8],
        content: [UInt8], buffers: [[UInt8]] = []
    ) {
        self.identities = identities
        self.signature = signature
        self.header = header
        self.parentHeader = parentHeader
        self.metadata = metadata
        self.content = content
        self.buffers = buffers
    }

    /// Splits received frames at the delimiter.
    /// - Throws: `WireError.missingDelimiter` or `.tooFewFrames`.
    public init(frames: [[UInt8]]) throws(WireError) {
        guard let split = frames.firstIndex(of: WireMessage.delimiter) else { throw WireError.missingDelimiter }
        let rest = frames.count - split - 1
        guard rest >= 5 else { throw WireError.tooFewFrames(rest) }
        identities = Array(frames[..<split])
        signature = frames[split + 1]
        header = frames[split + 2]
        parentHeader = frames[split + 3]
        metadata = frames[split + 4]
        content = frames[split + 5]
        buffers = Array(frames[(split + 6)...])
    }

    /// All frames, in wire order.
    public var frames: [[UInt8]] {
        var all = identities
        all.reserveCapacity(identities.count + 6 + buffers.count)
        all.append(WireMessage.delimiter)
        all.append(signature)
        all.append(header)
        all.append(parentHeader)
        all.append(metadata)
        all.append(content)
        all.append(contentsOf: buffers)
        return all
    }

    /// The four signed parts.
    public var signedParts: [[UInt8]] { [header, parentHeader, metadata, content] }

    /// Whether the signature matches (always true with an empty key).
    public func hasValidSignature(_ signer: Signer) -> Bool {
        signer.verify(signature, parts: signedParts)
    }

    /// Parses the four JSON parts.
    /// - Throws: `WireError` naming the part that is not JSON or the header field that is missing.
    public func decoded() throws(WireError) -> Message {
        func parse(_ bytes: [UInt8], _ part: String) throws(WireError) -> JSON {
            do {
                return try JSON(decoding: bytes)
            } catch {
                throw WireError.invalidJSON(part: part, error)
            }
        }
        let header = try Header(json: try parse(self.header, "header"))
        let parent = try parse(parentHeader, "parent_header")
        guard case .object = parent else { throw WireError.partNotAnObject("parent_header") }
        guard let metadata = try parse(metadata, "metadata").objectValue else {
            throw WireError.partNotAnObject("metadata")
        }
        let content = try parse(content, "content")
        guard case .object = content else { throw WireError.partNotAnObject("content") }
        return Message(
            identities: identities, header: header, parentHeader: parent, metadata: metadata, content: content,
            buffers: buffers)
    }
}
