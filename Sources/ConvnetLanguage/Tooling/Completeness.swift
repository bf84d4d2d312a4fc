import JupyterProtocol

/// is_complete_request, for `jupyter console`: incomplete while a bracket is
/// open or a block is being typed, invalid when the text cannot parse anyway.
extension LanguageSession {
    public func isComplete(code: String) -> Completeness {
        var lexer = Lexer(code)
        do {
            _ = try lexer.run()
        } catch {
            return .invalid
        }
        if lexer.hasUnmatchedClose { return .invalid }
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let lastLine = lines.last ?? ""
        let currentIndent = String(lastLine.prefix { $0 == " " || $0 == "\t" })
        if !lexer.openBrackets.isEmpty {
            return .incomplete(indent: currentIndent.isEmpty ? "    " : currentIndent)
        }
        // A line ending in ':' opens a block; inside a block, a blank line ends it.
        let meaningful = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        if let last = meaningful.last, last.withoutComment.hasSuffix(":") {
            let indent = String(last.prefix { $0 == " " || $0 == "\t" })
            return .incomplete(indent: indent + "    ")
        }
        if let last = meaningful.last, last.first == " " || last.first == "\t",
            !lastLine.trimmingCharacters(in: .whitespaces).isEmpty
        {
            return .incomplete(indent: String(last.prefix { $0 == " " || $0 == "\t" }))
        }
        do {
            _ = try Parser.parse(code)
            return .complete
        } catch {
            return .invalid
        }
    }
}

extension String {
    /// The line without a trailing `#` comment and trailing spaces (strings are not parsed: good enough for ':').
    var withoutComment: String {
        var out = ""
        var quote: Character?
        for c in self {
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "#" {
                break
            }
            out.append(c)
        }
        return out.trimmingCharacters(in: .whitespaces)
    }
}

import Foundation
