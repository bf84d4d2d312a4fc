/// `xs[i]` and `xs[a:b]` on lists, strings, volumes, data sets and images.
enum Indexing {
    static func index(_ base: Value, _ index: Value, at span: SourceSpan, indexSpan: SourceSpan) throws(LanguageError)
        -> Value
    {
        guard case .number(let n) = index, n == n.rounded(), abs(n) < 1e15 else {
            throw LanguageError(.indexNotWhole(index.repr), at: indexSpan)
        }
        let count = try length(of: base, at: span)
        var i = Int(n)
        if i < 0 { i += count }
        guard i >= 0 && i < count else {
            throw LanguageError(
                .indexOutOfRange(index: Int(n), kind: base.kindWithArticle, count: count), at: indexSpan)
        }
        switch base {
        case .list(let items): return items[i]
        case .string(let s): return .string(String(s[s.index(s.startIndex, offsetBy: i)]))
        case .volume(let dims): return .number(Double(dims[i]))
        case .dataset(let d): return .image(ImageValue(d, index: i))
        case .image(let image): return .image(image.channel(i))
        default: return try extraIndex(base, i, at: span)
        }
    }

    static func slice(_ base: Value, _ lower: Value?, _ upper: Value?, at span: SourceSpan) throws(LanguageError)
        -> Value
    {
        let count = try length(of: base, at: span)
        func bound(_ v: Value?, _ fallback: Int) throws(LanguageError) -> Int {
            guard let v else { return fallback }
            if case .none = v { return fallback }
            guard case .number(let n) = v, n == n.rounded(), abs(n) < 1e15 else {
                throw LanguageError(.sliceBoundNotWhole(v.repr), at: span)
            }
            let i = Int(n) < 0 ? Int(n) + count : Int(n)
            return min(max(i, 0), count)
        }
        let a = try bound(lower, 0)
        let b = max(a, try bound(upper, count))
        switch base {
        case .list(let items): return .list(Array(items[a..<b]))
        case .string(let s):
            let chars = Array(s)
            return .string(String(chars[a..<b]))
        case .volume(let dims): return .list(dims[a..<b].map { .number(Double($0)) })
        case .dataset(let d):
            var part = d.slice(a..<b)
            part.name = d.name + "[\(a):\(b)]"
            return .dataset(part)
        default:
            throw LanguageError(.notSliceable(kind: base.kindWithArticle), at: span)
        }
    }

    /// How many items `base` has for indexing.
    static func length(of base: Value, at span: SourceSpan) throws(LanguageError) -> Int {
        switch base {
        case .list(let items): return items.count
        case .string(let s): return s.count
        case .volume(let dims): return dims.count
        case .dataset(let d): return d.count
        case .image(let image): return image.volume.depth
        default:
            if let n = extraLength(base) { return n }
            throw LanguageError(.notIndexable(kind: base.kindWithArticle), at: span)
        }
    }
}
