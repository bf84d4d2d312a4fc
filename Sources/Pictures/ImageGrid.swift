/// Lays many images out in rows and columns with a gap between them, each
/// with an optional label in the bitmap font, above or below it: data-set
/// images ("7 Sneaker"), filters ("conv 1 #3"), activation maps.
///
/// Every cell is as large as the largest image, and wide enough for the longest
/// label up to `labelCharacters` characters ("Ankle boot", "T-shirt/top");
/// smaller images are centred in their cell, and a longer label is cut.
public struct ImageGrid: Sendable {
    /// Where labels go relative to their image.
    public enum LabelPosition: Sendable { case above, below }

    /// Images in each row; nil fits as many as `maximumWidth` allows, spread
    /// evenly over the rows that takes.
    public var columns: Int?
    /// Pixels between cells and around the edge.
    public var gap: Int
    public var labelPosition: LabelPosition
    /// Each font pixel as a `textScale x textScale` block.
    public var textScale: Int
    /// Width a grid aims to stay within when `columns` is nil (a notebook's output width).
    public var maximumWidth: Int
    public var background: PixelColor
    public var labelColor: PixelColor
    /// A 1-pixel line drawn around each image, so a filter whose edge cells
    /// are near zero (white in the diverging map) does not merge into the page.
    public var frame: PixelColor?
    /// The longest label a cell widens for; longer labels are cut to it.
    public var labelCharacters: Int

    public init(
        columns: Int? = nil, gap: Int = 4, labelPosition: LabelPosition = .below, textScale: Int = 1,
        maximumWidth: Int = 960, background: PixelColor = .white, labelColor: PixelColor = PixelColor(grey: 40),
        frame: PixelColor? = nil, labelCharacters: Int = 12
    ) {
        self.frame = frame
        self.labelCharacters = max(1, labelCharacters)
        self.columns = columns
        self.gap = max(0, gap)
        self.labelPosition = labelPosition
        self.textScale = max(1, textScale)
        self.maximumWidth = maximumWidth
        self.background = background
        self.labelColor = labelColor
    }

    /// The size of the picture `render` makes, without making it.
    ///
    /// - Parameter labelWidth: Pixel width of the widest label as drawn (0 for none).
    public func layout(imageWidth: Int, imageHeight: Int, count: Int, hasLabels: Bool, labelWidth: Int = 0)
        -> (columns: Int, rows: Int, cellWidth: Int, cellHeight: Int, width: Int, height: Int)
    {
        let labelHeight = hasLabels ? BitmapFont.lineHeight * textScale + 2 : 0
        let border = frame == nil ? 0 : 2
        let cellWidth = max(imageWidth + border, hasLabels ? labelWidth : 0)
        let cellHeight = imageHeight + border + labelHeight
        let fitting = max(1, (maximumWidth - gap) / max(1, cellWidth + gap))
        // With no column count, rows are balanced: 16 maps that wrap at 15 go 8 + 8, not 15 + 1.
        let balanced = count == 0 ? 1 : (count + (count + fitting - 1) / fitting - 1) / ((count + fitting - 1) / fitting)
        let columnCount = max(1, min(count, columns ?? balanced))
        let rowCount = count == 0 ? 0 : (count + columnCount - 1) / columnCount
        guard count > 0 else { return (columnCount, 0, cellWidth, cellHeight, 0, 0) }
        let width = gap + columnCount * (cellWidth + gap)
        let height = gap + rowCount * (cellHeight + gap)
        return (columnCount, rowCount, cellWidth, cellHeight, width, height)
    }

    /// Draws `images` in a grid, labelled by `labels` (nil, or one per image;
    /// an empty string leaves that image unlabelled).
    ///
    /// - Parameters:
    ///   - labelColors: One colour per label, to mark some out (a wrong
    ///     prediction in red); nil draws every label in `labelColor`.
    /// - Returns: An RGB picture if any image or label colour is in colour, grey otherwise.
    /// - Precondition: `labels` and `labelColors` are nil or have one entry per image.
    public func render(_ images: [PixelImage], labels: [String]? = nil, labelColors: [PixelColor]? = nil) -> PixelImage {
        precondition(labels == nil || labels!.count == images.count, "one label per image")
        precondition(labelColors == nil || labelColors!.count == images.count, "one label colour per image")
        let imageWidth = images.map(\.width).max() ?? 0
        let imageHeight = images.map(\.height).max() ?? 0
        let hasLabels = labels?.contains { !$0.isEmpty } ?? false
        let texts = (labels ?? []).map { String($0.prefix(labelCharacters)) }
        let labelWidth = texts.map { BitmapFont.width(of: $0, scale: textScale) }.max() ?? 0
        let size = layout(
            imageWidth: imageWidth, imageHeight: imageHeight, count: images.count, hasLabels: hasLabels, labelWidth: labelWidth)
        let colouredText = (labelColors ?? []).contains { $0.red != $0.green || $0.green != $0.blue }
        let format: PixelImage.Format = colouredText || images.contains { $0.format == .rgb } ? .rgb : .grey
        var canvas = PixelImage(width: size.width, height: size.height, format: format, fill: background)

        let border = frame == nil ? 0 : 1
        let boxHeight = imageHeight + 2 * border
        let labelRows = size.cellHeight - boxHeight
        for (index, image) in images.enumerated() {
            let left = gap + (index % size.columns) * (size.cellWidth + gap)
            let top = gap + (index / size.columns) * (size.cellHeight + gap)
            let imageTop = (labelPosition == .above ? top + labelRows : top) + border
            let imageLeft = left + (size.cellWidth - image.width) / 2
            let y = imageTop + (imageHeight - image.height) / 2
            if let frame {
                canvas.fill(x: imageLeft - 1, y: y - 1, width: image.width + 2, height: image.height + 2, color: frame)
            }
            canvas.draw(image, x: imageLeft, y: y)

            guard hasLabels, !texts[index].isEmpty else { continue }
            let text = texts[index]
            let textLeft = left + (size.cellWidth - BitmapFont.width(of: text, scale: textScale)) / 2
            let textTop = labelPosition == .above ? top : top + boxHeight + 2
            canvas.drawText(text, x: textLeft, y: textTop, color: labelColors?[index] ?? labelColor, scale: textScale)
        }
        return canvas
    }
}
