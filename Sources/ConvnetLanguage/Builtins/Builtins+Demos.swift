import Convnet

// The chapter's demos as values: hand-made filters, one convolution step, one layer's
// maps, training watched, a confusion matrix's images. Each is a still picture (its
// display) that a widget can redraw: live(convolution_step(img, edge, x, y)).
extension Builtins {
    static var demos: [Builtin] {
        [
            Builtin(
                "filter", [.required("name")], family: .demos,
                summary: "A hand-made 3x3 filter by name: \"edge-horizontal\", \"edge-vertical\", \"sobel-x\", \"sobel-y\", \"blur\", \"gaussian\", \"sharpen\", \"outline\" or \"identity\".",
                details: "What filters did before nets learned them: edges respond to a change of brightness across them, blur and gaussian average a neighbourhood, sharpen and outline exaggerate differences. filters(net, 1)[k] is a learned one; both slide over an image with convolve() and convolution_step().",
                example: "convolve(data.test[0], filter(\"sobel-x\"))"
            ) { args, _ throws(LanguageError) in
                let name = try args.string("name")
                guard let rows = HandmadeFilter.rows(named: name.lowercased()) else {
                    throw LanguageError(
                        .unknownFilter(name: name, suggestion: suggestion(for: name.lowercased(), among: HandmadeFilter.names),
                                       known: HandmadeFilter.names), at: args.spanOf("name"))
                }
                return .image(ImageValue(
                    volume: Volume(3, 3, 1), values: rows.flatMap { $0 }, labelName: name.lowercased(), tone: .signed))
            },
            Builtin(
                "convolution_step", [.required("image"), .required("kernel"), .optional("x", 0), .optional("y", 0),
                                     .keyword("stride", 1), .keyword("pad", 0), .keyword("sweep", .none)],
                family: .demos,
                summary: "One step of a convolution: the image with the filter's window at map position (x, y), the patch under it, the filter, their products, the weighted sum, and the activation map filled in up to there.",
                details: "x and y count the map's columns and rows from 0 (the window's corner is at x*stride - pad, y*stride - pad in the image). sweep: n puts the window at the map's n-th position in reading order instead (wrapping round after the last), so one Play counting up sweeps the whole image: live(convolution_step(img, edge, sweep: p.value)). The result's .sum is the map's value there, .patch and .products are images, .map the whole map. One channel: for a colour image take img[0]. Drive it with sliders: live(convolution_step(img, edge, x.value, y.value)).",
                example: "step = convolution_step(data.test[0], filter(\"edge-horizontal\"), 10, 12)\nstep"
            ) { args, cell throws(LanguageError) in
                let image = try args.image("image")
                let kernel = try args.image("kernel")
                guard image.volume.depth == 1 else {
                    throw LanguageError(.oneChannelOnly(builtin: "convolution_step", volume: image.volume.description), at: args.spanOf("image"))
                }
                guard kernel.volume.depth == 1 else {
                    throw LanguageError(
                        .filterDeeperThanImage(builtin: "convolution_step", depth: kernel.volume.depth), at: args.spanOf("kernel"))
                }
                let stride = try args.int("stride", in: 1...10_000)
                let pad = try args.int("pad", in: 0...64)
                let map = try convolve(image, kernel, stride: stride, pad: pad, cell: cell)
                guard map.volume.width <= 512, map.volume.height <= 512 else {
                    throw LanguageError(
                        .mapTooLargeToDraw(builtin: "convolution_step", width: map.volume.width, height: map.volume.height, limit: 512),
                        at: args.span)
                }
                let (w, h) = (map.volume.width, map.volume.height)
                var (x, y) = (0, 0)
                if let n = try args.optionalInt("sweep", in: 0...Int.max) {
                    (x, y) = (n % (w * h) % w, n % (w * h) / w)
                } else {
                    x = try args.int("x", in: 0...(w - 1))
                    y = try args.int("y", in: 0...(h - 1))
                }
                return .record(ConvolutionStep(image: image, kernel: kernel, map: map, x: x, y: y, stride: stride, pad: pad).record)
            },
            Builtin(
                "layer_maps", [.required("net"), .required("image"), .optional("layer", .computed("the first conv layer"))], family: .demos,
                summary: "One conv layer looking at one image: each filter above the activation map it makes, beside the image.",
                details: "The chapter's eight maps of the first layer, in one picture that fits a widget's view. Layers count from 1; the maps are the conv layer's outputs (before the relu after it). .maps[k] is one map, .filters[k] its filter.",
                example: "layer_maps(net, data.test[0])"
            ) { args, _ throws(LanguageError) in
                let net = try args.net("net")
                let image = try args.image("image")
                guard image.volume == net.network.inputVolume else {
                    throw LanguageError(
                        .imageDoesNotFitNet(builtin: "layer_maps", image: image.volume.description, net: net.network.inputVolume.description),
                        at: args.spanOf("image"))
                }
                let layer = try convLayer(args, net.network)
                let (filters, maps) = try engine { try layerMaps(net.network, image: image, layer: layer) }
                return .record(LayerMaps(image: image, layer: layer, spec: net.network.specs[layer - 1], filters: filters, maps: maps).record)
            },
            Builtin(
                "training_view", [.required("net"), .required("image"), .optional("history", .none)], family: .demos,
                summary: "Training at a glance: the loss and accuracy chart, the first conv layer's filters and one image's maps, in one picture.",
                details: "train(net, data, watch: img) redraws this picture about four times a second while the net learns; training_view shows it still, for a history returned by train.",
                example: "history = train(net, data.train[0:2000])\ntraining_view(net, data.test[0], history)"
            ) { args, _ throws(LanguageError) in
                let net = try args.net("net")
                let image = try args.image("image")
                guard image.volume == net.network.inputVolume else {
                    throw LanguageError(
                        .imageDoesNotFitNet(builtin: "training_view", image: image.volume.description, net: net.network.inputVolume.description),
                        at: args.spanOf("image"))
                }
                var history: HistoryValue?
                if try args.has("history") {
                    guard case .history(let h) = try args.value("history") else {
                        throw args.mismatch("history", expected: "a history returned by train(...)", try args.value("history"))
                    }
                    history = h
                }
                return .record(Record(
                    kind: "training view",
                    fields: [("net", .net(net)), ("image", .image(image)), ("history", history.map { .history($0) } ?? .none)],
                    summary: "\(net.description)" + (history.map { "; " + $0.description } ?? "; not trained yet")))
            },
            Builtin(
                "confusion_examples", [.required("matrix"), .required("actual"), .required("predicted"), .keyword("count", 32)],
                family: .demos,
                summary: "The images behind one cell of a confusion matrix: those of class actual that the net called predicted.",
                details: "matrix comes from confusion(net, data) and remembers every prediction, so picking another cell is instant. Classes are given by number or by name (\"Shirt\"). The picture shows the matrix with the cell outlined, and the first count images; .images holds them and .indices their places in the data.",
                example: "matrix = confusion(net, data.test)\nconfusion_examples(matrix, 6, 0)"
            ) { args, _ throws(LanguageError) in
                guard case .confusion(let matrix) = try args.value("matrix") else {
                    throw args.mismatch("matrix", expected: "a confusion matrix from confusion(net, data)", try args.value("matrix"))
                }
                guard let data = matrix.data, matrix.predictions.count == data.count else {
                    throw LanguageError(.matrixWithoutImages(builtin: "confusion_examples"), at: args.spanOf("matrix"))
                }
                let actual = try classIndex(args, "actual", names: matrix.classNames)
                let predicted = try classIndex(args, "predicted", names: matrix.classNames)
                let count = try args.int("count", in: 1...400)
                return .record(ConfusionExamples(matrix: matrix, data: data, actual: actual, predicted: predicted, count: count).record)
            },
        ]
    }

