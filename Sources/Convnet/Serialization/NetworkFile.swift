import CZlib
import Foundation

/// The `.net` file format, version 1 (docs/net-format.md): magic, version, architecture,
/// weights, CRC-32. All integers and floats little-endian.
enum NetworkFile {
    static let magic: [UInt8] = [0x89, 0x43, 0x4E, 0x56, 0x0D, 0x0A, 0x1A, 0x0A]  // \x89 C N V \r \n \x1a \n
    static let version: UInt32 = 1

    enum Kind: UInt8 {
        case conv = 1, maxpool, avgpool, dense, relu, leakyRelu, sigmoid, tanh, softmax, dropout, flatten
    }

    static func encode(_ net: Network) -> [UInt8] {
        var out = ByteWriter()
        out.bytes(magic)
        out.u32(version)
        out.u32(net.inputVolume.width)
        out.u32(net.inputVolume.height)
        out.u32(net.inputVolume.depth)
        out.u32(net.specs.count)
        for spec in net.specs {
            switch spec {
            case let .conv(filters, size, stride, pad, bias):
                out.u8(Kind.conv.rawValue); out.u32(filters); out.u32(size); out.u32(stride); out.u32(pad); out.u8(bias ? 1 : 0)
            case let .maxpool(size, stride):
                out.u8(Kind.maxpool.rawValue); out.u32(size); out.u32(stride)
            case let .avgpool(size, stride):
                out.u8(Kind.avgpool.rawValue); out.u32(size); out.u32(stride)
            case let .dense(units, bias):
                out.u8(Kind.dense.rawValue); out.u32(units); out.u8(bias ? 1 : 0)
            case .relu: out.u8(Kind.relu.rawValue)
            case let .leakyRelu(slope): out.u8(Kind.leakyRelu.rawValue); out.f32(slope)
            case .sigmoid: out.u8(Kind.sigmoid.rawValue)
            case .tanh: out.u8(Kind.tanh.rawValue)
            case .softmax: out.u8(Kind.softmax.rawValue)
            case let .dropout(rate): out.u8(Kind.dropout.rawValue); out.f32(rate)
            case .flatten: out.u8(Kind.flatten.rawValue)
            }
        }
        out.u8(net.initialization == .he ? 0 : 1)
        out.u64(net.seed)
        out.u64(UInt64(net.parameterCount))
        for value in net.parameterValues { out.u32(value.bitPattern) }
        out.u32(crc32(out.data))
        return out.data
    }

    static func decode(_ bytes: [UInt8], path: String, memoryLimit: Int) throws -> Network {
        func fail(_ reason: String) -> ConvnetError { .unreadableFile(path: path, reason: reason) }
        if bytes.count < magic.count || Array(bytes[0..<magic.count]) != magic {
            throw fail("it is not a saved net (its first bytes are not the .net magic number)")
        }
        var input = ByteReader(bytes: bytes, offset: magic.count, path: path)
        let fileVersion = try input.u32("the format version")
        if fileVersion > version {
            throw fail("it was written in format version \(fileVersion) by a newer convnet; this one reads version \(version)")
        }
        if fileVersion == 0 { throw fail("its format version is 0, which no convnet writes: the file is corrupt") }
        let volume = Volume(try input.count("the input width"), try input.count("the input height"),
                            try input.count("the input depth"))
        let layerCount = try input.count("the number of layers")
        var specs: [LayerSpec] = []
        for i in 1...max(layerCount, 1) where layerCount > 0 {
            let what = "layer \(i)"
            let code = try input.u8("the kind of \(what)")
            guard let kind = Kind(rawValue: code) else { throw fail("\(what) has unknown kind \(code): the file is corrupt") }
            switch kind {
            case .conv:
                specs.append(.conv(filters: try input.count(what), size: try input.count(what), stride: try input.count(what),
                                   pad: try input.count(what), bias: try input.u8(what) != 0))
            case .maxpool: specs.append(.maxpool(size: try input.count(what), stride: try input.count(what)))
            case .avgpool: specs.append(.avgpool(size: try input.count(what), stride: try input.count(what)))
            case .dense: specs.append(.dense(units: try input.count(what), bias: try input.u8(what) != 0))
            case .relu: specs.append(.relu)
            case .leakyRelu: specs.append(.leakyRelu(slope: Float(bitPattern: try input.u32(what))))
            case .sigmoid: specs.append(.sigmoid)
            case .tanh: specs.append(.tanh)
            case .softmax: specs.append(.softmax)
            case .dropout: specs.append(.dropout(rate: Float(bitPattern: try input.u32(what))))
            case .flatten: specs.append(.flatten)
            }
        }
        let initialization: Initialization = try input.u8("the initialisation") == 0 ? .he : .glorot
        let seed = try input.u64("the seed")
        let count = try input.u64("the parameter count")
        // Check the length before building the net, so a corrupt count allocates nothing.
        let expectedEnd = UInt64(input.offset) + count * 4 + 4
        if UInt64(bytes.count) < expectedEnd {
            throw fail("it is truncated: \(bytes.count) bytes, but its header promises \(expectedEnd)")
        }
        if UInt64(bytes.count) > expectedEnd {
            throw fail("it has \(UInt64(bytes.count) - expectedEnd) bytes after its end: the file is corrupt")
        }
        let stored = UInt32(bytes[bytes.count - 4]) | UInt32(bytes[bytes.count - 3]) << 8
            | UInt32(bytes[bytes.count - 2]) << 16 | UInt32(bytes[bytes.count - 1]) << 24
        if crc32(Array(bytes[0..<(bytes.count - 4)])) != stored {
            throw fail("its checksum does not match its contents: the file is corrupt")
        }
        let net: Network
        do {
            net = try Network(input: volume, layers: specs, seed: seed, initialization: initialization, memoryLimit: memoryLimit)
        } catch let error as ConvnetError {
            throw fail("its architecture is not valid (\(error))")
        }
        if UInt64(net.parameterCount) != count {
            throw fail("it holds \(count) parameters but its layers need \(net.parameterCount): the file is corrupt")
        }
        var values = [Float](repeating: 0, count: net.parameterCount)
        for j in values.indices { values[j] = Float(bitPattern: try input.u32("the weights")) }
        net.parameterValues = values
        return net
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        data.withUnsafeBufferPointer { buffer in
            UInt32(CZlib.crc32(0, buffer.baseAddress, uInt(buffer.count)))
        }
    }
}

