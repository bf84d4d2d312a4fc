import ConvnetLanguage
import Foundation
import JupyterProtocol

/// A built-in's signature as the learner sees it (`conv(filters, size, stride: 1, pad: 0)`).
struct Signature: Sendable {
    struct Parameter: Sendable {
        var name: String
        /// Written with a default (`stride: 1`): given by keyword, or left out.
        var hasDefault: Bool
        /// `layers...`: any number of positional values.
        var isVariadic: Bool
    }

    var name: String
    var parameters: [Parameter]

    /// Every built-in the interpreter completes, with the signature its Shift-Tab shows:
    /// the generator calls what help and inspection document, through the public requests.
    static func all(from interpreter: ConvnetInterpreter) -> [Signature] {
        var names = Set<String>()
        for letter in "abcdefghijklmnopqrstuvwxyz" {
            names.formUnion(interpreter.completeRequest(code: String(letter), cursorPosition: 1).matches)
        }
        return names.sorted().compactMap { name in
            guard let bundle = interpreter.inspectRequest(code: name, cursorPosition: name.count, detailLevel: 0),
                let text = bundle.data["text/plain"]?.stringValue,
                let firstLine = text.split(separator: "\n").first
            else { return nil }
            return Signature(parsing: String(firstLine), name: name)
        }
    }

    /// Reads `name(a, b: 1, c...)`; nil when the line is not a call signature of `name`.
    init?(parsing line: String, name: String) {
        guard line.hasPrefix(name + "("), line.hasSuffix(")") else { return nil }
        let inside = line.dropFirst(name.count + 1).dropLast()
        self.name = name
        parameters = Signature.splitTopLevel(String(inside)).compactMap { part in
            let text = part.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return nil }
            if text.hasSuffix("...") {
                return Parameter(name: String(text.dropLast(3)), hasDefault: false, isVariadic: true)
            }
            if let colon = text.firstIndex(of: ":") {
                return Parameter(name: String(text[..<colon]), hasDefault: true, isVariadic: false)
            }
            return Parameter(name: text, hasDefault: false, isVariadic: false)
        }
    }

    /// Splits at commas outside quotes and brackets (defaults can be strings or calls).
    private static func splitTopLevel(_ text: String) -> [String] {
        var parts: [String] = [], current = "", depth = 0, quote: Character?
        for c in text {
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if "([".contains(c) {
                depth += 1
            } else if ")]".contains(c) {
                depth -= 1
            } else if c == ",", depth == 0 {
                parts.append(current)
                current = ""
                continue
            }
            current.append(c)
        }
        parts.append(current)
        return parts
    }
}
