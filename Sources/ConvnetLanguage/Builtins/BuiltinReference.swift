/// The built-ins section of docs/language.md, generated from each built-in's own
/// doc text so the docs, help() and Shift-Tab never disagree. A test checks the
/// file is in sync (run it with UPDATE_DOCS=1 to rewrite the section).
public enum BuiltinReference {
    public static let beginMarker = "<!-- built-ins: generated from the doc texts; edit Sources/ConvnetLanguage/Builtins -->"
    public static let endMarker = "<!-- end of built-ins -->"

    public static func markdown() -> String {
        var out = [beginMarker, ""]
        for family in Builtin.Family.allCases {
            let members = Builtins.all.filter { $0.family == family }
            guard !members.isEmpty else { continue }
            out.append("### \(family.rawValue)")
            out.append("")
            for b in members {
                out.append("#### `\(b.signature)`")
                out.append("")
                out.append(b.summary + (b.isStatement ? " *(A statement: no result as a cell's last line.)*" : ""))
                if !b.details.isEmpty {
                    out.append("")
                    out.append(b.details)
                }
                out.append("")
                out.append("```")
                out.append(b.example)
                out.append("```")
                out.append("")
            }
        }
        out.append(endMarker)
        return out.joined(separator: "\n")
    }
}
