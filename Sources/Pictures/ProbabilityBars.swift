/// A small horizontal bar chart of a net's output, one bar per class with its
/// name and value, the top class in colour: what a softmax layer says about one
/// image. Drawn as pixels so it can sit inside a grid of activation maps.
public struct ProbabilityBars: Sendable {
    /// Length in pixels of a bar for the value 1 (or the largest value, when
    /// the values are not probabilities).
    public var barLength: Int
    /// The top class's bar and text.
    public var highlight: PixelColor
    public var barColor: PixelColor
    public var textColor: PixelColor

    public init(barLength: Int = 160, highlight: PixelColor = PixelColor(red: 31, green: 119, blue: 180),
                barColor: PixelColor = PixelColor(grey: 185), textColor: PixelColor = PixelColor(grey: 40)) {
        self.barLength = max(10, barLength)
        self.highlight = highlight
        self.barColor = barColor
        self.textColor = textColor
    }

    /// Pixels from one row's top to the next.
    public static let rowHeight = BitmapFont.lineHeight + 3

    /// One row per value: `names[i]` (the index where a name is missing),
    /// a bar, and the value with two decimals. Negative values draw no bar.
    public func render(values: [Float], names: [String]) -> PixelImage {
        let labels = values.indices.map { $0 < names.count && !names[$0].isEmpty ? names[$0] : String($0) }
        let finite = values.filter(\.isFinite)
        let top = finite.max() ?? 0
        let topIndex = values.firstIndex(of: top)
        // Probabilities keep their absolute length; other values scale to the largest.
        let full: Float = finite.allSatisfy { (0...1).contains($0) } ? 1 : max(top, Float.leastNonzeroMagnitude)
        let nameWidth = labels.map { BitmapFont.width(of: $0) }.max() ?? 0
        let valueTexts = values.map { $0.isFinite ? String(format2: $0) : NumberedMatrix.text(for: $0) }
        let valueWidth = valueTexts.map { BitmapFont.width(of: $0) }.max() ?? 0
        let barLeft = 4 + nameWidth + 6
        let width = barLeft + barLength + 6 + valueWidth + 4
        var canvas = PixelImage(width: width, height: values.count * Self.rowHeight + 4, format: .rgb, fill: .white)
        for (i, value) in values.enumerated() {
            let y = 2 + i * Self.rowHeight
            let isTop = i == topIndex
            let ink = isTop ? highlight : textColor
            canvas.drawText(labels[i], x: barLeft - 6 - BitmapFont.width(of: labels[i]), y: y + 1, color: ink)
            canvas.fill(x: barLeft, y: y, width: 1, height: Self.rowHeight - 2, color: PixelColor(grey: 120))
            let length = value.isFinite ? Int((max(0, min(value / full, 1)) * Float(barLength)).rounded()) : 0
            canvas.fill(x: barLeft + 1, y: y + 1, width: length, height: Self.rowHeight - 4, color: isTop ? highlight : barColor)
            canvas.drawText(valueTexts[i], x: barLeft + barLength + 6, y: y + 1, color: ink)
        }
        return canvas
    }
}
