/// Composing pictures out of pictures: a frame, a title above, parts stacked or in a
/// row. Every figure the language draws (an image on its own, grids under titles, the
/// demos' panels) is put together with these, so margins and title lines match.
extension PixelImage {
    /// How parts of different sizes line up across a row, or down a stack.
    public enum Alignment: Sendable {
        /// Rows: tops level; stacks: left edges level.
        case start
        case center
    }

    /// The colour of the lines around filters, kernels and activation maps.
    public static let frameColor = PixelColor(grey: 190)

    /// Pixels from a title line's top to the picture under it.
    public static let titleHeight = BitmapFont.lineHeight + 4

    /// The picture inside a line of `color`, `thickness` pixels wide, so its white (zero)
    /// edges stay visible on a white page.
    public func framed(_ color: PixelColor = PixelImage.frameColor, thickness: Int = 1) -> PixelImage {
        let t = max(0, thickness)
        var out = PixelImage(width: width + 2 * t, height: height + 2 * t, format: format, fill: color)
        out.draw(self, x: t, y: t)
        return out
    }

    /// The picture with a line of text above it, widened to the text when the text is longer.
    public func titled(_ title: String, color: PixelColor = PixelColor(grey: 40)) -> PixelImage {
        let textWidth = BitmapFont.width(of: title) + 8
        var out = PixelImage(width: Swift.max(width, textWidth), height: height + Self.titleHeight, format: format, fill: .white)
        out.drawText(title, x: 4, y: 2, color: color)
        out.draw(self, x: 0, y: Self.titleHeight)
        return out
    }

    /// A line of text on its own, `scale` times the font size, with `margin` pixels around it.
    public static func text(_ text: String, color: PixelColor = PixelColor(grey: 40), scale: Int = 1, margin: Int = 2)
        -> PixelImage
    {
        let s = Swift.max(1, scale)
        let colour = color.red != color.green || color.green != color.blue
        var out = PixelImage(
            width: BitmapFont.width(of: text, scale: s) + 2 * margin, height: BitmapFont.glyphHeight * s + 2 * margin,
            format: colour ? .rgb : .grey, fill: .white)
        out.drawText(text, x: margin, y: margin, color: color, scale: s)
        return out
    }

    /// Pictures one under the other on `background`, `gap` pixels apart; RGB when any part is.
    public static func stacked(
        _ parts: [PixelImage], gap: Int = 0, alignment: Alignment = .start, background: PixelColor = .white
    ) -> PixelImage {
        arranged(parts, vertically: true, gap: gap, alignment: alignment, background: background)
    }

    /// Pictures side by side on `background`, `gap` pixels apart; RGB when any part is.
    public static func row(
        _ parts: [PixelImage], gap: Int = 0, alignment: Alignment = .start, background: PixelColor = .white
    ) -> PixelImage {
        arranged(parts, vertically: false, gap: gap, alignment: alignment, background: background)
    }

    /// `stacked` and `row`: parts laid along one axis, aligned across the other.
    private static func arranged(
        _ parts: [PixelImage], vertically: Bool, gap: Int, alignment: Alignment, background: PixelColor
    ) -> PixelImage {
        guard parts.count > 1 else { return parts.first ?? PixelImage(width: 1, height: 1, format: .grey, fill: background) }
        let along = { (p: PixelImage) in vertically ? p.height : p.width }
        let across = { (p: PixelImage) in vertically ? p.width : p.height }
        let breadth = parts.map(across).max()!
        let length = parts.reduce(0) { $0 + along($1) } + gap * (parts.count - 1)
        var out = PixelImage(
            width: vertically ? breadth : length, height: vertically ? length : breadth,
            format: commonFormat(parts), fill: background)
        var offset = 0
        for part in parts {
            let inset = alignment == .center ? (breadth - across(part)) / 2 : 0
            out.draw(part, x: vertically ? inset : offset, y: vertically ? offset : inset)
            offset += along(part) + gap
        }
        return out
    }

    /// The picture with `margin` pixels of `background` on every side.
    public func padded(_ margin: Int, background: PixelColor = .white) -> PixelImage {
        let m = Swift.max(0, margin)
        var out = PixelImage(width: width + 2 * m, height: height + 2 * m, format: format, fill: background)
        out.draw(self, x: m, y: m)
        return out
    }

    /// Draws a rectangle's outline, `thickness` pixels wide inside the rectangle, clipped to the image.
    public mutating func outline(x: Int, y: Int, width w: Int, height h: Int, color: PixelColor, thickness: Int = 1) {
        let t = Swift.max(1, Swift.min(thickness, w / 2 + 1, h / 2 + 1))
        fill(x: x, y: y, width: w, height: t, color: color)
        fill(x: x, y: y + h - t, width: w, height: t, color: color)
        fill(x: x, y: y, width: t, height: h, color: color)
        fill(x: x + w - t, y: y, width: t, height: h, color: color)
    }

    /// RGB when any part is, so colour survives; grey otherwise.
    private static func commonFormat(_ parts: [PixelImage]) -> Format {
        parts.contains { $0.format == .rgb } ? .rgb : .grey
    }
}
