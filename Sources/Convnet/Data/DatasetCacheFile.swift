import Foundation

/// The cache file of one decompressed data set split, made to be mapped read-only
/// by every kernel on the machine.
///
/// Layout (little-endian, as x86-64 and arm64 store it):
///
///     0   magic "CNVDATA\0"           8 bytes
///     8   version, header size         u32 u32
///     16  count                        u64
///     24  width, height, depth, classes  u32 x 4
///     40  pixels offset, labels offset, file size  u64 x 3
///     64  pixels checksum, labels checksum  u64 u64
///     80  meta length, header checksum  u32 u32
///     88  meta: identity \n name \n class names, one a line (UTF-8)
///     ... pixels at a page boundary (count x volume bytes), labels at a multiple of 8 (count x Int64)
///
/// `identity` names the source files (path, size, mtime) the cache was made from,
/// so a changed source never serves stale images. A file that is short, long,
/// of another version, from other sources or whose checksums disagree is rejected.
enum DatasetCacheFile {
    static let magic: [UInt8] = Array("CNVDATA\0".utf8)
    static let version: UInt32 = 1
    static let fixedHeaderSize = 88
    static let pageSize = 4096

    /// Why a cache file was not used.
    enum Rejection: Error, Equatable, CustomStringConvertible {
        case missing
        case unreadable(String)
        case invalid(String)

        var description: String {
            switch self {
            case .missing: return "no cache file"
            case .unreadable(let why): return "cannot read the cache file: \(why)"
            case .invalid(let why): return "the cache file is damaged or stale: \(why)"
            }
        }
    }

    // MARK: Writing

    /// The whole file's bytes except the pixel and label bodies, which `write` sends
    /// from the data set's own memory; returns the header and the bodies' offsets.
    static func header(for data: Dataset, identity: String) -> (bytes: [UInt8], pixelsOffset: Int, labelsOffset: Int, size: Int) {
        let meta = Array(([identity, data.name] + data.classNames).joined(separator: "\n").utf8)
        let headerEnd = fixedHeaderSize + meta.count
        let pixelsOffset = (headerEnd + pageSize - 1) / pageSize * pageSize
        let labelsOffset = (pixelsOffset + data.pixels.count + 7) / 8 * 8
        let size = labelsOffset + data.labels.count * 8

        var h = [UInt8]()
        h.reserveCapacity(headerEnd)
        h += magic
        append(&h, UInt32(version)); append(&h, UInt32(fixedHeaderSize))
        append(&h, UInt64(data.count))
        for v in [data.volume.width, data.volume.height, data.volume.depth, data.classNames.count] { append(&h, UInt32(v)) }
        append(&h, UInt64(pixelsOffset)); append(&h, UInt64(labelsOffset)); append(&h, UInt64(size))
        append(&h, data.pixels.withUnsafeBytes(checksum)); append(&h, data.labels.withUnsafeBytes(checksum))
        append(&h, UInt32(meta.count)); append(&h, UInt32(0))
        h += meta
        let sum = h.withUnsafeBytes(checksum)
        h.withUnsafeMutableBytes { $0.storeBytes(of: UInt32(truncatingIfNeeded: sum ^ (sum >> 32)).littleEndian, toByteOffset: 84, as: UInt32.self) }
        return (h, pixelsOffset, labelsOffset, size)
    }

    /// Writes `data` to `path` so that no reader ever sees half of it (`AtomicFile`).
    ///
    /// - Throws: `AtomicFile.WriteError` with the system's reason (a read-only folder,
    ///   a full disk); the temporary file is removed then.
    static func write(_ data: Dataset, identity: String, to path: String) throws {
        let (head, pixelsOffset, labelsOffset, size) = header(for: data, identity: identity)
        try AtomicFile.write(to: path) { file in
            try file.write(head)
            try file.write([UInt8](repeating: 0, count: pixelsOffset - head.count))
            try data.pixels.withUnsafeBytes(file.write)
            try file.write([UInt8](repeating: 0, count: labelsOffset - pixelsOffset - data.pixels.count))
            try data.labels.map { Int64($0).littleEndian }.withUnsafeBytes(file.write)
            precondition(file.offset == size, "the cache file's size does not match its header")
        }
    }

    // MARK: Reading

