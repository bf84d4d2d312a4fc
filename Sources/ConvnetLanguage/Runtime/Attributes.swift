/// `value.name`: what each kind of value exposes after a dot. Completion lists
/// the same names, so the two cannot disagree.
enum Attributes {
    /// The attributes `value` has, each with a one-line description.
    static func names(of value: Value) -> [(name: String, about: String)] {
        switch value {
        case .dataset:
            return [
                ("count", "how many images"), ("volume", "the volume of one image"),
                ("classes", "the class names"), ("labels", "the class index of each image"),
                ("name", "where the images came from"),
            ]
        case .image:
            return [
                ("volume", "width x height x depth"), ("label", "the class index (none if unlabelled)"),
                ("class", "the class name (none if unlabelled)"),
            ]
        case .volume:
            return [("width", "the first size"), ("height", "the second size"), ("depth", "the third size (1 if absent)"), ("count", "width * height * depth")]
        case .list:
            return [("count", "how many items")]
        case .string:
            return [("count", "how many characters")]
        case .record(let r):
            return r.fields.map { ($0.name, $0.value.kind) }
        case .builtin:
            return [("doc", "its help text"), ("name", "its name")]
        default:
            return extraNames(of: value)
        }
    }

    static func get(_ name: String, of value: Value, at span: SourceSpan?) throws(LanguageError) -> Value {
        switch (value, name) {
        case (.dataset(let d), "count"): return .number(Double(d.count))
        case (.dataset(let d), "volume"): return .volume([d.volume.width, d.volume.height, d.volume.depth])
        case (.dataset(let d), "classes"): return .list(d.classNames.map { .string($0) })
        case (.dataset(let d), "labels"): return .list(d.labels.map { .number(Double($0)) })
        case (.dataset(let d), "name"): return .string(d.name)
        case (.image(let i), "volume"): return .volume([i.volume.width, i.volume.height, i.volume.depth])
        case (.image(let i), "label"): return i.label.map { .number(Double($0)) } ?? .none
        case (.image(let i), "class"): return i.labelName.map { .string($0) } ?? .none
        case (.volume(let d), "width"): return .number(Double(d[0]))
        case (.volume(let d), "height"): return .number(Double(d[1]))
        case (.volume(let d), "depth"): return .number(Double(d.count > 2 ? d[2] : 1))
        case (.volume(let d), "count"): return .number(Double(d.reduce(1, *)))
        case (.list(let items), "count"): return .number(Double(items.count))
        case (.string(let s), "count"): return .number(Double(s.count))
        case (.record(let r), _) where r[name] != nil: return r[name]!
        case (.builtin(let b), "doc"): return .string(b.doc)
        case (.builtin(let b), "name"): return .string(b.name)
        default:
            if let extra = try extraGet(name, of: value, at: span) { return extra }
            let known = names(of: value).map(\.name)
            throw LanguageError(
                .noAttribute(name, of: value.kindWithArticle, suggestion: suggestion(for: name, among: known), known: known),
                at: span)
        }
    }
}
