import Convnet
import Foundation

// Data and images: dataset, images, image, show, kernel, convolve.
extension Builtins {
    static var data: [Builtin] {
        [
            Builtin(
                "dataset", [.required("name"), .keyword("folder", .none)], family: .data,
                summary: "Loads a data set by name: \"fashion-mnist\" (installed with the project), \"mnist\" or \"cifar10\" (from a folder you name, or $CONVNET_DATA).",
                details: "Returns its two halves, .train and .test. Loaded once per session: later calls are instant.",
                example: "data = dataset(\"fashion-mnist\")\ndata.test[0]"
            ) { args, cell throws(LanguageError) in
                let name = try args.string("name")
                let folder = try args.optionalString("folder")
                let key = DataSetKey(name: name.lowercased(), folder: folder)
                let sets: DataSets
                if let cached = cell.session.loadedDataSets[key] {
                    sets = cached
                } else {
                    sets = try engine { try Dataset.load(name: name, folder: folder) }
                    cell.session.loadedDataSets[key] = sets
                }
                return dataRecord(sets, name: name)
            },
            Builtin(
                "images", [.required("folder"), .keyword("depth", .none)], family: .data,
                summary: "Loads your own PNG images as a labelled data set: one subfolder per class (shoes/a.png, shirts/b.png), the classes in alphabetical order.",
                details: "All images must have the same width and height; grey images join colour ones as colour unless depth: 1 makes them all grey. The result trains, evaluates and shows like data.train.",
                example: "mine = images(\"my-photos\", depth: 1)\nshow(mine)"
            ) { args, _ throws(LanguageError) in
                let folder = try args.string("folder")
                let depth = try pngDepth(args)
                return .dataset(try engine { try Dataset.loadImageFolder(path: folder, depth: depth) })
            },
            Builtin(
                "image", [.required("path"), .keyword("depth", .none)], family: .data,
                summary: "Reads a PNG file as an image (grey or colour, any size); depth: 1 or 3 converts it.",
                example: "digit = image(\"my-digit.png\", depth: 1)"
            ) { args, _ throws(LanguageError) in
                let path = try args.string("path")
                let depth = try pngDepth(args)
                let png = try engine { try PNGReader.read(path: path, depth: depth) }
                return .image(ImageValue(volume: png.volume, values: png.pixels.map { Float($0) / 255 }))
            },
            Builtin(
                "show", [.required("images"), .keyword("columns", .none), .keyword("title", .none)], family: .data,
                summary: "Shows images in a grid with their labels: a data set slice, a list of images, filters or activation maps.",
                details: "At most 400 images are drawn; slice a data set to choose which.",
                example: "show(data.test[0:32])", isStatement: true
            ) { args, cell throws(LanguageError) in
                if case .widget(let widget) = try args.value("images") {
                    if !cell.context.isSilent { cell.context.display(widget.bundle, displayID: nil, update: false) }
                    return .none
                }
                var gallery = try Builtins.gallery(of: try args.value("images"), what: "show(): 'images'", at: args.spanOf("images"))
                if let title = try args.optionalString("title") { gallery.title = title }
                let columns = try args.optionalInt("columns", in: 1...400)
                if !cell.context.isSilent {
                    cell.context.display(Display.bundle(for: gallery, columns: columns), displayID: nil, update: false)
                }
                return .none
            },
            Builtin(
                "kernel", [.required("rows")], family: .data,
                summary: "A hand-written filter (or any small matrix) from a list of rows of numbers.",
                example: "edge = kernel([[-1, -1, -1], [0, 0, 0], [1, 1, 1]])"
            ) { args, _ throws(LanguageError) in
                .image(try matrix(try args.value("rows"), at: args.spanOf("rows")))
            },
            Builtin(
                "convolve", [.required("image"), .required("kernel"), .keyword("stride", 1), .keyword("pad", 0)],
                family: .data,
                summary: "Slides a kernel over an image: each output pixel is the weighted sum of the pixels under the kernel (one activation map).",
                details: "A 3x3 kernel on a 28x28 image gives a 26x26 map: (28 + 2*pad - 3) / stride + 1 on each side. A flat kernel on a colour image is applied to every channel and summed.",
                example: "convolve(data.test[0], kernel([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]))"
            ) { args, cell throws(LanguageError) in
                let image = try args.image("image")
                let k = try args.image("kernel")
                let stride = try args.int("stride", in: 1...10_000)
                let pad = try args.int("pad", in: 0...10_000)
                return .image(try convolve(image, k, stride: stride, pad: pad, cell: cell))
            },
        ]
    }

    static func dataRecord(_ sets: DataSets, name: String) -> Value {
        let classes = sets.train.classNames
        let summary = "\(name): \(grouped(sets.train.count)) training and \(grouped(sets.test.count)) test images of "
            + "\(sets.train.volume), \(classes.count) classes (\(classes.joined(separator: ", ")))"
        return .record(Record(
            kind: "data", fields: [("train", .dataset(sets.train)), ("test", .dataset(sets.test))], summary: summary,
            volume: sets.train.volume.description))
    }