    /// Maps `path` read-only and checks it against `identity` and its checksums.
    ///
    /// - Returns: A data set whose pixels and labels point into the mapping.
    /// - Throws: A `Rejection` saying why the file cannot be used.
    static func map(path: String, identity: String) throws(Rejection) -> Dataset {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw .missing }
            throw .unreadable(String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
        let length = Int(status.st_size)
        guard length >= fixedHeaderSize else { throw .invalid("\(length) bytes, shorter than its header") }
        guard let base = mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0), base != MAP_FAILED else {
            throw .unreadable("mmap: \(String(cString: strerror(errno)))")
        }
        let storage = ByteStorage(mapping: UnsafeRawPointer(base), length: length)
        return try read(storage, identity: identity)
    }

    /// Checks the header of a mapped file and makes the data set's views of it.
    static func read(_ storage: ByteStorage, identity: String) throws(Rejection) -> Dataset {
        let file = UnsafeRawBufferPointer(start: storage.base, count: storage.count)
        func u32(_ at: Int) -> Int { Int(UInt32(littleEndian: file.loadUnaligned(fromByteOffset: at, as: UInt32.self))) }
        func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: file.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }

        guard Array(file[0..<8]) == magic else { throw .invalid("not a data set cache file") }
        guard u32(8) == version, u32(12) == fixedHeaderSize else { throw .invalid("version \(u32(8)), expected \(version)") }
        let metaLength = u32(80)
        guard fixedHeaderSize + metaLength <= file.count else { throw .invalid("the header runs past the end") }
        var header = Array(file[0..<(fixedHeaderSize + metaLength)])
        header.withUnsafeMutableBytes { $0.storeBytes(of: UInt32(0), toByteOffset: 84, as: UInt32.self) }
        let sum = header.withUnsafeBytes(checksum)
        guard u32(84) == Int(UInt32(truncatingIfNeeded: sum ^ (sum >> 32))) else { throw .invalid("the header's checksum is wrong") }
        guard Int(u64(56)) == file.count else { throw .invalid("\(file.count) bytes, its header says \(u64(56)) (truncated?)") }

        let meta = String(decoding: file[fixedHeaderSize..<(fixedHeaderSize + metaLength)], as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard meta.count >= 2, meta[0] == identity else { throw .invalid("made from other source files") }
        let count = Int(u64(16))
        let volume = Volume(u32(24), u32(28), u32(32))
        let classes = u32(36)
        let pixelsOffset = Int(u64(40)), labelsOffset = Int(u64(48))
        let (pixelBytes, o1) = count.multipliedReportingOverflow(by: volume.count)
        guard !o1, volume.count > 0, meta.count == 2 + classes, pixelsOffset % pageSize == 0, labelsOffset % 8 == 0,
              pixelsOffset >= fixedHeaderSize + metaLength, labelsOffset >= pixelsOffset + pixelBytes,
              labelsOffset + count * 8 == file.count
        else { throw .invalid("its sizes and offsets do not agree") }

        let pixels = SharedArray<UInt8>(storage: storage, byteOffset: pixelsOffset, count: pixelBytes)
        let labels = SharedArray<Int>(storage: storage, byteOffset: labelsOffset, count: count)
        guard pixels.withUnsafeBytes(checksum) == u64(64) else { throw .invalid("the images' checksum is wrong") }
        guard labels.withUnsafeBytes(checksum) == u64(72) else { throw .invalid("the labels' checksum is wrong") }
        if let bad = labels.withUnsafeBufferPointer({ $0.firstIndex { $0 < 0 || $0 >= classes } }) {
            throw .invalid("label \(labels[bad]) of image \(bad) is not a class")
        }
        return Dataset(name: meta[1], volume: volume, pixels: pixels, labels: labels, classNames: Array(meta[2...]))
    }

    // MARK: Helpers

    /// A Fletcher-style sum of 64-bit words (wrapping, then the tail bytes): it
    /// catches truncation, flipped bits and swapped words, and costs a few
    /// milliseconds on 55 MB where zlib's CRC-32 took 0.1 s, at every load.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var a: UInt64 = 0x9E37_79B9_7F4A_7C15, b: UInt64 = UInt64(bytes.count)
        let words = bytes.count / 8
        for i in 0..<words {
            a &+= UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
            b &+= a
        }
        for i in (words * 8)..<bytes.count {
            a &+= UInt64(bytes[i]) &+ 1
            b &+= a
        }
        return a ^ (b &* 0xBF58_476D_1CE4_E5B9)
    }

    private static func append<T: FixedWidthInteger>(_ bytes: inout [UInt8], _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
}
