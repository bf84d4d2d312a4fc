/// A colour as 8-bit red, green and blue.
public struct PixelColor: Hashable, Sendable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A grey of brightness `level`.
    public init(grey level: UInt8) { self.init(red: level, green: level, blue: level) }

    public static let white = PixelColor(grey: 255)
    public static let black = PixelColor(grey: 0)

    /// Brightness as a grey image stores it (ITU-R BT.601 weights, rounded).
    public var luminance: UInt8 {
        let weighted: Int = 299 * Int(red) + 587 * Int(green) + 114 * Int(blue)
        return UInt8((weighted + 500) / 1000)
    }
}

/// An 8-bit image, grey or RGB, stored row by row with channels interleaved
/// (the layout PNG uses: `r g b r g b ...`).
public struct PixelImage: Sendable, Equatable {
    /// Grey (one byte a pixel) or RGB (three).
    public enum Format: Sendable, Equatable {
        case grey, rgb

        public var channels: Int { self == .grey ? 1 : 3 }
    }

    public let width: Int
    public let height: Int
    public let format: Format
    /// `width * height * format.channels` bytes, row-major.
    public var pixels: [UInt8]

    /// An image of the given bytes.
    /// - Precondition: `pixels.count == width * height * format.channels`.
    public init(width: Int, height: Int, format: Format, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0, "negative image size")
        precondition(pixels.count == width * height * format.channels, "pixel count does not match the size")
        self.width = width
        self.height = height
        self.format = format
        self.pixels = pixels
    }

    /// An image filled with one colour (its grey level for a grey image).
    public init(width: Int, height: Int, format: Format, fill: PixelColor) {
        let pixel = format == .grey ? [fill.luminance] : [fill.red, fill.green, fill.blue]
        let count = max(0, width) * max(0, height)
        var bytes = [UInt8]()
        bytes.reserveCapacity(count * format.channels)
        for _ in 0..<count { bytes.append(contentsOf: pixel) }
        self.init(width: width, height: height, format: format, pixels: bytes)
    }

    /// An image from planar bytes (CHW: a whole plane per channel), as data
    /// sets hold them: depth 1 gives a grey image, depth 3 an RGB one.
    /// - Precondition: `depth` is 1 or 3 and `planes.count == width * height * depth`.
    /// Takes any collection of bytes, so a data set's `imageBytes(i)` slice needs no copy first.
    public init<Bytes: Collection<UInt8>>(planes: Bytes, width: Int, height: Int, depth: Int) {
        precondition(depth == 1 || depth == 3, "depth must be 1 (grey) or 3 (RGB)")
        let planes = Array(planes)
        precondition(planes.count == width * height * depth, "plane bytes do not match the size")
        guard depth == 3 else {
            self.init(width: width, height: height, format: .grey, pixels: planes)
            return
        }
        let plane = width * height
        var interleaved = [UInt8](repeating: 0, count: plane * 3)
        for i in 0..<plane {
            interleaved[3 * i] = planes[i]
            interleaved[3 * i + 1] = planes[plane + i]
            interleaved[3 * i + 2] = planes[2 * plane + i]
        }
        self.init(width: width, height: height, format: .rgb, pixels: interleaved)
    }

    /// The colour at column `x`, row `y` (0, 0 is the top left).
    public subscript(x: Int, y: Int) -> PixelColor {
        get {
            let i = (y * width + x) * format.channels
            return format == .grey ? PixelColor(grey: pixels[i]) : PixelColor(red: pixels[i], green: pixels[i + 1], blue: pixels[i + 2])
        }
        set {
            let i = (y * width + x) * format.channels
            if format == .grey {
                pixels[i] = newValue.luminance
            } else {
                pixels[i] = newValue.red
                pixels[i + 1] = newValue.green
                pixels[i + 2] = newValue.blue
            }
        }
    }

    /// The same picture in another format (grey to RGB repeats the level;
    /// RGB to grey takes the luminance).
    public func converted(to target: Format) -> PixelImage {
        guard target != format else { return self }
        if target == .rgb {
            return PixelImage(width: width, height: height, format: .rgb, pixels: pixels.flatMap { [$0, $0, $0] })
        }
        var grey = [UInt8](repeating: 0, count: width * height)
        for i in 0..<grey.count {
            grey[i] = PixelColor(red: pixels[3 * i], green: pixels[3 * i + 1], blue: pixels[3 * i + 2]).luminance
        }
        return PixelImage(width: width, height: height, format: .grey, pixels: grey)
    }

    /// Paints a rectangle, clipped to the image.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, color: PixelColor) {
        // A rectangle wholly outside (past the bottom or right edge) paints nothing.
        let rows = max(0, y)..<max(max(0, y), min(height, y + h))
        let columns = max(0, x)..<max(max(0, x), min(width, x + w))
        for row in rows {
            for column in columns { self[column, row] = color }
        }
    }

    /// Copies `image` with its top-left corner at (`x`, `y`), clipped to this
    /// image and converted to its format.
    public mutating func draw(_ image: PixelImage, x: Int, y: Int) {
        let source = image.converted(to: format)
        let channels = format.channels
        let firstColumn = max(0, -x), lastColumn = min(source.width, width - x)
        guard firstColumn < lastColumn else { return }
        for row in max(0, -y)..<max(max(0, -y), min(source.height, height - y)) {
            let from = (row * source.width + firstColumn) * channels
            let to = ((y + row) * width + x + firstColumn) * channels
            let count = (lastColumn - firstColumn) * channels
            pixels.replaceSubrange(to..<(to + count), with: source.pixels[from..<(from + count)])
        }
    }
}