private struct ByteWriter {
    var data: [UInt8] = []
    mutating func bytes(_ b: [UInt8]) { data += b }
    mutating func u8(_ v: UInt8) { data.append(v) }
    mutating func u32(_ v: UInt32) { for s in stride(from: 0, to: 32, by: 8) { data.append(UInt8(truncatingIfNeeded: v >> UInt32(s))) } }
    mutating func u32(_ v: Int) { u32(UInt32(v)) }
    mutating func u64(_ v: UInt64) { for s in stride(from: 0, to: 64, by: 8) { data.append(UInt8(truncatingIfNeeded: v >> UInt64(s))) } }
    mutating func f32(_ v: Float) { u32(v.bitPattern) }
}

private struct ByteReader {
    let bytes: [UInt8]
    var offset: Int
    let path: String

    private mutating func take(_ n: Int, _ what: String) throws -> ArraySlice<UInt8> {
        guard offset + n <= bytes.count else {
            throw ConvnetError.unreadableFile(path: path, reason: "it is truncated: it ends at byte \(bytes.count) while reading \(what)")
        }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }

    mutating func u8(_ what: String) throws -> UInt8 { try take(1, what).first! }

    mutating func u32(_ what: String) throws -> UInt32 {
        try take(4, what).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func u64(_ what: String) throws -> UInt64 {
        try take(8, what).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A size or count: refused above 2^24, which no sane layer reaches, so a corrupt
    /// number cannot ask for a huge allocation.
    mutating func count(_ what: String) throws -> Int {
        let v = try u32(what)
        guard v <= 1 << 24 else {
            throw ConvnetError.unreadableFile(path: path, reason: "\(what) has an impossible value \(v): the file is corrupt")
        }
        return Int(v)
    }
}

extension Network {
    /// Saves the architecture and weights to `path` (format: docs/net-format.md).
    /// Writes a temporary file beside it and renames it over `path`, so a crash never
    /// leaves half a file.
    /// - Throws: `ConvnetError.unwritableFile` saying why.
    public func save(to path: String) throws {
        let bytes = NetworkFile.encode(self)
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try Data(bytes).write(to: temporary)
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw ConvnetError.unwritableFile(path: path, reason: error.localizedDescription)
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw ConvnetError.unwritableFile(path: path, reason: reason)
        }
    }

    /// Loads a net saved by `save(to:)`.
    /// - Throws: `ConvnetError.unreadableFile` for a missing, truncated, corrupt or
    ///   future-version file, saying which and what was wrong.
    public static func load(from path: String, memoryLimit: Int = Network.defaultMemoryLimit) throws -> Network {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "it cannot be read" : "there is no such file"
            throw ConvnetError.unreadableFile(path: path, reason: reason)
        }
        return try NetworkFile.decode([UInt8](data), path: path, memoryLimit: memoryLimit)
    }

    /// The saved form of the net, as bytes (what `save` writes).
    public func encoded() -> [UInt8] { NetworkFile.encode(self) }

    /// A net from the bytes `encoded()` made; `name` is used in error messages.
    public static func decode(_ bytes: [UInt8], name: String = "the data",
                              memoryLimit: Int = Network.defaultMemoryLimit) throws -> Network {
        try NetworkFile.decode(bytes, path: name, memoryLimit: memoryLimit)
    }
}
