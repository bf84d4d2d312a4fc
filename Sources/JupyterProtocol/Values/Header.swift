/// A message header (messaging.rst, "General Message Format").
///
/// The five required fields are typed; anything else a client adds (subshell_id,
/// for one) is kept in `extra` so it survives the round trip into parent_header.
public struct Header: Sendable, Equatable {
    public var msgID: String
    public var session: String
    public var username: String
    /// ISO 8601; optional on input, as some clients omit it.
    public var date: String?
    public var msgType: String
    public var version: String
    public var extra: [String: JSON]

    /// The protocol version this kernel speaks.
    public static let protocolVersion = "5.5"

    public init(
        msgID: String = Identifiers.uuid(), session: String, username: String = "kernel",
        date: String? = Identifiers.now(), msgType: String, version: String = Header.protocolVersion,
        extra: [String: JSON] = [:]
    ) {
        self.msgID = msgID
        self.session = session
        self.username = username
        self.date = date
        self.msgType = msgType
        self.version = version
        self.extra = extra
    }

    public var json: JSON {
        var fields = extra
        fields["msg_id"] = .string(msgID)
        fields["session"] = .string(session)
        fields["username"] = .string(username)
        if let date { fields["date"] = .string(date) }
        fields["msg_type"] = .string(msgType)
        fields["version"] = .string(version)
        return .object(fields)
    }
}
