import Convnet

// Layers and nets: conv, maxpool, avgpool, dense, the nonlinearities, sequential, add, shape, summary.
extension Builtins {
    static var layers: [Builtin] {
        [
            Builtin(
                "conv", [.required("filters"), .required("size"), .keyword("stride", 1), .keyword("pad", 0), .keyword("bias", true)],
                family: .layers,
                summary: "A convolutional layer: `filters` filters of size x size x (input depth), moved `stride` pixels at a time over the input padded with `pad` zeros.",
                details: "Output side: (in + 2*pad - size) / stride + 1, which must be whole. Parameters: filters * (size*size*depth + 1).",
                example: "shape(conv(8, 5x5, pad: 2), 28x28x1)    # 28x28x8"
            ) { args, _ throws(LanguageError) in
                .layer(.conv(
                    filters: try args.int("filters", in: 1...100_000), size: try args.square("size"),
                    stride: try args.int("stride", in: 1...10_000), pad: try args.int("pad", in: 0...10_000),
                    bias: try args.bool("bias")))
            },
            pooling("maxpool", what: "the largest value", make: { .maxpool(size: $0, stride: $1) }),
            pooling("avgpool", what: "the mean", make: { .avgpool(size: $0, stride: $1) }),
            Builtin(
                "dense", [.required("units"), .keyword("bias", true)], family: .layers,
                summary: "A fully-connected layer: each of `units` outputs is a weighted sum of the whole input (flattened), plus a bias.",
                details: "Parameters: units * (inputs + 1).",
                example: "sequential(28x28x1, dense(10), softmax())"
            ) { args, _ throws(LanguageError) in
                .layer(.dense(units: try args.int("units", in: 1...10_000_000), bias: try args.bool("bias")))
            },
            activation("relu", "y = max(0, x)", .relu),
            Builtin(
                "leakyrelu", [.optional("slope", 0.01)], family: .layers,
                summary: "y = x for x > 0, slope * x otherwise.", example: "leakyrelu(0.1)"
            ) { args, _ throws(LanguageError) in .layer(.leakyRelu(slope: Float(try args.number("slope")))) },
            activation("sigmoid", "y = 1 / (1 + e^-x)", .sigmoid),
            activation("tanh", "y = tanh(x)", .tanh),
            activation("softmax", "y_i = e^x_i / sum_j e^x_j: the outputs become probabilities that sum to 1", .softmax),
            Builtin(
                "dropout", [.optional("rate", 0.5)], family: .layers,
                summary: "In training, zeroes each value with probability `rate` (and scales the rest up); does nothing in evaluation.",
                example: "sequential(28x28x1, dense(64), relu(), dropout(0.5), dense(10))"
            ) { args, _ throws(LanguageError) in .layer(.dropout(rate: Float(try args.number("rate")))) },
            activation("flatten", "the volume as one column of width*height*depth values (implied before dense)", .flatten),
            Builtin(
                "sequential", [.required("input"), .variadic("layers"), .keyword("seed", 1)], family: .layers,
                summary: "A net: an input volume and its layers in order. Fails at once, naming the layer, if the volumes do not fit.",
                details: "The weights are drawn from `seed`, so the same cell builds the same net.",
                example: "net = sequential(28x28x1,\n  conv(8, 5x5, pad: 2), relu(), maxpool(2x2),\n  dense(10), softmax())"
            ) { args, cell throws(LanguageError) in
                let input = try args.volume("input")
                var specs: [LayerSpec] = []
                for item in args.rest {
                    guard case .layer(let spec) = item.value else {
                        throw LanguageError(
                            .expectedLayers(builtin: "sequential", actual: item.value.kindWithArticle), at: item.span)
                    }
                    specs.append(spec)
                }
                let seed = try args.int("seed", in: 0...Int.max)
                try cell.limits.checkValues(of: input, what: "the input volume \(input)")
                let network = try engine {
                    try Network(
                        input: input, layers: specs, seed: UInt64(seed), memoryLimit: cell.limits.memoryBytes,
                        checkedBatch: Limits.checkedBatch)
                }
                return .net(NetValue(network))
            },
            Builtin(
                "add", [.required("net"), .variadic("layers")], family: .layers,
                summary: "Adds layers at the end of a net, keeping the weights it has.",
                example: "add(net, dense(10), softmax())", isStatement: true, changesState: true
            ) { args, cell throws(LanguageError) in
                let net = try args.net("net")
                var added: [LayerSpec] = []
                for item in args.rest {
                    guard case .layer(let spec) = item.value else {
                        throw LanguageError(.expectedLayers(builtin: "add", actual: item.value.kindWithArticle), at: item.span)
                    }
                    added.append(spec)
                }
                let old = net.network
                let grown = try engine { try old.appending(added, checkedBatch: Limits.checkedBatch) }
                net.network = grown
                cell.onFailure { net.network = old }
                return .net(net)
            },
            Builtin(
                "shape", [.required("layer_or_net"), .optional("input", .none)], family: .layers,
                summary: "The volume a layer makes from an input volume; or a net's output volume, or (with a number) the volume after its layer n.",
                details: "shape(conv(8, 5x5), 28x28x1) is 24x24x8; shape(net, 1) is the volume after the first layer; shape(img) is an image's volume.",
                example: "shape(maxpool(2x2), 24x24x8)    # 12x12x8"
            ) { args, _ throws(LanguageError) in
                switch try args.value("layer_or_net") {
                case .layer(let spec):
                    guard try args.has("input") else {
                        throw LanguageError(.shapeNeedsInput(layer: spec.kind), at: args.span)
                    }
                    let input = try args.volume("input")
                    return volumeValue(try engine { try spec.outputVolume(for: input) })
                case .net(let net):
                    guard try args.has("input") else { return volumeValue(net.network.outputVolume) }
                    let n = try args.int("input", in: 0...net.network.specs.count)
                    return volumeValue(net.network.volumes[n])
                case .image(let image): return volumeValue(image.volume)
                case .dataset(let d): return volumeValue(d.volume)
                case .volume(let dims): return .volume(dims)
                case let other:
                    throw args.mismatch("layer_or_net", expected: "a layer or a net", other)
                }
            },
            Builtin(
                "summary", [.required("net")], family: .layers,
                summary: "A table of the net's layers: each one's output volume and parameter count, and the total.",
                example: "summary(net)"
            ) { args, _ throws(LanguageError) in
                let n = try args.net("net").network
                var rows = [["0", "input", n.inputVolume.description, ""]]
                for row in n.summary {
                    rows.append([String(row.index), row.spec.description, row.output.description, grouped(row.parameters)])
                }
                return .table(Table(
                    columns: ["#", "layer", "output volume", "parameters"], rows: rows,
                    footer: "total: \(grouped(n.parameterCount)) parameters", numericColumns: [0, 3]))
            },
        ]
    }

