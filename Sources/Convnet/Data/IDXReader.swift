/// Reader for the IDX format of MNIST and Fashion-MNIST, raw or gzip-compressed.
///
/// An IDX file is a header and then the data:
/// two zero bytes, a type byte (0x08: unsigned bytes, the only type these data
/// sets use), the number of dimensions, then each dimension as a big-endian
/// 32-bit count. Images files are `count x rows x columns` (magic 0x00000803),
/// labels files are `count` (magic 0x00000801).
public enum IDXReader {
    /// The contents of an IDX file of unsigned bytes.
    public struct Contents: Sendable, Equatable {
        /// The sizes of the dimensions, outermost first (`[60000, 28, 28]`).
        public var dimensions: [Int]
        /// The data, `dimensions` multiplied together bytes long.
        public var bytes: [UInt8]
    }

    /// Reads an IDX file of unsigned bytes with `dimensionCount` dimensions.
    ///
    /// - Parameters:
    ///   - path: The file, gzip-compressed or not (zlib tells which).
    ///   - dimensionCount: 3 for images, 1 for labels; another count is a wrong magic number.
    /// - Throws: `DataError` when the file is missing, unreadable, truncated or of another kind.
    /// - Complexity: One pass over the file, inflating into the returned array.
    public static func read(path: String, dimensionCount: Int) throws -> Contents {
        let (reader, dimensions, count, headerSize) = try open(path: path, dimensionCount: dimensionCount)
        let bytes = try reader.readArray(count: count, expectedTotal: headerSize + count)
        return Contents(dimensions: dimensions, bytes: bytes)
    }

    /// Like `read`, inflating straight into a `SharedArray`'s storage (no second copy
    /// of a 47 MB images file).
    static func readShared(path: String, dimensionCount: Int) throws -> (dimensions: [Int], bytes: SharedArray<UInt8>) {
        let (reader, dimensions, count, headerSize) = try open(path: path, dimensionCount: dimensionCount)
        let storage = try ByteStorage(count: count) { buffer in
            try reader.readExactly(into: buffer, expectedTotal: headerSize + count)
        }
        return (dimensions, SharedArray(storage: storage, byteOffset: 0, count: count))
    }

    /// Opens an IDX file and reads its header: the reader is left at the data.
    private static func open(path: String, dimensionCount: Int) throws
        -> (reader: CompressedFileReader, dimensions: [Int], count: Int, headerSize: Int)
    {
        let reader = try CompressedFileReader(path: path)
        var magic = [UInt8](repeating: 0, count: 4)
        let got = try magic.withUnsafeMutableBytes { try reader.read(into: $0) }
        guard got == 4 else {
            throw DataError.truncated(path: path, expectedBytes: 4 + 4 * dimensionCount, foundBytes: got)
        }
        let expectedMagic = describe(magic: [0, 0, 0x08, UInt8(dimensionCount)])
        guard magic[0] == 0, magic[1] == 0, magic[2] == 0x08, Int(magic[3]) == dimensionCount else {
            throw DataError.wrongMagic(path: path, expected: expectedMagic, found: describe(magic: magic))
        }

        let headerSize = 4 + 4 * dimensionCount
        var sizes = [UInt8](repeating: 0, count: 4 * dimensionCount)
        try sizes.withUnsafeMutableBytes { try reader.readExactly(into: $0, expectedTotal: headerSize) }
        var dimensions = [Int]()
        for d in 0..<dimensionCount {
            let b = sizes[(4 * d)..<(4 * d + 4)].map(Int.init)
            dimensions.append(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3])
        }

        let (count, overflow) = dimensions.reduce((1, false)) { acc, n in
            let (product, o) = acc.0.multipliedReportingOverflow(by: n)
            return (product, acc.1 || o)
        }
        if overflow || count > reader.maximumContentSize {
            let sizes = dimensions.map(String.init).joined(separator: " x ")
            throw DataError.badHeader(
                path: path, reason: "it promises \(sizes) bytes of data but the file is only \(reader.sizeOnDisk) bytes;"
                    + " it is truncated or not an IDX file")
        }
        return (reader, dimensions, count, headerSize)
    }

    /// Reads an images file: `count` images of `rows x columns` bytes, row by row.
    public static func readImages(path: String) throws -> (count: Int, rows: Int, columns: Int, pixels: SharedArray<UInt8>) {
        let (d, bytes) = try readShared(path: path, dimensionCount: 3)
        guard d[1] > 0, d[2] > 0 else {
            throw DataError.badHeader(path: path, reason: "images of \(d[2])x\(d[1]) pixels")
        }
        return (d[0], d[1], d[2], bytes)
    }

    /// Reads a labels file: one byte a label.
    public static func readLabels(path: String) throws -> [UInt8] {
        try read(path: path, dimensionCount: 1).bytes
    }

    /// "0x00000803 (unsigned bytes, 3 dimensions: images)".
    static func describe(magic: [UInt8]) -> String {
        let hex = "0x" + magic.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
        guard magic.count == 4, magic[0] == 0, magic[1] == 0 else { return "\(hex) (not an IDX file)" }
        let type: String
        switch magic[2] {
        case 0x08: type = "unsigned bytes"
        case 0x09: type = "signed bytes"
        case 0x0B: type = "16-bit integers"
        case 0x0C: type = "32-bit integers"
        case 0x0D: type = "32-bit floats"
        case 0x0E: type = "64-bit floats"
        default: return "\(hex) (not an IDX file)"
        }
        let what = magic[3] == 3 ? ": images" : magic[3] == 1 ? ": labels" : ""
        let plural = magic[3] == 1 ? "" : "s"
        return "\(hex) (IDX of \(type), \(magic[3]) dimension\(plural)\(what))"
    }
}
