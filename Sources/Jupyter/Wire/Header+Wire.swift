import JupyterProtocol

extension Header {
    /// Reads a header object.
    /// - Throws: `WireError.headerField` naming the first missing or mistyped field.
    public init(json: JSON) throws(WireError) {
        guard var fields = json.objectValue else { throw WireError.headerNotAnObject }
        func take(_ key: String) throws(WireError) -> String {
            guard let value = fields.removeValue(forKey: key)?.stringValue else { throw WireError.headerField(key) }
            return value
        }
        let msgID = try take("msg_id"), msgType = try take("msg_type"), session = try take("session")
        // username and version are required by the spec, but old clients omit them; be lenient.
        let username = fields.removeValue(forKey: "username")?.stringValue ?? ""
        let version = fields.removeValue(forKey: "version")?.stringValue ?? ""
        let date = fields.removeValue(forKey: "date")?.stringValue
        self.init(msgID: msgID, session: session, username: username, date: date, msgType: msgType,
                  version: version, extra: fields)
    }
}
