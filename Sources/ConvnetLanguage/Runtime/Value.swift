import Convnet
import Foundation

/// A value of the language. Numbers are Doubles; volumes keep the sizes a learner
/// wrote (`5x5` has two, `28x28x1` three); nets are shared references (training
/// changes them in place), everything else is a value.
public enum Value {
    case none
    case bool(Bool)
    case number(Double)
    case string(String)
    case list([Value])
    /// `28x28x1`, `5x5`: width x height (x depth).
    case volume([Int])
    /// An image, a filter, an activation map or any CHW tensor, with an optional label.
    case image(ImageValue)
    /// Images with labels: a data set, a part of one, or a slice (`data.test[0:32]`).
    case dataset(Dataset)
    /// A record of named fields: a loaded data set (train, test), an evaluation, a verdict.
    case record(Record)
    /// Rows and columns: `vars()`, `summary(net)`.
    case table(Table)
    case builtin(Builtin)
    /// A layer as written (`conv(8, 5x5)`), before it joins a net.
    case layer(LayerSpec)
    case net(NetValue)
    case optimizer(OptimizerSpec)
    case history(HistoryValue)
    /// Many images: `show(...)`, `filters(...)`, `activations(...)`.
    case gallery(Gallery)
    case confusion(ConfusionValue)
    /// A control or a live picture (`slider(0, 23)`, `live(...)`): a shared reference.
    case widget(WidgetValue)

    /// The kind's name in messages, `vars()` and inspection.
    public var kind: String {
        switch self {
        case .none: return "none"
        case .bool: return "bool"
        case .number: return "number"
        case .string: return "string"
        case .list: return "list"
        case .volume: return "volume"
        case .image: return "image"
        case .dataset: return "dataset"
        case .record(let r): return r.kind
        case .table: return "table"
        case .builtin: return "built-in"
        case .layer: return "layer"
        case .net: return "net"
        case .optimizer: return "optimizer"
        case .history: return "history"
        case .gallery: return "images"
        case .confusion: return "confusion matrix"
        case .widget: return "widget"
        }
    }

    /// "a number", "an image": the kind with its article, for messages.
    public var kindWithArticle: String { Value.article(kind) }

    static func article(_ kind: String) -> String {
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        return (vowels.contains(kind.first ?? "x") ? "an " : "a ") + kind
    }

    /// The volume the value has, when it has one (a data set's image volume, an image's).
    public var volumeDescription: String? {
        switch self {
        case .volume(let dims): return Value.volumeText(dims)
        case .image(let image): return image.volume.description
        case .dataset(let d): return "\(d.count) x \(d.volume)"
        case .list(let items): return "\(items.count) items"
        case .record(let r): return r.volume
        case .net(let n): return "\(n.network.inputVolume) -> \(n.network.outputVolume)"
        case .gallery(let g): return g.sections.first?.images.first.map { "\(g.imageCount) x \($0.volume)" }
        default: return nil
        }
    }

    /// Truthiness for `if`, `and`, `or`, `not`: false, none, 0, "" and [] are false.
    public var isTruthy: Bool {
        switch self {
        case .none: return false
        case .bool(let b): return b
        case .number(let n): return n != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        default: return true
        }
    }

    /// How deeply lists nest inside this value, counting no further than `limit`.
    func listDepth(upTo limit: Int) -> Int {
        var known: [UnsafeRawPointer: Int] = [:]
        return listDepth(upTo: limit, known: &known)
    }

    /// `x = [x, x]` in a loop makes lists that share their items: walked as a tree, 60 steps
    /// of it hold 2^60 lists. `known` remembers each shared array's depth (by its storage).
    private func listDepth(upTo limit: Int, known: inout [UnsafeRawPointer: Int]) -> Int {
        guard case .list(let items) = self else { return 0 }
        guard limit > 0 else { return 1 }
        let storage = items.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
        if let storage, let depth = known[storage] { return depth }
        var deepest = 0
        for item in items {
            if case .list = item { deepest = max(deepest, item.listDepth(upTo: limit - 1, known: &known)) }
            if deepest >= limit - 1 { break }
        }
        if let storage { known[storage] = 1 + deepest }
        return 1 + deepest
    }

    /// `24`, `0.01`, `1e-06`: whole numbers without a point, others in their shortest form.
    public static func format(_ n: Double) -> String {
        if n.isNaN { return "nan" }
        if n.isInfinite { return n > 0 ? "inf" : "-inf" }
        if n == n.rounded(), abs(n) < 1e15 { return String(Int(n)) }
        return "\(n)"
    }

    /// "sgd(lr: 0.01, momentum: 0.9)".
    static func describe(_ o: OptimizerSpec) -> String {
        func f(_ x: Float) -> String { Value.format(Value.double(x)) }
        switch o {
        case let .sgd(lr, momentum, nesterov):
            return "sgd(lr: \(f(lr)), momentum: \(f(momentum))" + (nesterov ? ", nesterov: true)" : ")")
        case let .adam(lr, b1, b2, _): return "adam(lr: \(f(lr)), beta1: \(f(b1)), beta2: \(f(b2)))"
        case let .adagrad(lr, _): return "adagrad(lr: \(f(lr)))"
        case let .adadelta(lr, rho, _): return "adadelta(lr: \(f(lr)), rho: \(f(rho)))"
        }
    }

    /// A Float as the Double a learner wrote (0.01, not 0.009999999776482582).
    static func double(_ x: Float) -> Double { Double("\(x)") ?? Double(x) }

    static func volumeText(_ dims: [Int]) -> String { dims.map(String.init).joined(separator: "x") }

