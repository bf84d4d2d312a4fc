import Convnet

// Looking inside a net: filters, activations, templates, save, load.
extension Builtins {
    static var inspection: [Builtin] {
        [
            Builtin(
                "filters", [.required("net"), .optional("layer", .computed("the first conv or dense layer"))], family: .inspection,
                summary: "A layer's learned filters as images (blue negative, red positive); layers count from 1.",
                details: "filters(net, 1)[0] is the first filter, which convolve(img, ...) can slide over an image.",
                example: "filters(net, 1)"
            ) { args, _ throws(LanguageError) in
                let net = try args.net("net").network
                let index = try args.optionalInt("layer", in: 1...max(1, net.specs.count))
                    ?? (net.specs.firstIndex { $0.hasParameters }.map { $0 + 1 } ?? 1)
                let (weights, _) = try engine { try net.filters(layer: index) }
                let input = net.volumes[index - 1]
                var images: [ImageValue] = []
                switch net.specs[index - 1] {
                case .conv(let count, let size, _, _, _):
                    let n = size * size * input.depth
                    for f in 0..<count {
                        images.append(ImageValue(
                            volume: Volume(size, size, input.depth), values: Array(weights.values[(f * n)..<((f + 1) * n)]), tone: .signed))
                    }
                default:
                    images = unitImages(weights, input: input)
                }
                return .gallery(Gallery(
                    title: "layer \(index): \(net.specs[index - 1]) filters",
                    sections: [.init(title: nil, images: images, labels: images.indices.map { "#\($0 + 1)" })]))
            },
            Builtin(
                "activations", [.required("net"), .required("image")], family: .inspection,
                summary: "Runs one image through the net and shows every layer's output: its activation maps.",
                example: "activations(net, data.test[0])"
            ) { args, _ throws(LanguageError) in
                let netValue = try args.net("net")
                let net = netValue.network
                let image = try args.image("image")
                let outputs = try engine { try net.activations(for: networkInput(image)) }
                var sections: [Gallery.Section] = [.init(title: "input \(net.inputVolume)", images: [image], labels: [image.labelName ?? ""])]
                for (i, spec) in net.specs.enumerated() {
                    let t = outputs[i + 1]
                    let volume = net.volumes[i + 1]
                    let map = ImageValue(volume: volume, values: t.values, tone: .activation)
                    let maps: [ImageValue]
                    if volume.width == 1 && volume.height == 1 {
                        // A column of values (dense, softmax): one row of pixels.
                        maps = [ImageValue(volume: Volume(volume.depth, 1, 1), values: t.values, tone: .activation)]
                    } else {
                        maps = (0..<min(volume.depth, 64)).map { map.channel($0) }
                    }
                    var section = Gallery.Section(
                        title: "layer \(i + 1): \(spec) -> \(volume)", images: maps,
                        labels: maps.count > 1 ? maps.indices.map { "\($0 + 1)" } : [""])
                    if spec == .softmax, volume.width == 1, volume.height == 1, volume.depth <= 20 {
                        // Class probabilities read best as labelled bars.
                        section.barNames = (0..<volume.depth).map { c in
                            c < (netValue.classNames?.count ?? 0) ? netValue.classNames![c] : String(c)
                        }
                    }
                    sections.append(section)
                }
                return .gallery(Gallery(title: "activations of \(image)", sections: sections))
            },
            Builtin(
                "templates", [.required("net")], family: .inspection,
                summary: "The weights of a net's first dense layer drawn as images, one per class: what each output looks for.",
                details: "For a one-layer net (sequential(28x28x1, dense(10), softmax())) these are the class templates.",
                example: "templates(sequential(28x28x1, dense(10), softmax()))"
            ) { args, _ throws(LanguageError) in
                let value = try args.net("net")
                let net = value.network
                guard let i = net.specs.firstIndex(where: { $0.hasParameters }), case .dense = net.specs[i] else {
                    throw LanguageError(.templatesNeedDense, at: args.spanOf("net"))
                }
                let (weights, _) = try engine { try net.filters(layer: i + 1) }
                let images = unitImages(weights, input: net.volumes[i])
                let names = value.classNames ?? []
                return .gallery(Gallery(
                    title: "templates: layer \(i + 1) (\(net.specs[i])) weights",
                    sections: [.init(title: nil, images: images, labels: images.indices.map { $0 < names.count ? names[$0] : "\($0)" })]))
            },
            Builtin(
                "save", [.required("net"), .required("path")], family: .inspection,
                summary: "Saves a net (its layers and weights) to a file; written whole or not at all.",
                example: "save(net, \"fashion.net\")", isStatement: true, changesState: true
            ) { args, _ throws(LanguageError) in
                let net = try args.net("net").network
                let path = try args.string("path")
                try engine { try net.save(to: path) }
                return .none
            },
            Builtin(
                "load", [.required("path")], family: .inspection,
                summary: "Loads a net saved by save().",
                example: "net2 = load(\"fashion.net\")"
            ) { args, cell throws(LanguageError) in
                let path = try args.string("path")
                let limit = cell.limits.memoryBytes
                return .net(NetValue(try engine { try Network.load(from: path, memoryLimit: limit) }))
            },
        ]
    }

    /// Each unit of a dense layer's weights, reshaped to the layer's input volume.
    static func unitImages(_ weights: Tensor, input: Volume) -> [ImageValue] {
        let units = weights.shape[0], n = weights.shape[1]
        let volume = n == input.count ? input : Volume(n, 1, 1)
        return (0..<units).map { u in
            ImageValue(volume: volume, values: Array(weights.values[(u * n)..<((u + 1) * n)]), tone: .signed)
        }
    }
}
