import Logging
import JupyterProtocol

/// A request being handled: the message, where its reply goes, and the kernel's session.
public struct Request {
    public let message: Message
    let replies: MessageSink
    let session: Session

    public var content: JSON { message.content }

    /// Sends the reply (`foo_request` -> `foo_reply`) to the front end that asked.
    public func reply(_ content: JSON, metadata: [String: JSON] = [:]) {
        replies.send(message.reply(content, metadata: metadata, session: session))
    }

    /// A field of the content, or `RequestError.missingField`.
    public func field(_ key: String) throws(RequestError) -> JSON {
        guard let value = content[key] else { throw RequestError.missingField(msgType: message.msgType, field: key) }
        return value
    }

    public func string(_ key: String) throws(RequestError) -> String {
        guard let value = try field(key).stringValue else {
            throw RequestError.wrongType(msgType: message.msgType, field: key, expected: "a string")
        }
        return value
    }

    /// An optional boolean field; absent or null gives `defaultValue`.
    public func bool(_ key: String, default defaultValue: Bool) throws(RequestError) -> Bool {
        guard let value = content[key], value != .null else { return defaultValue }
        guard let b = value.boolValue else {
            throw RequestError.wrongType(msgType: message.msgType, field: key, expected: "true or false")
        }
        return b
    }

    /// An optional integer field; absent or null gives `defaultValue`.
    public func int(_ key: String, default defaultValue: Int) throws(RequestError) -> Int {
        guard let value = content[key], value != .null else { return defaultValue }
        guard let n = value.intValue else {
            throw RequestError.wrongType(msgType: message.msgType, field: key, expected: "a whole number")
        }
        return n
    }
}

/// A request the kernel understood but cannot serve: answered with status "error".
public enum RequestError: Error, Equatable, CustomStringConvertible {
    case missingField(msgType: String, field: String)
    case wrongType(msgType: String, field: String, expected: String)
    case invalid(String)

    public var description: String {
        switch self {
        case .missingField(let type, let field): return "\(type) has no \"\(field)\" in its content"
        case .wrongType(let type, let field, let expected): return "\(type): \"\(field)\" must be \(expected)"
        case .invalid(let text): return text
        }
    }
}

/// Routes requests of one channel to their handlers, by exact msg_type, and brackets
/// each with status busy and idle on iopub (messaging.rst, "Kernel status": every
/// request, on every channel, known or not).
public final class Dispatcher {
    public typealias Handler = (Request) throws -> Void

    public let channel: ChannelName
    private var handlers: [String: Handler] = [:]
    private let iopub: MessageSink
    private let session: Session
    private let logger: Logger

    public init(channel: ChannelName, iopub: MessageSink, session: Session, logger: Logger) {
        self.channel = channel
        self.iopub = iopub
        self.session = session
        self.logger = logger
    }

    /// Registers the handler for one msg_type.
    public func on(_ msgType: String, _ handler: @escaping Handler) {
        handlers[msgType] = handler
    }

    /// Publishes busy, runs the handler, publishes idle. A handler's `RequestError` becomes an
    /// error reply; an unknown msg_type is logged and not answered (as ipykernel does).
    public func dispatch(_ message: Message, replies: MessageSink) {
        let msgType = message.msgType
        publishStatus("busy", parent: message)
        defer { publishStatus("idle", parent: message) }
        guard let handler = handlers[msgType] else {
            logger.warning("unknown message type \"\(msgType)\" on \(channel.rawValue); not answered")
            return
        }
        logger.debug("\(channel.rawValue): \(msgType) \(message.header.msgID)")
        let request = Request(message: message, replies: replies, session: session)
        do {
            try handler(request)
        } catch {
            logger.error("\(channel.rawValue): \(error)")
            request.reply([
                "status": "error", "ename": "InvalidRequest", "evalue": .string("\(error)"), "traceback": [],
            ])
        }
    }

    /// A `status` message with `message` as parent.
    public func publishStatus(_ state: String, parent: Message) {
        iopub.send(parent.child("status", ["execution_state": .string(state)], session: session))
    }
}
