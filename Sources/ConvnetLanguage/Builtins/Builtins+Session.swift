import Foundation
import JupyterProtocol

// Output, input and the session: print, warn, clear, sleep, fail, input, reset, vars, help.
extension Builtins {
    static var session: [Builtin] {
        [
            Builtin(
                "print", [.variadic("values")], family: .session,
                summary: "Writes the values to the cell's output (stdout), separated by spaces.",
                example: "print(\"accuracy\", 0.91)", isStatement: true
            ) { args, cell throws(LanguageError) in
                let text = args.rest.map(\.value.text).joined(separator: " ")
                cell.context.stream(.stdout, text + "\n")
                return .none
            },
            Builtin(
                "warn", [.required("message")], family: .session,
                summary: "Writes a warning to stderr. The kernel itself never writes to stderr, so only this does.",
                details: "An autograder scores a cell that writes to stderr as failed: warn on purpose only.",
                example: "warn(\"this learning rate is high\")", isStatement: true
            ) { args, cell throws(LanguageError) in
                cell.context.stream(.stderr, try args.value("message").text + "\n")
                return .none
            },
            Builtin(
                "clear", [.optional("wait", false)], family: .session,
                summary: "Clears the cell's output so far (with wait: true, when the next output arrives).",
                example: "clear()", isStatement: true
            ) { args, cell throws(LanguageError) in
                cell.context.clearOutput(wait: try args.bool("wait"))
                return .none
            },
            Builtin(
                "sleep", [.required("seconds")], family: .session,
                summary: "Waits for a number of seconds; the interrupt button stops it at once.",
                example: "sleep(0.5)", isStatement: true
            ) { args, cell throws(LanguageError) in
                let seconds = try args.number("seconds")
                guard seconds >= 0, seconds.isFinite else {
                    throw LanguageError(.negativeSeconds(builtin: "sleep"), at: args.spanOf("seconds"))
                }
                // The context wakes the wait the moment the interrupt arrives.
                if cell.context.waitUntilCancelled(seconds: seconds) { throw LanguageError(.interrupted) }
                return .none
            },
            Builtin(
                "fail", [.required("message")], family: .session,
                summary: "Fails the cell with a message (a RuntimeError).",
                example: "fail(\"not finished yet\")", isStatement: true
            ) { args, _ throws(LanguageError) in
                throw LanguageError(.failed(try args.value("message").text))
            },
            Builtin(
                "input", [.optional("prompt", ""), .keyword("password", false)], family: .session,
                summary: "Asks the person at the notebook for a line of text and returns it.",
                details: "Works when the front end allows input (Notebook, JupyterLab and console do; nbconvert does not).",
                example: "name = input(\"Your name: \")", changesState: true
            ) { args, cell throws(LanguageError) in
                let prompt = try args.value("prompt").text
                let password = try args.bool("password")
                do {
                    return .string(try cell.context.input(prompt: prompt, password: password))
                } catch InputError.interrupted {
                    throw LanguageError(.inputInterrupted)
                } catch {
                    throw LanguageError(.inputUnavailable)
                }
            },
            Builtin(
                "reset", [], family: .session,
                summary: "Forgets every variable of the session (the built-ins stay).",
                example: "reset()", isStatement: true, changesState: true
            ) { _, cell throws(LanguageError) in
                cell.forgetVariables()
                return .none
            },
            Builtin(
                "vars", [], family: .session,
                summary: "Lists the session's variables with their kind and volume.",
                example: "vars()"
            ) { _, cell throws(LanguageError) in
                let scope = cell.variables
                let order = cell.session.definitionOrder.filter { scope[$0] != nil }
                let names = order + scope.keys.filter { !order.contains($0) }.sorted()
                let rows = names.map { name -> [String] in
                    let value = scope[name]!
                    return [name, value.kind, value.volumeDescription ?? "", shortSummary(value)]
                }
                return .table(
                    Table(
                        title: names.isEmpty ? "no variables yet" : nil, columns: ["name", "kind", "volume", "value"],
                        rows: rows))
            },
            Builtin(
                "help", [.optional("topic", .none)], family: .session,
                summary: "Shows a built-in's signature, what it does and an example; with no argument, lists them all.",
                example: "help(conv)", isStatement: true
            ) { args, cell throws(LanguageError) in
                cell.context.stream(.stdout, try helpText(try args.value("topic"), session: cell.session, at: args.spanOf("topic")) + "\n")
                return .none
            },
        ]
    }

    /// A value in a few words, for tables.
    static func shortSummary(_ value: Value) -> String {
        let text = value.repr
        let firstLine = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        return firstLine.count > 60 ? String(firstLine.prefix(57)) + "..." : firstLine
    }

    static func helpText(_ topic: Value, session: LanguageSession, at span: SourceSpan) throws(LanguageError) -> String {
        switch topic {
        case .none:
            var lines = ["Built-ins (help(name) for one of them):"]
            for family in Builtin.Family.allCases {
                let members = Builtins.all.filter { $0.family == family }
                guard !members.isEmpty else { continue }
                lines.append("")
                lines.append(family.rawValue + ":")
                for b in members { lines.append("  \(b.signature)\n      \(b.summary)") }
            }
            return lines.joined(separator: "\n")
        case .builtin(let b):
            return b.doc
        case .string(let name):
            if let b = session.builtins[name] { return b.doc }
            let guess = suggestion(for: name, among: Array(session.builtins.keys))
            throw LanguageError(.noSuchBuiltin(name, suggestion: guess), at: span)
        default:
            return "\(topic.kindWithArticle): \(topic.repr)"
        }
    }
}
