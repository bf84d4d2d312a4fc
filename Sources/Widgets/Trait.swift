import JupyterProtocol

/// One synced attribute of a widget model: its JSON kind, its default, and whether the
/// front end may change it. What comes from the front end is checked against it; a value
/// of the wrong kind is dropped, never stored (the kernel keeps the last good value).
public struct Trait: Sendable {
    public enum Kind: Sendable, Equatable {
        case bool
        case int
        /// Any finite number (float sliders).
        case number
        case string
        /// null or a string (tooltip).
        case optionalString
        /// null or true/false (tabbable).
        case optionalBool
        /// null or a whole number (a dropdown's index, `_view_count`).
        case optionalInt
        case strings
        /// `"IPY_MODEL_<id>"`: another widget.
        case reference
        case references
        /// `["IPY_MODEL_<id>", "attribute"]`: one end of a link.
        case attributeOf
        /// Bytes sent as a binary buffer (an Image's `value`), never in the JSON state.
        case bytes
    }

    public let kind: Kind
    public let defaultValue: JSON
    /// Whether an `update` from the front end may set it (a slider's `value`: yes; its `max`: no).
    public let frontEndWritable: Bool

    public init(_ kind: Kind, _ defaultValue: JSON, frontEndWritable: Bool = false) {
        self.kind = kind
        self.defaultValue = defaultValue
        self.frontEndWritable = frontEndWritable
    }

    /// The longest string accepted from the front end; longer ones are dropped.
    public static let maxStringLength = 100_000

    /// `value` if it is of this kind (whole-valued numbers count as ints), else nil.
    public func accept(_ value: JSON) -> JSON? {
        switch kind {
        case .bool:
            return value.boolValue.map(JSON.bool)
        case .int:
            return value.intValue.map { .number(Double($0)) }
        case .number:
            guard let n = value.doubleValue, n.isFinite else { return nil }
            return .number(n)
        case .string:
            guard let s = value.stringValue, s.utf8.count <= Self.maxStringLength else { return nil }
            return value
        case .optionalString:
            return value == .null ? .null : Trait(.string, "").accept(value)
        case .optionalBool:
            return value == .null ? .null : value.boolValue.map(JSON.bool)
        case .optionalInt:
            return value == .null ? .null : Trait(.int, 0).accept(value)
        case .strings:
            guard let items = value.arrayValue, items.count <= 100_000,
                items.allSatisfy({ Trait(.string, "").accept($0) != nil })
            else { return nil }
            return value
        case .reference:
            guard let s = value.stringValue, s.hasPrefix(Widget.referencePrefix) else { return nil }
            return value
        case .references:
            guard let items = value.arrayValue, items.allSatisfy({ Trait(.reference, "").accept($0) != nil }) else {
                return nil
            }
            return value
        case .attributeOf:
            guard let pair = value.arrayValue, pair.count == 2, Trait(.reference, "").accept(pair[0]) != nil,
                pair[1].stringValue != nil
            else { return nil }
            return value
        case .bytes:
            return nil  // bytes come only as buffers (see Widget.update)
        }
    }
}
