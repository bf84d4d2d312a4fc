/// The chapter's convolution demo at one position: the image with the filter's window
/// drawn on it, the activation map filled in up to that position, and under them the
/// patch under the window, the filter, their products and the weighted sum.
///
/// Everything is one channel. Positions are the map's: the window's top-left corner
/// sits at (`x * stride`, `y * stride`) of the image padded by `pad` zeros.
public struct ConvolutionStepPicture: Sendable {
    public var image: [Float]
    public var imageWidth: Int
    public var imageHeight: Int
    /// How the image's values become colours (grey 0...1 for pixels).
    public var imageColorMap: ColorMap
    public var kernel: [Float]
    public var kernelWidth: Int
    public var kernelHeight: Int
    /// The whole activation map, so its colours do not shift as it fills in.
    public var map: [Float]
    public var mapWidth: Int
    public var mapHeight: Int
    public var x: Int
    public var y: Int
    public var stride: Int
    public var pad: Int

    /// The window, the current map cell and their numbers: the chapter's highlight colour.
    public static let windowColor = PixelColor(red: 255, green: 127, blue: 14)
    /// Map cells not yet computed, and the zeros of the padding.
    public static let pendingColor = PixelColor(red: 222, green: 229, blue: 238)
    /// Largest side, in pixels, of the image and map panels.
    public static let panelSide = 224

    /// - Precondition: the arrays match their sizes, and (`x`, `y`) is a cell of the map.
    public init(
        image: [Float], imageWidth: Int, imageHeight: Int, imageColorMap: ColorMap, kernel: [Float], kernelWidth: Int,
        kernelHeight: Int, map: [Float], mapWidth: Int, mapHeight: Int, x: Int, y: Int, stride: Int = 1, pad: Int = 0
    ) {
        precondition(image.count == imageWidth * imageHeight && kernel.count == kernelWidth * kernelHeight
            && map.count == mapWidth * mapHeight, "values do not match their sizes")
        precondition((0..<mapWidth).contains(x) && (0..<mapHeight).contains(y), "the position is outside the map")
        self.image = image
        self.imageWidth = imageWidth
        self.imageHeight = imageHeight
        self.imageColorMap = imageColorMap
        self.kernel = kernel
        self.kernelWidth = kernelWidth
        self.kernelHeight = kernelHeight
        self.map = map
        self.mapWidth = mapWidth
        self.mapHeight = mapHeight
        self.x = x
        self.y = y
        self.stride = max(1, stride)
        self.pad = max(0, pad)
    }

    /// The image values under the window, row by row (0 where the window covers padding).
    public var patch: [Float] {
        var values: [Float] = []
        values.reserveCapacity(kernel.count)
        for ky in 0..<kernelHeight {
            for kx in 0..<kernelWidth {
                let ix = x * stride + kx - pad, iy = y * stride + ky - pad
                let inside = (0..<imageWidth).contains(ix) && (0..<imageHeight).contains(iy)
                values.append(inside ? image[iy * imageWidth + ix] : 0)
            }
        }
        return values
    }

    /// Each patch value times the filter value over it.
    public var products: [Float] { zip(patch, kernel).map { $0 * $1 } }

    /// The weighted sum: the map's value at (`x`, `y`).
    public var sum: Float { products.reduce(0, +) }

    /// The figure: the two panels above, the arithmetic below.
    public func render() -> PixelImage {
        let top = PixelImage.row(
            [imagePanel().titled("image, window at x \(x), y \(y)"), mapPanel().titled("activation map, filled to x \(x), y \(y)")],
            gap: 24)
        let arithmetic = PixelImage.row(
            [
                matrix(patch, colorMap: patchColorMap).titled("patch"), sign("x"),
                matrix(kernel, colorMap: nil).titled("filter"), sign("="),
                matrix(products, colorMap: nil).titled("products"), sign("sum"),
                PixelImage.text(NumberedMatrix.text(for: sum), color: Self.windowColor, scale: 3, margin: 4)
                    .titled("map at x \(x), y \(y)"),
            ],
            gap: 10, alignment: .center)
        return PixelImage.stacked([top, arithmetic], gap: 16).padded(4)
    }

    /// The padded image, scaled up, with the window's outline.
    func imagePanel() -> PixelImage {
        let pw = imageWidth + 2 * pad, ph = imageHeight + 2 * pad
        let scale = PixelImage.legibleScale(width: pw, height: ph, target: Self.panelSide)
        let colour = imageColorMap.scale(for: image)
        var canvas = PixelImage(width: pw, height: ph, format: .rgb, fill: Self.pendingColor)
        for iy in 0..<imageHeight {
            for ix in 0..<imageWidth { canvas[ix + pad, iy + pad] = Self.evenGrey(colour(image[iy * imageWidth + ix])) }
        }
        var panel = canvas.upscaled(by: scale)
        panel.outline(x: x * stride * scale, y: y * stride * scale, width: kernelWidth * scale, height: kernelHeight * scale,
                      color: Self.windowColor, thickness: max(2, scale / 3))
        return panel.framed()
    }

    /// The map with the cells up to (x, y) in reading order drawn, the rest pending, the current one outlined.
    func mapPanel() -> PixelImage {
        let scale = PixelImage.legibleScale(width: mapWidth, height: mapHeight, target: Self.panelSide)
        let colour = ColorMap.grey().scale(for: map)
        let filled = y * mapWidth + x
        var canvas = PixelImage(width: mapWidth, height: mapHeight, format: .rgb, fill: Self.pendingColor)
        for i in 0...filled { canvas[i % mapWidth, i / mapWidth] = Self.evenGrey(colour(map[i])) }
        var panel = canvas.upscaled(by: scale)
        panel.outline(x: x * scale, y: y * scale, width: scale, height: scale, color: Self.windowColor,
                      thickness: max(1, scale / 4))
        return panel.framed()
    }

    /// Pixels read in grey from black to white; anything else (a photo's own range) on its own scale.
    private var patchColorMap: ColorMap? {
        if case .grey = imageColorMap { return imageColorMap }
        return nil
    }

    /// A small matrix with its numbers; past 8 cells a side, its colours only.
    private func matrix(_ values: [Float], colorMap: ColorMap?) -> PixelImage {
        if kernelWidth <= 8 && kernelHeight <= 8 {
            return NumberedMatrix().render(values: values, width: kernelWidth, height: kernelHeight, colorMap: colorMap)
        }
        let map = colorMap ?? NumberedMatrix.colorMap(for: values)
        return PixelImage(values: values, width: kernelWidth, height: kernelHeight, colorMap: map)
            .upscaledToBeLegible(target: 120).converted(to: .rgb).framed()
    }

    private func sign(_ text: String) -> PixelImage {
        // Titled with nothing, so it centres on the matrices' cells rather than their titles.
        PixelImage.text(text, scale: 2, margin: 2).titled("")
    }

    /// Grey levels rounded to even ones: with the few colours of the window and the
    /// matrices, the figure stays within a 256-colour palette PNG.
    private static func evenGrey(_ colour: PixelColor) -> PixelColor {
        colour.red == colour.green && colour.green == colour.blue ? PixelColor(grey: colour.red & 0xFE) : colour
    }
}
