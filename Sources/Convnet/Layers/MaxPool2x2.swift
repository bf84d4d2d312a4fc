/// The 2x2 stride-2 max pool (every net of the chapter uses it), in SIMD over NCHW planes.
///
/// Each step takes 8 columns of a pair of rows (one AVX register a row) to 4 outputs. A row's
/// last step overlaps the one before it rather than running a scalar tail: it recomputes, and
/// rewrites with the same values, outputs already done, which is harmless because windows do
/// not overlap. Rows of fewer than 4 outputs (a 7x7 input) run the scalar loop.
/// Odd last rows and columns are in no window (forward drops them, backward gives them 0).
/// The first maximum in row-major order (top-left, top-right, bottom-left, bottom-right)
/// takes the gradient, as in the general loop.
enum MaxPool2x2 {
    static func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                        planes: Int, width inW: Int, height inH: Int) {
        let (outW, outH) = (inW / 2, inH / 2)
        for p in 0..<planes {
            let src = x + p * inW * inH
            let dst = y + p * outW * outH
            for oy in 0..<outH {
                let top = src + 2 * oy * inW
                let bottom = top + inW
                let out = dst + oy * outW
                guard outW >= 4 else {
                    for ox in 0..<outW {
                        out[ox] = max(max(top[2 * ox], top[2 * ox + 1]), max(bottom[2 * ox], bottom[2 * ox + 1]))
                    }
                    continue
                }
                var ox = 0
                while true {
                    let o = min(ox, outW - 4)
                    let v = maximum(load8(top + 2 * o), load8(bottom + 2 * o))
                    store(maximum(v.evenHalf, v.oddHalf), out + o)
                    if o == outW - 4 { break }
                    ox += 4
                }
            }
        }
    }

    /// dX of every cell: dY where the cell is its window's first maximum (y), else 0.
    static func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dY: UnsafePointer<Float>,
                         _ dX: UnsafeMutablePointer<Float>, planes: Int, width inW: Int, height inH: Int) {
        let (outW, outH) = (inW / 2, inH / 2)
        for p in 0..<planes {
            let src = x + p * inW * inH
            let dSrc = dX + p * inW * inH
            let out = y + p * outW * outH
            let dOut = dY + p * outW * outH
            for oy in 0..<outH {
                let top = 2 * oy * inW
                let (m, g) = (out + oy * outW, dOut + oy * outW)
                if outW >= 4 {
                    var ox = 0
                    while true {
                        let o = min(ox, outW - 4)
                        step(src + top + 2 * o, load4(m + o), load4(g + o), dSrc + top + 2 * o, width: inW)
                        if o == outW - 4 { break }
                        ox += 4
                    }
                } else {
                    for ox in 0..<outW {
                        scalarStep(src + top + 2 * ox, m[ox], g[ox], dSrc + top + 2 * ox, width: inW)
                    }
                }
                if inW > 2 * outW {
                    dSrc[top + inW - 1] = 0
                    dSrc[top + 2 * inW - 1] = 0
                }
            }
            (dSrc + 2 * outH * inW).update(repeating: 0, count: (inH - 2 * outH) * inW)
        }
    }

    /// Four windows: which of each window's cells first equals its maximum, without branches.
    @inline(__always)
    private static func step(_ x: UnsafePointer<Float>, _ m: SIMD4<Float>, _ g: SIMD4<Float>,
                             _ dX: UnsafeMutablePointer<Float>, width: Int) {
        let (top, bottom) = (load8(x), load8(x + width))
        let e0 = top.evenHalf .== m
        let e1 = top.oddHalf .== m
        let e2 = bottom.evenHalf .== m
        let zero = SIMD4<Float>()
        let topLeft = zero.replacing(with: g, where: e0)
        let topRight = zero.replacing(with: g, where: e1 .& .!e0)
        let inTop = e0 .| e1
        let bottomLeft = zero.replacing(with: g, where: e2 .& .!inTop)
        let bottomRight = g.replacing(with: 0, where: inTop .| e2)
        store(interleave(topLeft, topRight), dX)
        store(interleave(bottomLeft, bottomRight), dX + width)
    }

    /// One window; 0/1 integers rather than && and ?:, so it compiles without branches
    /// (the comparisons are unpredictable, and mispredictions dominated this loop).
    @inline(__always)
    private static func scalarStep(_ x: UnsafePointer<Float>, _ m: Float, _ g: Float,
                                   _ dX: UnsafeMutablePointer<Float>, width: Int) {
        let e0 = bit(x[0] == m), e1 = bit(x[1] == m), e2 = bit(x[width] == m)
        let t1 = (1 - e0) & e1
        let t2 = (1 - e0) & (1 - e1) & e2
        let t3 = (1 - e0) & (1 - e1) & (1 - e2)
        dX[0] = g * Float(e0)
        dX[1] = g * Float(t1)
        dX[width] = g * Float(t2)
        dX[width + 1] = g * Float(t3)
    }

    @inline(__always)
    private static func bit(_ b: Bool) -> Int32 { Int32(unsafeBitCast(b, to: UInt8.self)) }

    // One vmaxps each (the standard library's pointwiseMax handles NaN lane by lane, in scalar
    // code). Concrete types, not generic over SIMD: a generic .> runs the protocol's lane loop.
    @inline(__always)
    private static func maximum(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        b.replacing(with: a, where: a .> b)
    }

    @inline(__always)
    private static func maximum(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
        b.replacing(with: a, where: a .> b)
    }

    @inline(__always)
    private static func interleave(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD8<Float> {
        SIMD8(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3])
    }

    @inline(__always)
    private static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    private static func load4(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
    }

    @inline(__always)
    private static func store<V: SIMD>(_ v: V, _ p: UnsafeMutablePointer<Float>) where V.Scalar == Float {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }
}
