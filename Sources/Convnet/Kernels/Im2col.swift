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

    func im2col(_ image: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>) {
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
                            out.update(repeating: 0, count: outWidth)
                            continue
                        }
                        let inRow = plane + iy * width
                        if valid.lowerBound > 0 { out.update(repeating: 0, count: valid.lowerBound) }
                        if stride == 1 {
                            (out + valid.lowerBound).update(from: inRow + (valid.lowerBound - pad + kx), count: valid.count)
                        } else {
                            for ox in valid { out[ox] = inRow[ox * stride - pad + kx] }
                        }
                        if valid.upperBound < outWidth {
                            (out + valid.upperBound).update(repeating: 0, count: outWidth - valid.upperBound)
                        }
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
