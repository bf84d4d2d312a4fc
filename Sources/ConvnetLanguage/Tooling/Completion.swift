import JupyterProtocol

/// complete_request: names in the session, built-ins, keyword arguments of the
/// call at the cursor, and attributes after a dot.
extension LanguageSession {
    public func complete(code: String, cursorPosition: Int) -> Completion {
        let cursor = min(max(0, cursorPosition), code.unicodeScalars.count)
        let at = CursorContext(code: code, cursor: cursor)
        guard !at.inStringOrComment else { return Completion(matches: [], cursorStart: cursor, cursorEnd: cursor) }

        var candidates: [(text: String, type: String, signature: String?)] = []
        if let chain = at.dotChain {
            if let base = resolve(chain) {
                candidates = Attributes.names(of: base).map { ($0.name, "property", nil) }
            }
        } else {
            if let call = at.enclosingCall, let builtin = resolveBuiltin(call) {
                candidates += builtin.keywordNames.map { ("\($0): ", "keyword argument", nil) }
            }
            candidates += variables.keys.sorted().map { ($0, variables[$0]!.kind, nil) }
            candidates += builtins.keys.sorted().map { ($0, "function", builtins[$0]!.signature) }
            candidates += ["for", "in", "if", "elif", "else", "and", "or", "not", "true", "false", "none", "pass"]
                .map { ($0, "keyword", nil) }
        }
        var seen = Set<String>()
        let matches = candidates.filter { $0.text.hasPrefix(at.prefix) && seen.insert($0.text).inserted }
        let types: [JSON] = matches.map { match in
            var entry: [String: JSON] = [
                "start": .number(Double(at.prefixStart)), "end": .number(Double(cursor)),
                "text": .string(match.text), "type": .string(match.type),
            ]
            if let signature = match.signature { entry["signature"] = .string(signature) }
            return .object(entry)
        }
        return Completion(
            matches: matches.map(\.text), cursorStart: at.prefixStart, cursorEnd: cursor,
            metadata: ["_jupyter_types_experimental": .array(types)])
    }

    /// The value a chain of names stands for (`data.test`), read without side effects.
    func resolve(_ chain: [String]) -> Value? {
        guard let first = chain.first else { return nil }
        var value: Value
        if let v = variables[first] {
            value = v
        } else if let b = builtins[first] {
            value = .builtin(b)
        } else {
            return nil
        }
        for name in chain.dropFirst() {
            guard let next = try? Attributes.get(name, of: value, at: nil) else { return nil }
            value = next
        }
        return value
    }

    func resolveBuiltin(_ name: String) -> Builtin? {
        if let v = variables[name] {
            if case .builtin(let b) = v { return b }
            return nil
        }
        return builtins[name]
    }
}