    private static func activation(_ name: String, _ maths: String, _ spec: LayerSpec) -> Builtin {
        Builtin(
            name, [.optional("image", .none)], family: .layers,
            summary: "A \(name) layer: \(maths). With an image, applies it to the image.",
            example: "sequential(28x28x1, conv(8, 5x5), \(name)(), dense(10))"
        ) { args, cell throws(LanguageError) in
            if try args.has("image") {
                return .image(try applyLayer(spec, to: try args.image("image"), cell: cell))
            }
            return .layer(spec)
        }
    }

    private static func pooling(_ name: String, what: String, make: @escaping (Int, Int) -> LayerSpec) -> Builtin {
        Builtin(
            name, [.required("size"), .optional("window", .none), .keyword("stride", .computed("size"))], family: .layers,
            summary: "A pooling layer: \(what) of each size x size window, windows `stride` apart (by default, not overlapping).",
            details: "Output side: floor((in - size) / stride) + 1, depth unchanged. \(name)(image, 2x2) pools an image or activation map at once.",
            example: "shape(\(name)(2x2), 24x24x8)    # 12x12x8\n\(name)(kernel([[1, 3], [5, 6]]), 2x2)"
        ) { args, cell throws(LanguageError) in
            if case .image(let image) = try args.value("size") {
                guard try args.has("window") else {
                    throw LanguageError(.poolingNeedsWindow(builtin: name), at: args.span)
                }
                let size = try args.square("window")
                let stride = try args.optionalInt("stride", in: 1...10_000) ?? size
                return .image(try applyLayer(make(size, stride), to: image, cell: cell))
            }
            let size = try args.square("size")
            if try args.has("window") {
                throw LanguageError(.poolingTakesOneWindow(builtin: name), at: args.spanOf("window"))
            }
            return .layer(make(size, try args.optionalInt("stride", in: 1...10_000) ?? size))
        }
    }

    /// Runs one parameter-free layer (or a conv with fresh weights) on an image.
    static func applyLayer(_ spec: LayerSpec, to image: ImageValue, cell: CellContext) throws(LanguageError) -> ImageValue {
        let output = try engine { () throws -> Tensor in
            let net = try Network(input: image.volume, layers: [spec], memoryLimit: cell.limits.memoryBytes, threads: 1)
            return try net.activations(for: image.values)[1]
        }
        return ImageValue(volume: output.volume!, values: output.values, tone: image.tone == .signed ? .signed : image.tone)
    }
}

extension Arguments {
    public func net(_ name: String) throws(LanguageError) -> NetValue {
        let value = try value(name)
        if case .net(let n) = value { return n }
        throw mismatch(name, expected: "a net (made by sequential(...))", value)
    }

    public func image(_ name: String) throws(LanguageError) -> ImageValue {
        let value = try value(name)
        if case .image(let i) = value { return i }
        throw mismatch(name, expected: "an image (data.test[0], kernel(...))", value)
    }

    public func dataset(_ name: String) throws(LanguageError) -> Dataset {
        let value = try value(name)
        if case .dataset(let d) = value { return d }
        if case .record(let r) = value, r.kind == "data" {
            throw LanguageError(.wholeDataSet(subject: subject(name)), at: spanOf(name))
        }
        throw mismatch(name, expected: "images like data.train or data.test[0:100]", value)
    }
}
