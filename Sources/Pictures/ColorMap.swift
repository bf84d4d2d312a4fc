/// How numbers become colours when a float array is drawn as an image.
public enum ColorMap: Sendable, Equatable {
    /// Black at the low end, white at the high end. With no range, the
    /// values' own minimum and maximum (an image's contrast stretched to fill 0...255).
    case grey(range: ClosedRange<Float>? = nil)
    /// Blue for negative, white for zero, red for positive: for filters and
    /// weights, where the sign matters. Values at or beyond `±limit` get the
    /// full colour; with no limit, the largest magnitude among the values.
    case diverging(limit: Float? = nil)

    /// The blue end of the diverging map (ColorBrewer's RdBu).
    public static let negativeColor = PixelColor(red: 33, green: 102, blue: 172)
    /// The red end of the diverging map.
    public static let positiveColor = PixelColor(red: 178, green: 24, blue: 43)

    /// The image format this map produces.
    public var format: PixelImage.Format {
        if case .grey = self { return .grey }
        return .rgb
    }

    /// A function from value to colour, its scale fixed from `values` where the
    /// map has no range of its own. NaN and infinite values are ignored for the
    /// scale; NaN draws as the low end (grey) or white (diverging).
    public func scale(for values: [Float]) -> (Float) -> PixelColor {
        switch self {
        case .grey(let range):
            let finite = values.lazy.filter(\.isFinite)
            let low = range?.lowerBound ?? finite.min() ?? 0
            let high = range?.upperBound ?? finite.max() ?? 0
            guard high > low else {
                // No spread to stretch (one value everywhere): black for zero or
                // less, as a dead activation map should look, white above.
                return { PixelColor(grey: $0 > 0 ? 255 : 0) }
            }
            let factor = 255 / (high - low)
            return { value in
                guard !value.isNaN else { return .black }
                let level = ((min(max(value, low), high) - low) * factor).rounded()
                return PixelColor(grey: UInt8(level))
            }
        case .diverging(let limit):
            let bound = limit ?? values.lazy.filter(\.isFinite).map(abs).max() ?? 0
            guard bound > 0 else { return { _ in .white } }
            return { value in
                guard !value.isNaN else { return .white }
                let t = min(max(value / bound, -1), 1)
                return Self.blend(.white, t < 0 ? Self.negativeColor : Self.positiveColor, abs(t))
            }
        }
    }

    /// `from` moved a fraction `t` (0...1) of the way to `to`, rounded.
    static func blend(_ from: PixelColor, _ to: PixelColor, _ t: Float) -> PixelColor {
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Float(a) + (Float(b) - Float(a)) * t).rounded()) }
        return PixelColor(red: mix(from.red, to.red), green: mix(from.green, to.green), blue: mix(from.blue, to.blue))
    }
}

extension PixelImage {
    /// Draws a `width x height` array of floats (row-major) through a colour map.
    ///
    /// - Precondition: `values.count == width * height`.
    public init(values: [Float], width: Int, height: Int, colorMap: ColorMap = .grey()) {
        precondition(values.count == width * height, "values do not match width x height")
        self.init(values: values[...], width: width, height: height, format: colorMap.format,
                  color: colorMap.scale(for: values))
    }

    /// One image per depth slice of a volume of floats stored CHW (the 8
    /// activation maps of a 24x24x8 volume, the 8 filters of a conv layer laid
    /// end to end).
    ///
    /// - Parameters:
    ///   - sharedScale: true puts every slice on one scale, so slices can be
    ///     compared (filters of one layer); false scales each on its own, so
    ///     a faint map still shows its pattern.
    /// - Precondition: `values.count == width * height * depth`.
    public static func slices(
        of values: [Float], width: Int, height: Int, depth: Int, colorMap: ColorMap = .grey(), sharedScale: Bool = true
    ) -> [PixelImage] {
        precondition(values.count == width * height * depth, "values do not match width x height x depth")
        let plane = width * height
        let shared = sharedScale ? colorMap.scale(for: values) : nil
        return (0..<depth).map { d in
            let slice = values[(d * plane)..<((d + 1) * plane)]
            return PixelImage(values: slice, width: width, height: height, format: colorMap.format,
                              color: shared ?? colorMap.scale(for: Array(slice)))
        }
    }

    private init(values: ArraySlice<Float>, width: Int, height: Int, format: Format, color: (Float) -> PixelColor) {
        var image = PixelImage(width: width, height: height, format: format, fill: .black)
        var index = values.startIndex
        for y in 0..<height {
            for x in 0..<width {
                image[x, y] = color(values[index])
                index += 1
            }
        }
        self = image
    }

    /// Draws three planes of floats (CHW: red, then green, then blue, each
    /// `width x height`) as a colour image, all three on one scale: `range`, or
    /// the values' own minimum to maximum. For the filters of a first layer
    /// that looks at colour images (7x7x3).
    ///
    /// - Precondition: `planes.count == 3 * width * height`.
    public init(rgbPlanes planes: [Float], width: Int, height: Int, range: ClosedRange<Float>? = nil) {
        precondition(planes.count == 3 * width * height, "values do not match width x height x 3")
        let level = ColorMap.grey(range: range).scale(for: planes)
        let plane = width * height
        var pixels = [UInt8](repeating: 0, count: plane * 3)
        for i in 0..<plane {
            for c in 0..<3 { pixels[3 * i + c] = level(planes[c * plane + i]).red }
        }
        self.init(width: width, height: height, format: .rgb, pixels: pixels)
    }
}
