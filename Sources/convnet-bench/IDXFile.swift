import CZlib
import Convnet
import Foundation

/// A few lines of gzip IDX reading for the benchmark, so it does not wait on the data
/// loaders; the engine's own loaders (Sources/Convnet/Data) replace this for users.
enum IDXFile {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads an IDX file's header, then its body straight into one array (no copies).
    static func read(_ path: String, headerBytes: Int) throws -> (header: [UInt8], body: [UInt8]) {
        guard let file = gzopen(path, "rb") else { throw Failure(description: "cannot open \(path)") }
        defer { gzclose(file) }
        gzbuffer(file, 1 << 18)
        var header = [UInt8](repeating: 0, count: headerBytes)
        let got = header.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32(headerBytes)) }
        guard got == headerBytes else { throw Failure(description: "\(path) is truncated in its header") }
        var count = 1
        let dimensions = Int(header[3])
        for d in 0..<dimensions { count *= bigEndian(header, 4 + 4 * d) }
        let body = try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let n = gzread(file, buffer.baseAddress! + done, UInt32(min(count - done, 1 << 30)))
                if n <= 0 { throw Failure(description: "\(path) is truncated: \(done) of \(count) bytes") }
                done += Int(n)
            }
            initialized = count
        }
        return (header, body)
    }

    static func bigEndian(_ b: [UInt8], _ at: Int) -> Int {
        Int(b[at]) << 24 | Int(b[at + 1]) << 16 | Int(b[at + 2]) << 8 | Int(b[at + 3])
    }

    /// Images and labels of an MNIST-format pair (idx3 images, idx1 labels).
    static func dataset(images: String, labels: String, name: String, classNames: [String]) throws -> Dataset {
        let (imageHeader, pixels) = try read(images, headerBytes: 16)
        let (labelHeader, labelBytes) = try read(labels, headerBytes: 8)
        guard bigEndian(imageHeader, 0) == 0x0803, bigEndian(labelHeader, 0) == 0x0801,
              bigEndian(imageHeader, 4) == bigEndian(labelHeader, 4) else {
            throw Failure(description: "\(images) and \(labels) are not a matching IDX pair")
        }
        return Dataset(name: name, volume: Volume(bigEndian(imageHeader, 12), bigEndian(imageHeader, 8), 1),
                       pixels: pixels, labels: labelBytes.map { Int($0) }, classNames: classNames)
    }
}

extension Dataset {
    /// The centre `size`x`size` crop of every image (net C's 24x24 inputs).
    func centreCropped(to size: Int) -> Dataset {
        let (w, h) = (volume.width, volume.height)
        let (x0, y0) = ((w - size) / 2, (h - size) / 2)
        let outCount = count * size * size * volume.depth
        let out = [UInt8](unsafeUninitializedCapacity: outCount) { buffer, initialized in
            pixels.withUnsafeBufferPointer { p in
                var dst = buffer.baseAddress!
                for i in 0..<count {
                    for c in 0..<volume.depth {
                        for y in 0..<size {
                            let row = p.baseAddress! + i * volume.count + c * w * h + (y0 + y) * w + x0
                            dst.update(from: row, count: size)
                            dst += size
                        }
                    }
                }
            }
            initialized = outCount
        }
        return Dataset(name: name + " 24x24", volume: Volume(size, size, volume.depth), pixels: out,
                       labels: labels, classNames: classNames)
    }
}