    /// The `depth` a PNG is read at: none (the file's own), 1 (grey) or 3 (colour).
    static func pngDepth(_ args: Arguments) throws(LanguageError) -> Int? {
        let depth = try args.optionalInt("depth", in: 1...3)
        if depth == 2 {
            throw LanguageError(.outOfRange(subject: args.subject("depth"), bounds: "1 or 3", value: 2), at: args.spanOf("depth"))
        }
        return depth
    }

    /// A matrix of numbers as a one-channel image with signed values.
    static func matrix(_ value: Value, at span: SourceSpan) throws(LanguageError) -> ImageValue {
        guard case .list(let items) = value, !items.isEmpty else {
            throw LanguageError(.notKernelRows, at: span)
        }
        var rows: [[Value]] = []
        for item in items {
            if case .list(let row) = item { rows.append(row) } else { rows.append([item]) }
        }
        if items.allSatisfy({ if case .number = $0 { return true } else { return false } }) { rows = [items] }
        let width = rows[0].count
        guard width > 0, rows.allSatisfy({ $0.count == width }) else {
            throw LanguageError(.raggedKernel, at: span)
        }
        guard width * rows.count <= 1 << 20 else {
            throw LanguageError(.kernelTooLarge(width: width, height: rows.count), at: span)
        }
        var values: [Float] = []
        for row in rows {
            for v in row {
                guard case .number(let n) = v else {
                    throw LanguageError(.kernelHoldsNumbers(actual: v.kindWithArticle), at: span)
                }
                values.append(Float(n))
            }
        }
        return ImageValue(volume: Volume(width, rows.count, 1), values: values, tone: .signed)
    }

    /// Cross-correlation (what conv layers compute) of an image with a kernel.
    static func convolve(_ image: ImageValue, _ k: ImageValue, stride: Int, pad: Int, cell: CellContext) throws(LanguageError)
        -> ImageValue
    {
        let iv = image.volume, kv = k.volume
        guard kv.depth == 1 || kv.depth == iv.depth else {
            throw LanguageError(.kernelDepthMismatch(kernel: kv.depth, image: iv.depth))
        }
        let pw = iv.width + 2 * pad, ph = iv.height + 2 * pad
        guard kv.width <= pw, kv.height <= ph else {
            throw LanguageError(.kernelLargerThanImage(kernel: "\(kv.width)x\(kv.height)", image: "\(pw)x\(ph)"))
        }
        let ow = (pw - kv.width) / stride + 1, oh = (ph - kv.height) / stride + 1
        try cell.limits.checkValues(of: Volume(ow, oh, 1), what: "convolve()'s output \(ow)x\(oh)")
        guard ow * oh <= 1 << 24 else {
            throw LanguageError(.convolveOutputTooLarge(width: ow, height: oh))
        }
        var out = [Float](repeating: 0, count: ow * oh)
        let plane = iv.width * iv.height, kplane = kv.width * kv.height
        for c in 0..<iv.depth {
            let kc = kv.depth == 1 ? 0 : c
            for oy in 0..<oh {
                // A big padded image takes a while: the interrupt button works here too.
                try cell.checkpoint()
                for ox in 0..<ow {
                    var sum: Float = 0
                    for ky in 0..<kv.height {
                        let y = oy * stride + ky - pad
                        if y < 0 || y >= iv.height { continue }
                        for kx in 0..<kv.width {
                            let x = ox * stride + kx - pad
                            if x < 0 || x >= iv.width { continue }
                            sum += image.values[c * plane + y * iv.width + x] * k.values[kc * kplane + ky * kv.width + kx]
                        }
                    }
                    out[oy * ow + ox] += sum
                }
            }
        }
        return ImageValue(volume: Volume(ow, oh, 1), values: out, tone: .activation)
    }

    /// Images to draw together, from any value that holds some.
    static func gallery(of value: Value, what: String, at span: SourceSpan?) throws(LanguageError) -> Gallery {
        switch value {
        case .gallery(let g): return g
        case .image(let i):
            return Gallery(title: nil, sections: [.init(title: nil, images: [i], labels: [i.labelName ?? ""])])
        case .dataset(let d):
            let n = min(d.count, 400)
            let images = (0..<n).map { ImageValue(d, index: $0) }
            return Gallery(
                title: d.count > n ? "\(d.name): the first \(n) of \(d.count)" : nil,
                sections: [.init(title: nil, images: images, labels: images.map { $0.labelName ?? "" })])
        case .list(let items):
            var images: [ImageValue] = []
            for item in items.prefix(400) {
                switch item {
                case .image(let i): images.append(i)
                case .gallery(let g): images += g.sections.flatMap(\.images)
                default:
                    throw LanguageError(.wrongKind(subject: what, expected: "images", actual: item.kindWithArticle), at: span)
                }
            }
            return Gallery(title: nil, sections: [.init(title: nil, images: images, labels: images.map { $0.labelName ?? "" })])
        default:
            throw LanguageError(
                .wrongKind(subject: what, expected: "images (an image, a list of them, or data.test[0:32])", actual: value.kindWithArticle),
                at: span)
        }
    }
}
