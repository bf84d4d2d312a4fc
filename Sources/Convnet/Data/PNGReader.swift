import CPNG
import Foundation

/// Decodes PNG files into the engine's image layout: bytes in CHW order, one
/// plane for a grey image, three (red, green, blue) for a colour one.
///
/// Uses libpng's simplified API, which handles every PNG kind (grey, grey with
/// alpha, RGB, RGBA, palette, 1 to 16 bits) by converting to 8-bit sRGB; the
/// classic API reports errors by `longjmp`, which Swift cannot survive.
public enum PNGReader {
    /// One decoded image.
    public struct Image: Sendable, Equatable {
        /// Width x height x depth (1 or 3).
        public var volume: Volume
        /// `volume.count` bytes, CHW.
        public var pixels: [UInt8]

        public init(volume: Volume, pixels: [UInt8]) {
            precondition(pixels.count == volume.count, "pixels do not match the volume")
            self.volume = volume
            self.pixels = pixels
        }
    }

    /// Decodes PNG bytes.
    ///
    /// - Parameters:
    ///   - data: The whole PNG file.
    ///   - depth: 1 for grey, 3 for colour, nil to keep the file's own (grey
    ///     stays grey, colour and palette images become 3 planes).
    ///   - path: Names the data in error messages.
    /// - Returns: The image; transparency is composited onto black, the
    ///   background of MNIST-style images.
    /// - Throws: `DataError.badPNG` when libpng cannot decode the data.
    public static func decode(_ data: [UInt8], depth: Int? = nil, path: String = "PNG data") throws -> Image {
        precondition(depth == nil || depth == 1 || depth == 3, "depth must be 1 or 3")
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let began = data.withUnsafeBytes { bytes in
            png_image_begin_read_from_memory(&image, bytes.baseAddress, bytes.count)
        }
        guard began != 0 else { throw DataError.badPNG(path: path, reason: message(of: &image)) }

        let fileIsColour = image.format & UInt32(PNG_FORMAT_FLAG_COLOR) != 0
        let channels = depth ?? (fileIsColour ? 3 : 1)
        let width = Int(image.width), height = Int(image.height)
        guard width > 0, height > 0, width.multipliedReportingOverflow(by: height).partialValue < 1 << 28 else {
            png_image_free(&image)
            throw DataError.badPNG(path: path, reason: "an image of \(width)x\(height) pixels is too large to load")
        }
        image.format = channels == 3 ? UInt32(PNG_FORMAT_RGB) : UInt32(PNG_FORMAT_GRAY)

        // Zeroed, so that transparent pixels are composited onto black.
        var interleaved = [UInt8](repeating: 0, count: width * height * channels)
        let finished = interleaved.withUnsafeMutableBytes { buffer in
            png_image_finish_read(&image, nil, buffer.baseAddress, Int32(width * channels), nil)
        }
        guard finished != 0 else {
            let reason = message(of: &image)
            png_image_free(&image)
            throw DataError.badPNG(path: path, reason: reason)
        }
        return Image(volume: Volume(width, height, channels), pixels: planar(interleaved, channels: channels))
    }

    /// Reads and decodes a PNG file; see `decode(_:depth:path:)`.
    public static func read(path: String, depth: Int? = nil) throws -> Image {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw exists
                ? DataError.unreadable(path: path, reason: "permission denied or not a file")
                : DataError.unreadable(path: path, reason: "no such file")
        }
        return try decode([UInt8](data), depth: depth, path: path)
    }

    /// HWC (r g b r g b ...) to CHW (r r ... g g ... b b ...).
    static func planar(_ interleaved: [UInt8], channels: Int) -> [UInt8] {
        guard channels > 1 else { return interleaved }
        let plane = interleaved.count / channels
        return [UInt8](unsafeUninitializedCapacity: interleaved.count) { out, initialized in
            interleaved.withUnsafeBufferPointer { source in
                for c in 0..<channels {
                    for i in 0..<plane { out[c * plane + i] = source[i * channels + c] }
                }
            }
            initialized = interleaved.count
        }
    }

    /// libpng's message after a failure, a C char[64].
    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            let bytes = raw.prefix { $0 != 0 }
            let text = String(decoding: bytes, as: UTF8.self)
            return text.isEmpty ? "not a PNG file" : text
        }
    }
}
