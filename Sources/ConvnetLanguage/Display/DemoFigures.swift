import Convnet
import Foundation
import JupyterProtocol
import Pictures

/// The demos' values (records a learner can read: `step.sum`, `maps.maps[3]`) and the
/// pictures they show as: Pictures' compositions with a text twin that is also their alt.
enum DemoFigures {
    /// The picture of a demo record, or nil when the record is not a demo's.
    static func bundle(for record: Record) -> MimeBundle? {
        switch record.kind {
        case ConvolutionStep.kind: return ConvolutionStep(record).map(\.bundle)
        case LayerMaps.kind: return LayerMaps(record).map(\.bundle)
        case ConfusionExamples.kind: return ConfusionExamples(record).map(\.bundle)
        case "training view":
            guard case .net(let net)? = record["net"], case .image(let image)? = record["image"] else { return nil }
            var history: HistoryValue?
            if case .history(let h)? = record["history"] { history = h }
            return trainingView(
                net: net, image: image, losses: history?.history.batchLosses ?? [],
                accuracies: history?.history.batchAccuracies ?? [], batchSize: history?.batchSize ?? 1,
                lines: [record.summary])
        default: return nil
        }
    }

    /// Training at a glance: the lines of status, the loss and accuracy chart, and the
    /// first conv layer's filters above the maps they make of `image`, as one SVG.
    /// What `train(..., watch: image)` redraws between batches, so it stays cheap: one
    /// forward pass of one image, one small PNG, one chart.
    static func trainingView(
        net: NetValue, image: ImageValue, losses: [Float], accuracies: [Float], batchSize: Int, lines: [String]
    ) -> MimeBundle {
        let chart = Charts.lossAndAccuracy(
            losses: losses, accuracies: accuracies, batchSize: batchSize, title: "loss and accuracy", width: 640, height: 260)
        var parts: [SVGFigure.Part] = lines.map { .text($0, size: 13) }
        parts.append(.svg(chart.svg(), width: chart.width, height: chart.height))
        var text = lines.joined(separator: "\n")
        let network = net.network
        if let layer = network.specs.firstIndex(where: { if case .conv = $0 { return true } else { return false } }).map({ $0 + 1 }),
           let (filters, maps) = try? Builtins.layerMaps(network, image: image, layer: layer)
        {
            let view = LayerMaps(image: image, layer: layer, spec: network.specs[layer - 1], filters: filters, maps: maps)
            parts.append(.picture(view.picture.render()))
            text += "\n" + view.summary
        }
        if let loss = losses.last, let accuracy = accuracies.last {
            text += "\nlast batch: loss \(String(format: "%.4f", loss)), accuracy \(String(format: "%.4f", accuracy))"
        }
        let figure = SVGFigure(title: "training view: " + (lines.first ?? net.description), parts: parts)
        guard let svg = try? figure.svg() else { return .text(text) }
        return Display.svg(svg, text: text)
    }

    /// An image as the demos draw it on its own: pixels in grey 0...1, maps stretched, weights diverging.
    static func colorMap(for image: ImageValue) -> ColorMap {
        switch image.tone {
        case .pixels: return .grey(range: 0...1)
        case .activation: return .grey()
        case .signed: return NumberedMatrix.colorMap(for: image.values)
        }
    }
}

/// `convolution_step(...)`: one position of a filter sliding over an image.
struct ConvolutionStep {
    static let kind = "convolution step"
    var image: ImageValue
    var kernel: ImageValue
    /// The whole activation map (as convolve gives it).
    var map: ImageValue
    var x: Int
    var y: Int
    var stride: Int
    var pad: Int

    var picture: ConvolutionStepPicture {
        ConvolutionStepPicture(
            image: image.values, imageWidth: image.volume.width, imageHeight: image.volume.height,
            imageColorMap: DemoFigures.colorMap(for: image), kernel: kernel.values, kernelWidth: kernel.volume.width,
            kernelHeight: kernel.volume.height, map: map.values, mapWidth: map.volume.width, mapHeight: map.volume.height,
            x: x, y: y, stride: stride, pad: pad)
    }

    private func matrix(_ values: [Float], tone: ImageValue.Tone) -> ImageValue {
        ImageValue(volume: Volume(kernel.volume.width, kernel.volume.height, 1), values: values, tone: tone)
    }

    var summary: String {
        let sum = picture.sum
        return "convolution step at x \(x), y \(y) of a \(map.volume.width)x\(map.volume.height) map: "
            + "sum of patch x filter = \(NumberedMatrix.text(for: sum))"
    }