    /// Text for `print` and text/plain: strings without quotes at the top level.
    public var text: String {
        if case .string(let s) = self { return s }
        return repr
    }

    /// Text as the value reads back in the language: strings quoted.
    public var repr: String {
        switch self {
        case .none: return "none"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return Value.format(n)
        case .string(let s): return "\"" + s.replacingOccurrences(of: "\"", with: "\\\"") + "\""
        case .list:
            var out = ""
            appendListRepr(to: &out, budget: Value.reprBudget)
            return out
        case .volume(let dims): return Value.volumeText(dims)
        case .image(let image): return image.description
        case .dataset(let d): return "dataset \"\(d.name)\": \(d.count) images of \(d.volume), \(d.classNames.count) classes"
        case .record(let r): return r.description
        case .table(let t): return t.plainText
        case .builtin(let b): return "built-in \(b.signature)"
        case .layer(let spec): return spec.description
        case .net(let n): return n.description
        case .optimizer(let o): return Value.describe(o)
        case .history(let h): return h.description
        case .gallery(let g): return g.description
        case .widget(let w): return w.repr
        case .confusion(let c): return "confusion matrix of \(c.classNames.count) classes, accuracy \(String(format: "%.4f", c.accuracy))"
        }
    }
}

extension Value {
    /// The most characters the text of one list may take: lists nest, and `x = [x, x]`
    /// in a loop doubles the text each time while the list itself stays small.
    static let reprBudget = 100_000

    /// Writes this list's text (the first 100 items of each list) into `out`, stopping
    /// with `...` once `out` passes `budget` characters.
    private func appendListRepr(to out: inout String, budget: Int) {
        guard case .list(let items) = self else {
            out += repr
            return
        }
        out += "["
        for (i, item) in items.prefix(100).enumerated() {
            if i > 0 { out += ", " }
            guard out.utf8.count < budget else {
                out += "...]"
                return
            }
            if case .list = item { item.appendListRepr(to: &out, budget: budget) } else { out += item.repr }
        }
        if items.count > 100 { out += ", ... \(items.count) items" }
        out += "]"
    }
}

extension Value: Equatable {
    /// The language's `==`: structural for plain values, a volume equals the list of
    /// its sizes (`24x24x8 == [24, 24, 8]`), identity for nets.
    public static func == (a: Value, b: Value) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.list(let x), .list(let y)): return Value.sameItems(x, y)
        case (.volume(let x), .volume(let y)): return Value.sameVolume(x, y)
        case (.volume(let x), .list(let y)), (.list(let y), .volume(let x)):
            return y.count == x.count && zip(x, y).allSatisfy { Value.number(Double($0)) == $1 }
        case (.image(let x), .image(let y)): return x == y
        case (.dataset(let x), .dataset(let y)):
            return x.name == y.name && x.labels == y.labels && x.pixels == y.pixels
        case (.record(let x), .record(let y)): return x == y
        case (.table(let x), .table(let y)): return x == y
        case (.builtin(let x), .builtin(let y)): return x === y
        case (.layer(let x), .layer(let y)): return x == y
        case (.net(let x), .net(let y)): return x === y
        case (.optimizer(let x), .optimizer(let y)): return x == y
        case (.confusion(let x), .confusion(let y)): return x == y
        default: return false
        }
    }

    /// Two arrays' storage, for remembering which pairs are already known equal.
    private struct StoragePair: Hashable {
        let left: UnsafeRawPointer
        let right: UnsafeRawPointer
    }

    /// Lists compared item by item, each pair of shared arrays once: two lists built by
    /// `x = [x, x]` in a loop hold 2^depth items as a tree but few distinct arrays.
    static func sameItems(_ x: [Value], _ y: [Value]) -> Bool {
        var known = Set<StoragePair>()
        return sameItems(x, y, known: &known)
    }

    private static func sameItems(_ x: [Value], _ y: [Value], known: inout Set<StoragePair>) -> Bool {
        guard x.count == y.count else { return false }
        let left = x.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
        let right = y.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
        let pair = left.flatMap { l in right.map { StoragePair(left: l, right: $0) } }
        if let pair, pair.left == pair.right || known.contains(pair) { return true }
        for (a, b) in zip(x, y) {
            if case .list(let p) = a, case .list(let q) = b {
                guard sameItems(p, q, known: &known) else { return false }
            } else if a != b {
                return false
            }
        }
        if let pair { known.insert(pair) }
        return true
    }

    /// 5x5 equals 5x5x1: a flat volume has depth 1.
    static func sameVolume(_ x: [Int], _ y: [Int]) -> Bool {
        let x3 = x.count == 2 ? x + [1] : x
        let y3 = y.count == 2 ? y + [1] : y
        return x3 == y3
    }
}

/// Named fields with a kind: what `dataset(...)` loads (train, test), what
/// `evaluate` reports (accuracy, loss), what `answer` says.
public struct Record: Equatable {
    public var kind: String
    public var fields: [(name: String, value: Value)]
    /// A one-line summary for text/plain and inspection.
    public var summary: String
    /// The volume shown in `vars()`.
    public var volume: String?

    public init(kind: String, fields: [(String, Value)], summary: String, volume: String? = nil) {
        self.kind = kind
        self.fields = fields.map { (name: $0.0, value: $0.1) }
        self.summary = summary
        self.volume = volume
    }

    public subscript(name: String) -> Value? { fields.first { $0.name == name }?.value }

    public var description: String { summary }

    public static func == (a: Record, b: Record) -> Bool {
        a.kind == b.kind && a.fields.count == b.fields.count
            && zip(a.fields, b.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}
