import Convnet
import Foundation
import JupyterProtocol
import Pictures

/// How a value shows in a notebook: a mime bundle with text/plain always, plus
/// image/png (images, grids), image/svg+xml (charts) or text/html (tables) where
/// the value has a richer face.
public enum Display {
    /// Longest side, in pixels, that a single image is scaled up to (nearest neighbour).
    static let imageTarget = 160

    public static func bundle(for value: Value) -> MimeBundle {
        switch value {
        case .table(let table):
            return MimeBundle(data: ["text/plain": .string(table.plainText), "text/html": .string(table.html)])
        case .image(let image):
            return bundle(for: image)
        case .gallery(let gallery):
            return bundle(for: gallery, columns: nil)
        case .dataset(let d) where d.count <= 400:
            let g = (try? Builtins.gallery(of: value, what: "", at: nil))
            return withText(g.map { bundle(for: $0, columns: nil) } ?? .text(value.repr), value.repr)
        case .history(let h):
            return Charts.history(h)
        case .confusion(let c):
            return Charts.confusion(c)
        case .widget(let w):
            return w.bundle
        case .record(let r):
            return DemoFigures.bundle(for: r) ?? bundle(for: r)
        default:
            return .text(value.repr)
        }
    }

    /// A record: an evaluation as a table, a verdict as a coloured line, others as text.
    static func bundle(for r: Record) -> MimeBundle {
        switch r.kind {
        case "evaluation":
            let table = Table(columns: ["measure", "value"], rows: r.fields.map { [$0.name, measure($0.value)] }, numericColumns: [1])
            return MimeBundle(data: ["text/plain": .string(r.summary), "text/html": .string(table.html)])
        case "verdict":
            let correct = r["correct"] == .bool(true)
            let colour = correct ? "#1a7f37" : "#9a6700"
            let html = "<div style=\"border-left:4px solid \(colour);padding:2px 8px\">\(escapeHTML(r.summary))</div>"
            return MimeBundle(data: ["text/plain": .string(r.summary), "text/html": .string(html)])
        default:
            return .text(Value.record(r).repr)
        }
    }

    /// One image, upscaled so a 5x5 kernel or a 28x28 digit is legible.
    static func bundle(for image: ImageValue) -> MimeBundle {
        guard image.volume.depth == 1 || image.volume.depth == 3 else {
            let channels = (0..<min(image.volume.depth, 256)).map { image.channel($0) }
            let b = bundle(
                for: Gallery(title: nil, sections: [.init(title: nil, images: channels, labels: channels.indices.map { "\($0 + 1)" })]),
                columns: nil)
            return withText(b, plainText(image))
        }
        let v = image.volume
        if v.depth == 1 && v.width <= numberedSide && v.height <= numberedSide && image.tone != .pixels {
            // Small enough to read: each cell with its value written in it.
            let picture = NumberedMatrix().render(values: image.values, width: v.width, height: v.height)
            return png(picture, text: plainText(image))
        }
        var picture = pixels(image, singleSigned: true).upscaledToBeLegible(target: imageTarget)
        if image.tone != .pixels { picture = picture.framed() }
        return png(picture, text: plainText(image))
    }

    /// Largest side of a kernel or map that `bundle(for:)` draws with its numbers.
    static let numberedSide = 8

    /// A measure of an evaluation as a reader wants it: counts whole, the rest to 4 decimals.
    static func measure(_ value: Value) -> String {
        guard case .number(let n) = value, n.isFinite, n != n.rounded() else { return value.repr }
        return String(format: "%.4f", n)
    }

    /// Many images in a labelled grid; several sections (activations) stack with titles.
    static func bundle(for gallery: Gallery, columns: Int?) -> MimeBundle {
        let all = gallery.sections.flatMap(\.images)
        guard !all.isEmpty else { return .text(gallery.description) }
        var parts: [PixelImage] = []
        for section in gallery.sections where !section.images.isEmpty {
            // An image of depth other than 1 or 3 (a second conv layer's 5x5x8 filter) shows
            // as its slices, labelled by image and slice.
            var flat: [ImageValue] = []
            var flatLabels: [String] = []
            for (i, image) in section.images.enumerated() {
                let label = i < section.labels.count ? section.labels[i] : ""
                if image.volume.depth == 1 || image.volume.depth == 3 {
                    flat.append(image)
                    flatLabels.append(label)
                } else {
                    for c in 0..<image.volume.depth {
                        flat.append(image.channel(c))
                        flatLabels.append(label.isEmpty ? "" : "\(label).\(c + 1)")
                    }
                }
            }
            if let names = section.barNames, let probabilities = section.images.first, section.images.count == 1 {
                var bars = ProbabilityBars().render(values: probabilities.values, names: names)
                if let title = section.title { bars = bars.titled(title) }
                parts.append(bars)
                continue
            }
            let largest = flat.map { max($0.volume.width, $0.volume.height) }.max() ?? 1
            // Weights (filters, templates) are drawn large enough to read cell by cell,
            // unless there are many (a second conv layer's slices); activation maps
            // smaller, as there are many. Never past the grid's width.
            let weights = flat.allSatisfy { $0.tone == .signed } && flat.count <= 40
            var factor = weights ? max(1, min(20, 80 / max(1, largest))) : max(1, min(16, 56 / max(1, largest)))
            // A row of values (a dense layer's outputs) needs height to be seen.
            if flat.allSatisfy({ $0.volume.height == 1 }) { factor = max(factor, min(16, 900 / largest)) }
            let pictures = flat.map { pixels($0).upscaled(by: factor) }
            let labels = flatLabels
            var grid = ImageGrid(columns: columns)
            if flat.contains(where: { $0.tone != .pixels }) { grid.frame = PixelImage.frameColor }
            if largest * factor > 400 { grid.maximumWidth = max(960, largest * factor + 8) }
            var rendered = grid.render(pictures, labels: labels.contains { !$0.isEmpty } ? labels : nil)
            if let title = section.title { rendered = rendered.titled(title) }
            parts.append(rendered)
        }
        if parts.contains(where: { $0.format == .rgb }) {
            // Grey maps stacked with a coloured part (the softmax bars) make an RGB
            // picture; 128 grey levels instead of 256 (a difference no one sees in a
            // map) keep it under 256 colours, so it is written as a palette PNG.
            parts = parts.map { $0.format == .grey ? $0.withEvenGreyLevels() : $0 }
        }
        var picture = PixelImage.stacked(parts)
        if let title = gallery.title { picture = picture.titled(title) }
        return png(picture, text: plainText(gallery))
    }