    var record: Record {
        let picture = self.picture
        return Record(
            kind: Self.kind,
            fields: [
                ("x", .number(Double(x))), ("y", .number(Double(y))), ("sum", .number(Value.double(picture.sum))),
                ("patch", .image(matrix(picture.patch, tone: .activation))), ("kernel", .image(kernel)),
                ("products", .image(matrix(picture.products, tone: .signed))), ("map", .image(map)), ("image", .image(image)),
                ("stride", .number(Double(stride))), ("pad", .number(Double(pad))),
            ],
            summary: summary, volume: map.volume.description)
    }

    init(image: ImageValue, kernel: ImageValue, map: ImageValue, x: Int, y: Int, stride: Int, pad: Int) {
        (self.image, self.kernel, self.map, self.x, self.y, self.stride, self.pad) = (image, kernel, map, x, y, stride, pad)
    }

    init?(_ record: Record) {
        guard record.kind == Self.kind, case .image(let image)? = record["image"], case .image(let kernel)? = record["kernel"],
              case .image(let map)? = record["map"], case .number(let x)? = record["x"], case .number(let y)? = record["y"],
              case .number(let stride)? = record["stride"], case .number(let pad)? = record["pad"]
        else { return nil }
        self.init(image: image, kernel: kernel, map: map, x: Int(x), y: Int(y), stride: Int(stride), pad: Int(pad))
    }

    var bundle: MimeBundle {
        let picture = self.picture
        var text = summary
        if kernel.volume.width <= 8 && kernel.volume.height <= 8 {
            text += "\npatch:" + Self.rows(picture.patch, width: kernel.volume.width)
            text += "\nfilter:" + Self.rows(kernel.values, width: kernel.volume.width)
        }
        return Display.png(picture.render(), text: text)
    }

    /// Rows of a small matrix for text/plain, two decimals, aligned.
    static func rows(_ values: [Float], width: Int) -> String {
        let cells = values.map { NumberedMatrix.text(for: $0) }
        let column = cells.map(\.count).max() ?? 1
        let padded: [String] = cells.map { String(repeating: " ", count: column - $0.count) + $0 }
        var text = ""
        for start in Swift.stride(from: 0, to: padded.count, by: max(1, width)) {
            let row: ArraySlice<String> = padded[start..<min(padded.count, start + width)]
            text += "\n  " + row.joined(separator: " ")
        }
        return text
    }
}

/// `layer_maps(...)`: a conv layer's filters above the maps they make of one image.
struct LayerMaps {
    static let kind = "layer maps"
    var image: ImageValue
    var layer: Int
    var spec: LayerSpec
    var filters: [ImageValue]
    var maps: [ImageValue]

    var summary: String {
        let size = maps.first.map { "\($0.volume.width)x\($0.volume.height)" } ?? "no"
        return "layer \(layer): \(spec) on \(image): \(maps.count) map" + (maps.count == 1 ? "" : "s") + " of \(size)"
    }

    var picture: LayerMapsPicture {
        let input = PixelImage(
            values: image.volume.depth == 1 ? image.values : image.channel(0).values, width: image.volume.width,
            height: image.volume.height, colorMap: DemoFigures.colorMap(for: image))
        let v = maps.first?.volume ?? Volume(1, 1, 1)
        let f = filters.first?.volume ?? Volume(1, 1, 1)
        return LayerMapsPicture(
            input: input.upscaledToBeLegible(target: 112).framed(), inputTitle: image.labelName ?? "input",
            filters: filters.map(\.values), filterWidth: f.width, filterHeight: f.height, maps: maps.map(\.values),
            mapWidth: v.width, mapHeight: v.height, title: summary)
    }

    var record: Record {
        Record(
            kind: Self.kind,
            fields: [
                ("image", .image(image)), ("layer", .number(Double(layer))), ("conv", .layer(spec)),
                ("filters", .gallery(Gallery(title: "layer \(layer) filters", sections: [
                    .init(title: nil, images: filters, labels: filters.indices.map { "#\($0 + 1)" }),
                ]))),
                ("maps", .gallery(Gallery(title: "layer \(layer) maps", sections: [
                    .init(title: nil, images: maps, labels: maps.indices.map { "\($0 + 1)" }),
                ]))),
            ],
            summary: summary, volume: maps.first.map { "\($0.volume.width)x\($0.volume.height)x\(maps.count)" })
    }

