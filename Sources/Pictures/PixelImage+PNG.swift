import CPNG
import Foundation

/// What can go wrong when making a picture.
public enum PictureError: Error, Equatable, Sendable, CustomStringConvertible {
    /// libpng refused to encode the image (an empty or enormous image).
    case pngEncodingFailed(width: Int, height: Int, reason: String)

    public var description: String {
        switch self {
        case let .pngEncodingFailed(width, height, reason):
            return "cannot encode a \(width)x\(height) image as PNG: \(reason)"
        }
    }
}

extension PictureError: LocalizedError {
    public var errorDescription: String? { description }
}

extension PixelImage {
    /// The image as a PNG file, through libpng's simplified write API (called
    /// once to learn the size and once to write; see MEASURED.md).
    ///
    /// - Throws: `PictureError.pngEncodingFailed` for an image with no pixels
    ///   or one libpng cannot write.
    public func pngData() throws -> [UInt8] {
        guard width > 0, height > 0 else {
            throw PictureError.pngEncodingFailed(width: width, height: height, reason: "the image has no pixels")
        }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = format == .grey ? UInt32(PNG_FORMAT_GRAY) : UInt32(PNG_FORMAT_RGB)
        // A colour picture of filters, kernels or labelled bars has few colours:
        // as a palette image it is one byte a pixel and compresses far better.
        if format == .rgb, let (indices, palette) = paletted() {
            image.format = UInt32(PNG_FORMAT_RGB) | UInt32(PNG_FORMAT_FLAG_COLORMAP)
            image.colormap_entries = UInt32(palette.count / 3)
            return try palette.withUnsafeBytes { colormap in
                try Self.write(&image, indices, stride: Int32(width), colormap: colormap.baseAddress)
            }
        }
        return try Self.write(&image, pixels, stride: Int32(width * format.channels), colormap: nil)
    }

    /// One palette index a pixel and the palette (RGB triples), when the image
    /// has at most 256 colours; nil otherwise.
    func paletted() -> (indices: [UInt8], palette: [UInt8])? {
        var indexOf: [UInt32: UInt8] = [:]
        var palette: [UInt8] = []
        var indices = [UInt8](repeating: 0, count: width * height)
        for i in 0..<(width * height) {
            let r = pixels[3 * i], g = pixels[3 * i + 1], b = pixels[3 * i + 2]
            let key = UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)
            if let index = indexOf[key] {
                indices[i] = index
                continue
            }
            guard indexOf.count < 256 else { return nil }
            let index = UInt8(indexOf.count)
            indexOf[key] = index
            palette += [r, g, b]
            indices[i] = index
        }
        return (indices, palette)
    }

    /// libpng's simplified writer, called once for the size and once to write.
    private static func write(_ image: inout png_image, _ bytes: [UInt8], stride: Int32, colormap: UnsafeRawPointer?) throws -> [UInt8] {
        let (width, height) = (Int(image.width), Int(image.height))
        return try bytes.withUnsafeBytes { source -> [UInt8] in
            var size = 0
            guard png_image_write_to_memory(&image, nil, &size, 0, source.baseAddress, stride, colormap) != 0 else {
                throw PictureError.pngEncodingFailed(width: width, height: height, reason: Self.message(of: &image))
            }
            var png = [UInt8](repeating: 0, count: size)
            let written = png.withUnsafeMutableBytes { out in
                png_image_write_to_memory(&image, out.baseAddress, &size, 0, source.baseAddress, stride, colormap)
            }
            guard written != 0 else {
                throw PictureError.pngEncodingFailed(width: width, height: height, reason: Self.message(of: &image))
            }
            return Array(png.prefix(size))
        }
    }

    /// The PNG file in base64, as a Jupyter `image/png` output carries it.
    public func pngBase64() throws -> String {
        Data(try pngData()).base64EncodedString()
    }

    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            let text = String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            return text.isEmpty ? "libpng gave no reason" : text
        }
    }
}