    /// The conv layer named by `layer`, or the first one.
    private static func convLayer(_ args: Arguments, _ net: Network) throws(LanguageError) -> Int {
        let convs = net.specs.indices.filter { if case .conv = net.specs[$0] { return true } else { return false } }.map { $0 + 1 }
        guard !convs.isEmpty else { throw LanguageError(.noConvLayer(builtin: args.builtin.name), at: args.spanOf("net")) }
        guard let layer = try args.optionalInt("layer", in: 1...net.specs.count) else { return convs[0] }
        guard convs.contains(layer) else {
            throw LanguageError(
                .notAConvLayer(builtin: args.builtin.name, layer: layer, spec: "\(net.specs[layer - 1])", convLayers: convs),
                at: args.spanOf("layer"))
        }
        return layer
    }

    /// A conv layer's filters (when they have one channel or three) and its maps for `image`.
    static func layerMaps(_ net: Network, image: ImageValue, layer: Int) throws -> (filters: [ImageValue], maps: [ImageValue]) {
        let outputs = try net.activations(for: networkInput(image))
        let volume = net.volumes[layer]
        let mapValue = ImageValue(volume: volume, values: outputs[layer].values, tone: .activation)
        let maps = (0..<min(volume.depth, 64)).map { mapValue.channel($0) }
        guard case .conv(let count, let size, _, _, _) = net.specs[layer - 1] else { return ([], maps) }
        let depth = net.volumes[layer - 1].depth
        guard depth == 1 else { return ([], maps) }
        let weights = try net.filters(layer: layer).weights.values
        let n = size * size
        let filters = (0..<min(count, 64)).map { f in
            ImageValue(volume: Volume(size, size, 1), values: Array(weights[(f * n)..<((f + 1) * n)]), tone: .signed)
        }
        return (filters, maps)
    }

    /// A class given by number or by name.
    private static func classIndex(_ args: Arguments, _ name: String, names: [String]) throws(LanguageError) -> Int {
        if case .string(let text) = try args.value(name) {
            if let i = names.firstIndex(where: { $0.lowercased() == text.lowercased() }) { return i }
            throw LanguageError(
                .noSuchClass(builtin: args.builtin.name, name: text, suggestion: suggestion(for: text, among: names)),
                at: args.spanOf(name))
        }
        return try args.int(name, in: 0...max(0, names.count - 1))
    }
}

/// The hand-made filters of `filter(name)`: each as rows of weights.
enum HandmadeFilter {
    static let all: [(name: String, rows: [[Float]])] = [
        ("edge-horizontal", [[-1, -1, -1], [0, 0, 0], [1, 1, 1]]),
        ("edge-vertical", [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]),
        ("sobel-x", [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
        ("sobel-y", [[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
        ("blur", [[Float]](repeating: [Float](repeating: 1.0 / 9, count: 3), count: 3)),
        ("gaussian", [[1, 2, 1], [2, 4, 2], [1, 2, 1]].map { $0.map { $0 / 16 } }),
        ("sharpen", [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
        ("outline", [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]),
        ("identity", [[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    ]

    static var names: [String] { all.map(\.name) }

    static func rows(named name: String) -> [[Float]]? { all.first { $0.name == name }?.rows }
}
