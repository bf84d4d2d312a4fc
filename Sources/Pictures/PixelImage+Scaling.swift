extension PixelImage {
    /// Each pixel as a `factor x factor` block (nearest neighbour), so a 5x5
    /// filter can be seen.
    /// - Precondition: `factor >= 1`.
    public func upscaled(by factor: Int) -> PixelImage {
        precondition(factor >= 1, "the scale factor must be at least 1")
        guard factor > 1 else { return self }
        let channels = format.channels
        let wideRow = width * factor * channels
        var out = [UInt8](repeating: 0, count: wideRow * height * factor)
        for y in 0..<height {
            let row = y * factor * wideRow
            for x in 0..<width {
                let source = (y * width + x) * channels
                for copy in 0..<factor {
                    for c in 0..<channels { out[row + (x * factor + copy) * channels + c] = pixels[source + c] }
                }
            }
            for copy in 1..<factor {
                out.withUnsafeMutableBufferPointer { buffer in
                    let base = buffer.baseAddress!
                    (base + row + copy * wideRow).update(from: base + row, count: wideRow)
                }
            }
        }
        return PixelImage(width: width * factor, height: height * factor, format: format, pixels: out)
    }

    /// The whole-number factor that makes the image's longer side about
    /// `target` pixels (at least 1): 32 for a 5x5 filter, 5 for a 28x28 digit.
    public static func legibleScale(width: Int, height: Int, target: Int = 160) -> Int {
        max(1, target / max(1, width, height))
    }

    /// A grey image with every level rounded down to an even one (128 levels),
    /// so that with a few colours added it still fits a 256-colour palette.
    public func withEvenGreyLevels() -> PixelImage {
        guard format == .grey else { return self }
        return PixelImage(width: width, height: height, format: .grey, pixels: pixels.map { $0 & 0xFE })
    }

    /// The image scaled up by `legibleScale`.
    public func upscaledToBeLegible(target: Int = 160) -> PixelImage {
        upscaled(by: Self.legibleScale(width: width, height: height, target: target))
    }
}