    init(image: ImageValue, layer: Int, spec: LayerSpec, filters: [ImageValue], maps: [ImageValue]) {
        (self.image, self.layer, self.spec, self.filters, self.maps) = (image, layer, spec, filters, maps)
    }

    init?(_ record: Record) {
        guard record.kind == Self.kind, case .image(let image)? = record["image"], case .number(let layer)? = record["layer"],
              case .layer(let spec)? = record["conv"], case .gallery(let filters)? = record["filters"],
              case .gallery(let maps)? = record["maps"]
        else { return nil }
        self.init(image: image, layer: Int(layer), spec: spec, filters: filters.sections.flatMap(\.images),
                  maps: maps.sections.flatMap(\.images))
    }

    var bundle: MimeBundle { Display.png(picture.render(), text: summary) }
}

/// `confusion_examples(...)`: the images of one (true, predicted) cell.
struct ConfusionExamples {
    static let kind = "confusion examples"
    var matrix: ConfusionValue
    var data: Dataset
    var actual: Int
    var predicted: Int
    var count: Int

    /// Every image of class `actual` predicted `predicted`, in the data's order.
    var indices: [Int] {
        data.labels.indices.filter { data.labels[$0] == actual && matrix.predictions[$0] == predicted }
    }

    private func name(_ c: Int) -> String { c < matrix.classNames.count ? matrix.classNames[c] : String(c) }

    func summary(total: Int) -> String {
        "true \(name(actual)), predicted \(name(predicted)): \(grouped(total)) image" + (total == 1 ? "" : "s")
            + (total > count ? " (the first \(count) shown)" : "")
    }

    var record: Record {
        let all = indices
        let shown = Array(all.prefix(count))
        let images = shown.map { ImageValue(data, index: $0) }
        return Record(
            kind: Self.kind,
            fields: [
                ("actual", .number(Double(actual))), ("predicted", .number(Double(predicted))),
                ("count", .number(Double(all.count))), ("indices", .list(all.map { .number(Double($0)) })),
                ("images", .gallery(Gallery(title: nil, sections: [.init(title: nil, images: images, labels: shown.map { "#\($0)" })]))),
                ("matrix", .confusion(matrix)),
            ],
            summary: summary(total: all.count))
    }

    init(matrix: ConfusionValue, data: Dataset, actual: Int, predicted: Int, count: Int) {
        (self.matrix, self.data, self.actual, self.predicted, self.count) = (matrix, data, actual, predicted, count)
    }

    init?(_ record: Record) {
        guard record.kind == Self.kind, case .confusion(let matrix)? = record["matrix"], let data = matrix.data,
              case .number(let actual)? = record["actual"], case .number(let predicted)? = record["predicted"],
              case .gallery(let images)? = record["images"]
        else { return nil }
        self.init(matrix: matrix, data: data, actual: Int(actual), predicted: Int(predicted),
                  count: max(1, images.sections.first?.images.count ?? 1))
    }

    /// The matrix with the cell outlined, beside a grid of its images.
    var bundle: MimeBundle {
        let all = indices
        let shown = all.prefix(count)
        let classNames = matrix.counts.indices.map(name)
        let chart = ConfusionMatrixChart(
            counts: matrix.counts, classNames: classNames, title: "Confusion matrix, accuracy \(String(format: "%.4f", matrix.accuracy))",
            cellSize: 36, highlight: (actual, predicted))
        let size = chart.size
        let title = summary(total: all.count)
        var parts: [SVGFigure.Part] = [.svg(chart.svg(), width: size.width, height: size.height)]
        if shown.isEmpty {
            parts.append(.text("no image of \(name(actual)) was predicted \(name(predicted))", size: 14))
        } else {
            let pictures = shown.map { i in
                Display.pixels(ImageValue(data, index: i)).upscaled(by: PixelImage.legibleScale(
                    width: data.volume.width, height: data.volume.height, target: 56))
            }
            let grid = ImageGrid(columns: min(8, pictures.count)).render(pictures, labels: shown.map { "#\($0)" })
            parts.append(.picture(grid.titled(title)))
        }
        let figure = SVGFigure(title: title, parts: parts, direction: .across)
        var text = title
        if !shown.isEmpty { text += "\nimages " + shown.map { "#\($0)" }.joined(separator: ", ") }
        guard let svg = try? figure.svg() else { return .text(text) }
        return Display.svg(svg, text: text)
    }
}
