/// Text made safe inside HTML and XML (SVG): one escaper for tables, charts and the
/// language's HTML displays, so they cannot disagree on a quote or a control character.
public enum Markup {
    /// Escapes `& < > " '` (the apostrophe as `&#39;`, which HTML 4, HTML 5 and XML all
    /// read) and drops the characters XML 1.0 forbids: the C0 controls other than tab,
    /// newline and carriage return, and U+FFFE, U+FFFF. The result is safe as element
    /// text and inside a double- or single-quoted attribute.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if isAllowed(scalar) { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// Whether XML 1.0 allows `scalar` in a document (Swift strings hold no lone surrogates).
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF
    }
}
