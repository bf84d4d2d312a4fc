import Foundation

/// Several pictures in one SVG document, one under the other or side by side: SVG charts placed as
/// they are, pixel pictures embedded as PNG. For figures that mix a chart with maps
/// (training watched live, a confusion matrix beside its examples), so they travel
/// as one image: one output to replace, one widget value.
public struct SVGFigure: Sendable {
    public enum Part: Sendable {
        /// A whole SVG document (LineChart's, ConfusionMatrixChart's) and its size.
        case svg(String, width: Int, height: Int)
        /// Pixels, drawn at their own size without smoothing.
        case picture(PixelImage)
        /// A line of text.
        case text(String, size: Int)
    }

    /// Down the page (a column) or across it (a row, tops level).
    public enum Direction: Sendable { case down, across }

    public var title: String
    public var parts: [Part]
    public var direction: Direction
    /// Pixels between parts and around the edge.
    public var gap: Int

    public init(title: String, parts: [Part], direction: Direction = .down, gap: Int = 8) {
        self.title = title
        self.parts = parts
        self.direction = direction
        self.gap = max(0, gap)
    }

    /// The document.
    /// - Throws: `PictureError` when a picture cannot be encoded as PNG.
    public func svg() throws -> String {
        var placed: [(markup: String, width: Int, height: Int)] = []
        for part in parts {
            switch part {
            case let .svg(document, w, h):
                placed.append((document, w, h))
            case let .picture(image):
                let png = try image.pngBase64()
                placed.append((
                    "<image width=\"\(image.width)\" height=\"\(image.height)\" style=\"image-rendering:pixelated\" "
                        + "href=\"data:image/png;base64,\(png)\"/>", image.width, image.height))
            case let .text(line, size):
                placed.append((
                    "<text x=\"4\" y=\"\(size)\" font-size=\"\(size)\" fill=\"#222\">\(Markup.escape(line))</text>",
                    Int(Double(line.count * size) * 0.56) + 8, size + 6))
            }
        }
        let across = direction == .across
        let along = placed.reduce(gap) { $0 + (across ? $1.width : $1.height) + gap }
        let wide = (placed.map { across ? $0.height : $0.width }.max() ?? 0) + 2 * gap
        var svg = SVGWriter(width: across ? along : wide, height: across ? wide : along)
        var offset = gap
        for part in placed {
            let (x, y) = across ? (offset, gap) : (gap, offset)
            svg.raw("<g transform=\"translate(\(x),\(y))\">\n\(part.markup)\n</g>\n")
            offset += (across ? part.width : part.height) + gap
        }
        return svg.document(title: title)
    }
}
