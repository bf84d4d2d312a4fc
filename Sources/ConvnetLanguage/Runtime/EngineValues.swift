// Attributes and indexing of the engine's values (nets, layers, histories),
// kept apart from the plain values' so each file has one job.

extension Attributes {
    static func extraNames(of value: Value) -> [(name: String, about: String)] { [] }

    static func extraGet(_ name: String, of value: Value, at span: SourceSpan) throws(LanguageError) -> Value? { nil }
}

extension Indexing {
    static func extraLength(_ value: Value) -> Int? { nil }

    static func extraIndex(_ value: Value, _ i: Int, at span: SourceSpan) throws(LanguageError) -> Value {
        throw LanguageError(.type, "\(value.kindWithArticle) cannot be indexed", at: span)
    }
}
