/// A small matrix (a 3x3 kernel, a 4x4 example for max pooling) drawn cell by
/// cell with each value written in its cell, so a learner can check a
/// convolution or a pooling by eye. Thin grey lines separate the cells, so a
/// zero (white in the diverging map) still reads as a cell.
public struct NumberedMatrix: Sendable {
    /// The colour of the lines between and around the cells.
    public var gridColor: PixelColor
    /// Text on light cells.
    public var darkText: PixelColor
    /// Text on dark cells.
    public var lightText: PixelColor

    public init(gridColor: PixelColor = PixelColor(grey: 190), darkText: PixelColor = PixelColor(grey: 20),
                lightText: PixelColor = .white) {
        self.gridColor = gridColor
        self.darkText = darkText
        self.lightText = lightText
    }

    /// The value as written in its cell: whole numbers without a point
    /// ("-1", "8"), others with two decimals ("0.25", "-0.07").
    public static func text(for value: Float) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == value.rounded(), abs(value) < 100_000 { return String(Int(value)) }
        return String(format2: value)
    }

    /// The colour map a matrix reads best in: grey from 0 (black) to its
    /// largest value (white) when nothing is negative, the diverging map
    /// (blue, white at 0, red) when the sign matters.
    public static func colorMap(for values: [Float]) -> ColorMap {
        let finite = values.filter(\.isFinite)
        guard finite.contains(where: { $0 < 0 }) else {
            return .grey(range: 0...max(finite.max() ?? 0, 0))
        }
        return .diverging()
    }

    /// Text that reads on a cell of colour `background`: dark on light, light on dark.
    public func textColor(on background: PixelColor) -> PixelColor {
        background.luminance >= 140 ? darkText : lightText
    }

    /// Draws a `width x height` row-major matrix; `colorMap` nil picks one with `colorMap(for:)`.
    ///
    /// Each cell is a square large enough for the widest value, its text twice
    /// the font size where it fits in a 48-pixel cell.
    /// - Precondition: `values.count == width * height`.
    public func render(values: [Float], width: Int, height: Int, colorMap: ColorMap? = nil) -> PixelImage {
        precondition(values.count == width * height, "values do not match width x height")
        let texts = values.map(Self.text(for:))
        let widest = texts.map { BitmapFont.width(of: $0) }.max() ?? 0
        let scale = widest * 2 + 8 <= 48 ? 2 : 1
        let cell = max(scale == 2 ? 48 : 32, widest * scale + 8)
        let color = (colorMap ?? Self.colorMap(for: values)).scale(for: values)
        var canvas = PixelImage(width: width * (cell + 1) + 1, height: height * (cell + 1) + 1, format: .rgb, fill: gridColor)
        for y in 0..<height {
            for x in 0..<width {
                let value = values[y * width + x]
                let background = color(value)
                let left = 1 + x * (cell + 1), top = 1 + y * (cell + 1)
                canvas.fill(x: left, y: top, width: cell, height: cell, color: background)
                let text = texts[y * width + x]
                let textLeft = left + (cell - BitmapFont.width(of: text, scale: scale)) / 2
                let textTop = top + (cell - (BitmapFont.glyphHeight - 1) * scale) / 2
                canvas.drawText(text, x: textLeft, y: textTop, color: textColor(on: background), scale: scale)
            }
        }
        return canvas
    }
}

extension String {
    /// `value` with two decimals, without Foundation.
    init(format2 value: Float) {
        // Past a million the hundredths do not matter (and would overflow Int far out).
        guard value.isFinite, abs(value) < 1_000_000 else {
            self = value.isNaN ? "nan" : "\(value)"
            return
        }
        let hundredths = Int((abs(Double(value)) * 100).rounded())
        let fraction = hundredths % 100
        self = (value < 0 && hundredths > 0 ? "-" : "") + "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }
}
