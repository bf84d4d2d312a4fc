import CZlib
import Foundation

/// Reads a file through zlib's gz functions, which inflate a gzip file and pass
/// any other file through unchanged, so one code path serves `x.gz` and `x`.
///
/// Data is read straight into the caller's buffer (no intermediate copies): the
/// 47 MB of Fashion-MNIST's training images inflate into the array that keeps them.
final class CompressedFileReader {
    let path: String
    /// Size of the file on disk (compressed size for a gzip file).
    let sizeOnDisk: Int
    /// Uncompressed bytes delivered so far.
    private(set) var bytesRead = 0
    private let file: gzFile

    /// Opens `path`; throws `DataError.unreadable` when it cannot be opened.
    init(path: String) throws {
        self.path = path
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw DataError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw DataError.unreadable(path: path, reason: "not a regular file")
        }
        guard let opened = gzopen(path, "rb") else {
            throw DataError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        file = opened
        sizeOnDisk = Int(status.st_size)
        // A larger input buffer than zlib's 8 KB default halves the system calls.
        gzbuffer(file, 1 << 18)
    }

    deinit { gzclose(file) }

    /// True when the file is gzip-compressed (false for a raw file).
    var isCompressed: Bool { gzdirect(file) == 0 }

    /// The most uncompressed bytes the file could hold: deflate cannot compress
    /// better than about 1032 to 1, so a header that promises more is a lie that
    /// would otherwise make us allocate gigabytes before finding the file short.
    var maximumContentSize: Int { isCompressed ? sizeOnDisk * 1032 + 1024 : sizeOnDisk }

    /// Reads up to `buffer.count` bytes; returns how many were read (fewer at the end of the file).
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let chunk = UInt32(min(buffer.count - done, 1 << 30))
            let got = gzread(file, base + done, chunk)
            if got < 0 { throw DataError.unreadable(path: path, reason: zlibError()) }
            if got == 0 { break }
            done += Int(got)
        }
        bytesRead += done
        return done
    }

    /// Reads exactly `buffer.count` bytes or throws `DataError.truncated`,
    /// reporting the file's total as `expectedTotal`.
    func readExactly(into buffer: UnsafeMutableRawBufferPointer, expectedTotal: Int) throws {
        let before = bytesRead
        let got = try read(into: buffer)
        if got < buffer.count {
            throw DataError.truncated(path: path, expectedBytes: expectedTotal, foundBytes: before + got)
        }
    }

    /// Reads `count` bytes into a new array, or throws `DataError.truncated`.
    func readArray(count: Int, expectedTotal: Int) throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            try readExactly(into: UnsafeMutableRawBufferPointer(buffer), expectedTotal: expectedTotal)
            initialized = count
        }
    }

    /// Reads the rest of the file, whatever its length.
    func readToEnd() throws -> [UInt8] {
        var result = [UInt8]()
        result.reserveCapacity(isCompressed ? sizeOnDisk * 4 : sizeOnDisk)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let got = try chunk.withUnsafeMutableBytes { try read(into: $0) }
            if got == 0 { break }
            result.append(contentsOf: chunk[0..<got])
        }
        return result
    }

    private func zlibError() -> String {
        var code: Int32 = 0
        let message = gzerror(file, &code).map { String(cString: $0) } ?? "unknown error"
        if code == Z_DATA_ERROR { return "corrupt compressed data (\(message))" }
        if code == Z_ERRNO { return String(cString: strerror(errno)) }
        return message
    }
}