    /// text/plain for a gallery: what it holds, and the top classes of any
    /// class probabilities (the softmax layer of `activations`).
    static func plainText(_ gallery: Gallery) -> String {
        var text = gallery.description
        for section in gallery.sections {
            guard let names = section.barNames, let values = section.images.first?.values else { continue }
            let top = values.indices.sorted { values[$0] > values[$1] }.prefix(3)
            text += "\n  predicted: " + top.map { i in
                (i < names.count ? names[i] : String(i)) + " " + String(format: "%.2f", values[i])
            }.joined(separator: ", ")
        }
        return text
    }

    /// The pixels of one image (depth 1 or 3) through its colour map.
    ///
    /// - Parameter singleSigned: true for a kernel shown on its own, which
    ///   uses grey when it has no negative values (the diverging map's white
    ///   zero would hide it); filters in a gallery keep the diverging map so
    ///   they compare.
    static func pixels(_ image: ImageValue, singleSigned: Bool = false) -> PixelImage {
        let v = image.volume
        if v.depth == 3 {
            let low = image.tone == .pixels ? 0 : image.values.min() ?? 0
            let high = image.tone == .pixels ? 1 : image.values.max() ?? 1
            let scale = high > low ? 255 / (high - low) : 0
            let bytes = image.values.map { UInt8(max(0, min(255, (($0 - low) * scale).rounded()))) }
            return PixelImage(planes: bytes, width: v.width, height: v.height, depth: 3)
        }
        let map: ColorMap
        switch image.tone {
        case .pixels: map = .grey(range: 0...1)
        case .signed: map = singleSigned ? NumberedMatrix.colorMap(for: image.values) : .diverging()
        case .activation: map = .grey()
        }
        return PixelImage(values: image.values, width: v.width, height: v.height, colorMap: map)
    }

    /// text/plain for an image: what it is, and its numbers when it is small.
    static func plainText(_ image: ImageValue) -> String {
        var text = image.description
        let v = image.volume
        if v.depth == 1 && v.width <= 8 && v.height <= 8 {
            // Whole numbers as they are; otherwise every cell to 3 decimals, so the points line up.
            let whole = image.values.allSatisfy { $0 == $0.rounded() && abs($0) < 1e6 }
            let cells = image.values.map { whole || !$0.isFinite ? Value.format(Value.double($0)) : String(format: "%.3f", $0) }
            let width = cells.map(\.count).max() ?? 1
            for y in 0..<v.height {
                let row = (0..<v.width).map { x in
                    let c = cells[y * v.width + x]
                    return String(repeating: " ", count: width - c.count) + c
                }
                text += "\n  " + row.joined(separator: " ")
            }
        }
        return text
    }

    /// A pixel picture as image/png with its text/plain twin; the twin is also the
    /// picture's alternative text (`metadata["image/png"]["alt"]`), for screen readers
    /// and for nbconvert's HTML, which writes it as the `<img>`'s alt.
    static func png(_ picture: PixelImage, text: String) -> MimeBundle {
        guard let base64 = try? picture.pngBase64() else { return .text(text) }
        return MimeBundle(
            data: ["image/png": .string(base64), "text/plain": .string(text)],
            metadata: ["image/png": .object([
                "width": .number(Double(picture.width)), "height": .number(Double(picture.height)), "alt": .string(text),
            ])])
    }

    /// `bundle` with another text/plain twin, and so another alt text for its pictures.
    static func withText(_ bundle: MimeBundle, _ text: String) -> MimeBundle {
        var b = bundle
        b.data["text/plain"] = .string(text)
        for kind in ["image/png", "image/svg+xml"] where b.data[kind] != nil {
            guard case .object(var fields)? = b.metadata[kind] else {
                b.metadata[kind] = .object(["alt": .string(text)])
                continue
            }
            fields["alt"] = .string(text)
            b.metadata[kind] = .object(fields)
        }
        return b
    }

    /// An SVG document as image/svg+xml with its text/plain twin, which is also its alt text.
    static func svg(_ document: String, text: String) -> MimeBundle {
        MimeBundle(
            data: ["image/svg+xml": .string(document), "text/plain": .string(text)],
            metadata: ["image/svg+xml": .object(["alt": .string(text)])])
    }
}
