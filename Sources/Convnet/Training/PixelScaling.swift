/// How image bytes (0...255) become the floats a net sees: `x * scale + offset`.
public struct PixelScaling: Hashable, Sendable, CustomStringConvertible {
    public var scale: Float
    public var offset: Float

    public init(scale: Float, offset: Float) {
        self.scale = scale
        self.offset = offset
    }

    /// x/255 - 0.5: values in [-0.5, 0.5], the default and the benchmark's setting.
    public static let centered = PixelScaling(scale: 1 / 255, offset: -0.5)
    /// x/255: values in [0, 1].
    public static let unit = PixelScaling(scale: 1 / 255, offset: 0)

    public var description: String {
        self == .centered ? "x/255 - 0.5" : (self == .unit ? "x/255" : "x*\(scale) + \(offset)")
    }

    @inline(__always)
    func apply(_ byte: UInt8) -> Float { Float(byte) * scale + offset }
}

extension Dataset {
    /// Writes images `indices` as floats into `buffer` (NCHW) and their labels into `labels`.
    func fill(_ buffer: UnsafeMutablePointer<Float>, labels: UnsafeMutablePointer<Int>,
              indices: ArraySlice<Int>, scaling: PixelScaling) {
        let n = volume.count
        pixels.withUnsafeBufferPointer { bytes in
            var out = buffer
            var slot = 0
            for index in indices {
                let src = bytes.baseAddress! + index * n
                for j in 0..<n { out[j] = scaling.apply(src[j]) }
                labels[slot] = self.labels[index]
                out += n
                slot += 1
            }
        }
    }

    /// Image `index` as floats, CHW.
    public func image(_ index: Int, scaling: PixelScaling = .centered) -> [Float] {
        imageBytes(index).map { scaling.apply($0) }
    }

    /// Checks that this data set fits `net`: same volume, labels within its classes.
    func check(fits net: Network, what: String) throws {
        if volume != net.inputVolume {
            throw ConvnetError.inputMismatch(expected: net.inputVolume, got: volume, what: what)
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= net.classCount }) {
            throw ConvnetError.labelOutOfRange(label: labels[bad], classes: net.classCount, index: bad)
        }
    }
}
