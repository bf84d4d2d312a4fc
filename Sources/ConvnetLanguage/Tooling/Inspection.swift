import JupyterProtocol

/// inspect_request (Shift-Tab): a built-in's doc, or a variable's kind, volume and summary.
extension LanguageSession {
    public func inspect(code: String, cursorPosition: Int, detailLevel: Int = 0) -> MimeBundle? {
        let at = CursorContext(code: code, cursor: min(max(0, cursorPosition), code.unicodeScalars.count))
        guard !at.inStringOrComment else { return nil }
        if let chain = at.dotChain, !at.word.isEmpty, let value = resolve(chain + [at.word]) {
            return describe(name: (chain + [at.word]).joined(separator: "."), value: value)
        }
        if !at.word.isEmpty, at.dotChain == nil {
            if let value = variables[at.word] { return describe(name: at.word, value: value) }
            if let builtin = builtins[at.word] { return describe(builtin) }
        }
        if let call = at.enclosingCall, let builtin = resolveBuiltin(call) { return describe(builtin) }
        return nil
    }

    private func describe(_ builtin: Builtin) -> MimeBundle {
        let text = builtin.doc
        let html = "<pre>\(escapeHTML(text))</pre>"
        return MimeBundle(data: ["text/plain": .string(text), "text/html": .string(html)])
    }

    private func describe(name: String, value: Value) -> MimeBundle {
        if case .builtin(let b) = value { return describe(b) }
        var lines = ["\(name): \(value.kind)"]
        if let volume = value.volumeDescription { lines.append("volume: \(volume)") }
        lines.append(value.repr)
        if case .net(let net) = value { lines.append(net.network.summaryText) }
        return .text(lines.joined(separator: "\n"))
    }
}
