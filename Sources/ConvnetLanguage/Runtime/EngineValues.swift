import Convnet
import Foundation

/// A net as the language holds it: shared (training changes it in place), and
/// replaceable as a whole (`add` builds a longer net keeping the old weights).
public final class NetValue {
    public internal(set) var network: Network
    /// Class names learned from the data it was trained on, for labels in displays.
    public internal(set) var classNames: [String]?

    init(_ network: Network, classNames: [String]? = nil) {
        self.network = network
        self.classNames = classNames
    }

    /// "net 28x28x1 -> 10 classes: 12 layers, 25,090 parameters".
    public var description: String {
        let n = network
        return "net \(n.inputVolume) -> \(n.outputVolume): \(n.specs.count) layer" + (n.specs.count == 1 ? "" : "s")
            + ", \(grouped(n.parameterCount)) parameters"
    }
}

/// What `train` returns: the engine's history, shown as loss and accuracy curves.
public struct HistoryValue {
    public var history: TrainingHistory
    /// The batch size, to put images on the x axis.
    public var batchSize: Int

    public var description: String {
        let h = history
        var text = "training history: \(h.batchesRun) of \(h.batchesTotal) batches, \(h.imagesSeen) images"
        if let loss = h.epochLosses.last, let accuracy = h.epochAccuracies.last {
            text += ", last epoch loss \(String(format: "%.4f", loss)), accuracy \(String(format: "%.4f", accuracy))"
        }
        if h.interrupted { text += " (interrupted)" }
        return text
    }
}

/// Many images shown together: a data set slice, a layer's filters, the activation
/// maps of every layer (one section each).
public struct Gallery {
    public struct Section {
        public var title: String?
        public var images: [ImageValue]
        /// One per image ("" for none).
        public var labels: [String]
        /// Set for a net's class probabilities (a softmax layer's 1x1xN output):
        /// the section's one image is drawn as a bar chart with these names.
        public var barNames: [String]? = nil
    }

    public var title: String?
    public var sections: [Section]

    public var imageCount: Int { sections.reduce(0) { $0 + $1.images.count } }

    public var description: String {
        if sections.count == 1 {
            let s = sections[0]
            let volume = s.images.first.map { " of \($0.volume)" } ?? ""
            return (title.map { $0 + ": " } ?? "") + "\(s.images.count) image" + (s.images.count == 1 ? "" : "s") + volume
        }
        var lines = [title ?? "\(sections.count) groups of images"]
        for s in sections {
            let volume = s.images.first.map { " of \($0.volume)" } ?? ""
            lines.append("  \(s.title ?? ""): \(s.images.count) map" + (s.images.count == 1 ? "" : "s") + volume)
        }
        return lines.joined(separator: "\n")
    }
}

/// A confusion matrix: `counts[truth][predicted]`, with the images it counted and the
/// class predicted for each, so `confusion_examples` can show a cell's images at once.
public struct ConfusionValue: Equatable {
    public var counts: [[Int]]
    public var classNames: [String]
    /// The labelled images counted (none for a matrix made from counts alone).
    public var data: Dataset?
    /// The class predicted for each of `data`'s images.
    public var predictions: [Int] = []

    public init(counts: [[Int]], classNames: [String], data: Dataset? = nil, predictions: [Int] = []) {
        self.counts = counts
        self.classNames = classNames
        self.data = data
        self.predictions = predictions
    }

    /// Equal counts and names: two matrices that say the same.
    public static func == (a: ConfusionValue, b: ConfusionValue) -> Bool {
        a.counts == b.counts && a.classNames == b.classNames
    }

    public var accuracy: Double {
        let total = counts.joined().reduce(0, +)
        let right = counts.indices.reduce(0) { $0 + counts[$1][$1] }
        return total > 0 ? Double(right) / Double(total) : 0
    }
}

/// 25,090.
func grouped(_ n: Int) -> String {
    let digits = String(abs(n))
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
        out.append(c)
    }
    return (n < 0 ? "-" : "") + out
}

func volumeValue(_ v: Volume) -> Value { .volume([v.width, v.height, v.depth]) }

// Attributes and indexing of the engine's values, kept apart from the plain values'.

