/// A decoded Jupyter message. Requests come in as `Message`s; replies and iopub
/// outputs are derived from them (`reply`, `child`), so no handler builds a header
/// or a parent_header by hand.
public struct Message: Sendable, Equatable {
    /// ROUTER identities of the sender (or the iopub topic on the way out).
    public var identities: [[UInt8]]
    public var header: Header
    /// The header of the request this message answers; an empty object when none.
    public var parentHeader: JSON
    public var metadata: [String: JSON]
    public var content: JSON
    public var buffers: [[UInt8]]

    public init(
        identities: [[UInt8]] = [], header: Header, parentHeader: JSON = [:], metadata: [String: JSON] = [:],
        content: JSON = [:], buffers: [[UInt8]] = []
    ) {
        self.identities = identities
        self.header = header
        self.parentHeader = parentHeader
        self.metadata = metadata
        self.content = content
        self.buffers = buffers
    }

    public var msgType: String { header.msgType }

    /// `foo_request` becomes `foo_reply` (messaging.rst: replies are named after their request).
    public static func replyType(for requestType: String) -> String {
        if requestType.hasSuffix("_request") { return String(requestType.dropLast(8)) + "_reply" }
        return requestType + "_reply"
    }

    /// The reply to this request: sent back to the same identities, with this header as parent.
    public func reply(_ content: JSON, metadata: [String: JSON] = [:], session: Session) -> Message {
        Message(
            identities: identities, header: session.header(Message.replyType(for: msgType)), parentHeader: header.json,
            metadata: metadata, content: content)
    }

    /// A message caused by this request (iopub outputs, input_request): this header as parent.
    public func child(_ msgType: String, _ content: JSON, identities: [[UInt8]] = [], session: Session) -> Message {
        Message(identities: identities, header: session.header(msgType), parentHeader: header.json, content: content)
    }
}

/// The kernel's side of the conversation: its session id and user name, stamped on
/// every header it sends.
public struct Session: Sendable, Equatable {
    public var id: String
    public var username: String

    public init(id: String = Identifiers.uuid(), username: String = "kernel") {
        self.id = id
        self.username = username
    }

    /// A fresh header: a new msg_id and the current date.
    public func header(_ msgType: String) -> Header {
        Header(msgID: Identifiers.messageID(session: id), session: id, username: username, msgType: msgType)
    }

    /// A message with no parent (status: starting, iopub_welcome).
    public func message(_ msgType: String, _ content: JSON, identities: [[UInt8]] = []) -> Message {
        Message(identities: identities, header: header(msgType), content: content)
    }
}
