/// im2col and its adjoint for one image, the shape conv layers hand to sgemm.
///
/// `col` is a (channels*size*size) x (outH*outW) matrix: row (c, ky, kx) holds, for every
/// output position, the input value under that filter tap, or 0 in the padding.
struct ConvGeometry {
    var channels: Int, height: Int, width: Int
    var size: Int, stride: Int, pad: Int
    var outHeight: Int, outWidth: Int

    var rows: Int { channels * size * size }
    var columns: Int { outHeight * outWidth }

    /// Output columns `ox` whose input column `ox*stride - pad + kx` lies inside the image.
    @inline(__always)
    func validColumns(kx: Int) -> Range<Int> {
        // ox*stride - pad + kx >= 0  and  < width
        let first = max(0, (pad - kx + stride - 1) / stride)
        let last = min(outWidth, (width + pad - kx + stride - 1) / stride)
        return first..<max(first, last)
    }

    /// Output columns rounded up to whole SIMD8 chunks.
    var paddedOutWidth: Int { (outWidth + 7) / 8 * 8 }
    /// Row length of a zero-padded copy of the input that whole 8-wide loads can read.
    var paddedWidth: Int { max(width + 2 * pad, paddedOutWidth + size - 1) }
    var paddedHeight: Int { height + 2 * pad }
    /// Floats of scratch `im2colStride1` needs for its padded copy of the input.
    var paddedInputCount: Int { channels * paddedHeight * paddedWidth }
    /// Floats past the end of `col` that `im2colStride1` may write (its last 8-wide store).
    static let colSlack = 8

    /// im2col for stride 1: pads the input once, then copies each output row's window as
    /// whole SIMD8 chunks. A chunk may run past the row into the next one, which the next
    /// copy overwrites, so `col` needs `colSlack` floats of room after its end.
    func im2colStride1(_ image: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>,
                       padded: UnsafeMutablePointer<Float>) {
        let (pw, ph) = (paddedWidth, paddedHeight)
        padded.update(repeating: 0, count: paddedInputCount)
        for c in 0..<channels {
            for y in 0..<height {
                let src = image + (c * height + y) * width
                let dst = padded + (c * ph + y + pad) * pw + pad
                for x in 0..<width { dst[x] = src[x] }
            }
        }
        let n = columns
        let chunks = paddedOutWidth / 8
        var row = col
        for c in 0..<channels {
            for ky in 0..<size {
                for kx in 0..<size {
                    for oy in 0..<outHeight {
                        let src = UnsafeRawPointer(padded + (c * ph + oy + ky) * pw + kx)
                        let dst = UnsafeMutableRawPointer(row + oy * outWidth)
                        for j in 0..<chunks {
                            let v = src.loadUnaligned(fromByteOffset: 32 * j, as: SIMD8<Float>.self)
                            dst.storeBytes(of: v, toByteOffset: 32 * j, as: SIMD8<Float>.self)
                        }
                    }
                    row += n
                }
            }
        }
    }

    /// col2im for stride 1, overwriting `image`: accumulates into a zero-padded plane in
    /// whole SIMD8 chunks (the lanes of a last partial chunk are multiplied by 0, and land in
    /// the padded rows' spare room), then copies the inner part out. Reads up to `colSlack`
    /// floats past the end of `col`.
    func col2imStride1(_ col: UnsafePointer<Float>, _ image: UnsafeMutablePointer<Float>,
                       padded: UnsafeMutablePointer<Float>) {
        let (pw, ph) = (paddedWidth, paddedHeight)
        padded.update(repeating: 0, count: paddedInputCount)
        let n = columns
        let chunks = paddedOutWidth / 8
        let lanes = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
        let lastMask = SIMD8<Float>(repeating: 0).replacing(with: 1, where: lanes .< Int32(outWidth - (chunks - 1) * 8))
        var row = col
        for c in 0..<channels {
            for ky in 0..<size {
                for kx in 0..<size {
                    for oy in 0..<outHeight {
                        let src = UnsafeRawPointer(row + oy * outWidth)
                        let dst = UnsafeMutableRawPointer(padded + (c * ph + oy + ky) * pw + kx)
                        for j in 0..<chunks {
                            var v = src.loadUnaligned(fromByteOffset: 32 * j, as: SIMD8<Float>.self)
                            if j == chunks - 1 { v *= lastMask }
                            let sum = dst.loadUnaligned(fromByteOffset: 32 * j, as: SIMD8<Float>.self) + v
                            dst.storeBytes(of: sum, toByteOffset: 32 * j, as: SIMD8<Float>.self)
                        }
                    }
                    row += n
                }
            }
        }
        for c in 0..<channels {
            for y in 0..<height {
                let src = padded + (c * ph + y + pad) * pw + pad
                let dst = image + (c * height + y) * width
                for x in 0..<width { dst[x] = src[x] }
            }
        }
    }

    func im2col(_ image: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>) {
        // Rows here are short (7 to 28 values), so plain loops beat memcpy/memset calls.
        let n = columns
        var row = col
        for c in 0..<channels {
            let plane = image + c * height * width
            for ky in 0..<size {
                for kx in 0..<size {
                    let valid = validColumns(kx: kx)
                    for oy in 0..<outHeight {
                        let out = row + oy * outWidth
                        let iy = oy * stride - pad + ky
                        if iy < 0 || iy >= height || valid.isEmpty {
                            for ox in 0..<outWidth { out[ox] = 0 }
                            continue
                        }
                        let inRow = plane + iy * width - pad + kx
                        for ox in 0..<valid.lowerBound { out[ox] = 0 }
                        if stride == 1 {
                            for ox in valid { out[ox] = inRow[ox] }
                        } else {
                            for ox in valid { out[ox] = inRow[ox * stride] }
                        }
                        for ox in valid.upperBound..<outWidth { out[ox] = 0 }
                    }
                    row += n
                }
            }
        }
    }

    /// Adds each entry of `col` back into the input position it came from (`image` is
    /// accumulated into, not overwritten).
    func col2imAdding(_ col: UnsafePointer<Float>, _ image: UnsafeMutablePointer<Float>) {
        let n = columns
        var row = col
        for c in 0..<channels {
            let plane = image + c * height * width
            for ky in 0..<size {
                for kx in 0..<size {
                    let valid = validColumns(kx: kx)
                    for oy in 0..<outHeight {
                        let iy = oy * stride - pad + ky
                        if iy < 0 || iy >= height { continue }
                        let src = row + oy * outWidth
                        let inRow = plane + iy * width - pad + kx
                        if stride == 1 {
                            for ox in valid { inRow[ox] += src[ox] }
                        } else {
                            for ox in valid { inRow[ox * stride] += src[ox] }
                        }
                    }
                    row += n
                }
            }
        }
    }
}