extension Attributes {
    static func extraNames(of value: Value) -> [(name: String, about: String)] {
        switch value {
        case .net:
            return [
                ("layers", "the layers, in order"), ("input", "the input volume"), ("output", "the output volume"),
                ("parameters", "how many weights and biases"), ("volumes", "the volume after each layer"),
            ]
        case .layer(let spec):
            return [("kind", "conv, maxpool, dense, ...")] + layerFields(spec).map { ($0.0, "a setting") }
        case .history:
            return [
                ("loss", "the loss of each batch"), ("accuracy", "the accuracy of each batch"),
                ("epoch_loss", "the mean loss of each epoch"), ("epoch_accuracy", "the mean accuracy of each epoch"),
                ("batches", "batches run"), ("images", "images seen"), ("seconds", "time taken"),
                ("interrupted", "whether it was stopped early"),
            ]
        case .gallery:
            return [("count", "how many images")]
        case .confusion:
            return [("counts", "counts[truth][predicted]"), ("classes", "the class names"), ("accuracy", "the diagonal's share")]
        case .optimizer:
            return [("name", "sgd, adam, adagrad or adadelta"), ("lr", "the learning rate")]
        case .widget:
            return WidgetValue.attributes
        default:
            return []
        }
    }

    static func extraGet(_ name: String, of value: Value, at span: SourceSpan?) throws(LanguageError) -> Value? {
        switch (value, name) {
        case (.widget(let w), _): return w.attribute(name)
        case (.net(let net), "layers"): return .list(net.network.specs.map { .layer($0) })
        case (.net(let net), "input"): return volumeValue(net.network.inputVolume)
        case (.net(let net), "output"): return volumeValue(net.network.outputVolume)
        case (.net(let net), "parameters"): return .number(Double(net.network.parameterCount))
        case (.net(let net), "volumes"): return .list(net.network.volumes.map(volumeValue))
        case (.layer(let spec), "kind"): return .string(spec.kind)
        case (.layer(let spec), _): return layerFields(spec).first { $0.0 == name }?.1
        case (.history(let h), "loss"): return .list(h.history.batchLosses.map { .number(Double($0)) })
        case (.history(let h), "accuracy"): return .list(h.history.batchAccuracies.map { .number(Double($0)) })
        case (.history(let h), "epoch_loss"): return .list(h.history.epochLosses.map { .number(Double($0)) })
        case (.history(let h), "epoch_accuracy"): return .list(h.history.epochAccuracies.map { .number(Double($0)) })
        case (.history(let h), "batches"): return .number(Double(h.history.batchesRun))
        case (.history(let h), "images"): return .number(Double(h.history.imagesSeen))
        case (.history(let h), "seconds"): return .number(h.history.seconds)
        case (.history(let h), "interrupted"): return .bool(h.history.interrupted)
        case (.gallery(let g), "count"): return .number(Double(g.imageCount))
        case (.confusion(let c), "counts"): return .list(c.counts.map { .list($0.map { .number(Double($0)) }) })
        case (.confusion(let c), "classes"): return .list(c.classNames.map { .string($0) })
        case (.confusion(let c), "accuracy"): return .number(c.accuracy)
        case (.optimizer(let o), "name"): return .string(o.name)
        case (.optimizer(let o), "lr"): return .number(Value.double(o.learningRate))
        default: return nil
        }
    }

    static func layerFields(_ spec: LayerSpec) -> [(String, Value)] {
        switch spec {
        case let .conv(filters, size, stride, pad, bias):
            return [("filters", .number(Double(filters))), ("size", .volume([size, size])),
                    ("stride", .number(Double(stride))), ("pad", .number(Double(pad))), ("bias", .bool(bias))]
        case let .maxpool(size, stride), let .avgpool(size, stride):
            return [("size", .volume([size, size])), ("stride", .number(Double(stride)))]
        case let .dense(units, bias):
            return [("units", .number(Double(units))), ("bias", .bool(bias))]
        case let .leakyRelu(slope):
            return [("slope", .number(Value.double(slope)))]
        case let .dropout(rate):
            return [("rate", .number(Value.double(rate)))]
        default:
            return []
        }
    }
}

extension Indexing {
    static func extraLength(_ value: Value) -> Int? {
        switch value {
        case .net(let net): return net.network.specs.count
        case .gallery(let g): return g.sections.count == 1 ? g.sections[0].images.count : g.sections.count
        default: return nil
        }
    }

    static func extraIndex(_ value: Value, _ i: Int, at span: SourceSpan) throws(LanguageError) -> Value {
        switch value {
        case .net(let net): return .layer(net.network.specs[i])
        case .gallery(let g):
            if g.sections.count == 1 { return .image(g.sections[0].images[i]) }
            return .gallery(Gallery(title: g.sections[i].title, sections: [g.sections[i]]))
        default:
            throw LanguageError(.notIndexable(kind: value.kindWithArticle), at: span)
        }
    }
}
