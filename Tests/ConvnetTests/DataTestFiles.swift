import CPNG
import CZlib
import Foundation
import XCTest

/// Writes the small IDX, CIFAR and PNG files the data tests read, in a fresh
/// temporary folder that is removed when the test ends.
final class DataTestFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "convnet-data-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to `name`, gzip-compressed through zlib when `gzip` is true; returns the path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8], gzip: Bool = false) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if gzip {
            guard let gz = gzopen(file, "wb") else { throw CocoaError(.fileWriteUnknown) }
            let written = bytes.withUnsafeBytes { gzwrite(gz, $0.baseAddress, UInt32($0.count)) }
            gzclose(gz)
            XCTAssertEqual(Int(written), bytes.count, "gzwrite wrote all of \(name)")
        } else {
            FileManager.default.createFile(atPath: file, contents: Data(bytes))
        }
        return file
    }

    /// An IDX header and data: `dimensions` big-endian after the magic.
    static func idx(dimensions: [Int], data: [UInt8], type: UInt8 = 0x08) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, type, UInt8(dimensions.count)]
        for d in dimensions {
            bytes += [UInt8(d >> 24 & 0xFF), UInt8(d >> 16 & 0xFF), UInt8(d >> 8 & 0xFF), UInt8(d & 0xFF)]
        }
        return bytes + data
    }

    /// `count` images of `rows x columns` whose pixel i of image n is `(n * 7 + i) % 256`.
    static func imagePixels(count: Int, rows: Int, columns: Int) -> [UInt8] {
        (0..<count).flatMap { n in (0..<(rows * columns)).map { UInt8((n * 7 + $0) % 256) } }
    }

    /// A PNG written by libpng's simplified API from interleaved 8-bit samples
    /// (or 16-bit ones when `sixteenBit`), with an optional colour map.
    static func png(
        width: Int, height: Int, format: Int32, samples: [UInt8], sixteenBit: [UInt16]? = nil,
        colormap: [UInt8]? = nil
    ) -> [UInt8] {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = UInt32(format)
        if let colormap { image.colormap_entries = UInt32(colormap.count / 3) }
        let channels = Int(format & 0x03) + 1  // grey, grey+alpha, RGB, RGBA
        let stride = Int32(format & Int32(PNG_FORMAT_FLAG_COLORMAP) != 0 ? width : width * channels)
        func encode(_ buffer: UnsafeRawPointer, _ map: UnsafeRawPointer?) -> [UInt8] {
            var size = 0
            guard png_image_write_to_memory(&image, nil, &size, 0, buffer, stride, map) != 0 else { return [] }
            var out = [UInt8](repeating: 0, count: size)
            let ok = out.withUnsafeMutableBytes {
                png_image_write_to_memory(&image, $0.baseAddress, &size, 0, buffer, stride, map)
            }
            return ok != 0 ? Array(out[0..<size]) : []
        }
        let mapBytes = colormap ?? []
        return mapBytes.withUnsafeBytes { map in
            if let sixteenBit {
                return sixteenBit.withUnsafeBytes { encode($0.baseAddress!, colormap == nil ? nil : map.baseAddress) }
            }
            return samples.withUnsafeBytes { encode($0.baseAddress!, colormap == nil ? nil : map.baseAddress) }
        }
    }
}
