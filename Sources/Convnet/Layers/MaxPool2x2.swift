/// The 2x2 stride-2 max pool (every net of the chapter uses it), in SIMD over NCHW planes.
///
/// Each step takes 8 columns of a pair of rows (one AVX register a row) to 4 outputs. A row's
/// last step overlaps the one before it rather than running a scalar tail: it recomputes, and
/// rewrites with the same values, outputs already done, which is harmless because windows do
/// not overlap. Rows of fewer than 4 outputs (net B's 7x7 planes) take one step too, from
/// the row's start: its loads run into the next row and its stores spill over cells that a
/// later step writes again, so it runs only where that stays inside this call's buffers.
/// Odd last rows and columns are in no window (forward drops them, backward gives them 0).
/// The first maximum in row-major order (top-left, top-right, bottom-left, bottom-right)
/// takes the gradient, as in the general loop.
enum MaxPool2x2 {
    /// Every output is raised to `floor` at least (-infinity: none; 0: a relu done after).
    static func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                        planes: Int, width inW: Int, height inH: Int, floor: Float = -.infinity) {
        let (outW, outH) = (inW / 2, inH / 2)
        let lowest = SIMD4<Float>(repeating: floor)
        let (inCount, outCount) = (planes * inW * inH, planes * outW * outH)
        for p in 0..<planes {
            for oy in 0..<outH {
                let top = p * inW * inH + 2 * oy * inW
                let out = p * outW * outH + oy * outW
                if outW >= 4 {
                    var ox = 0
                    while true {
                        let o = min(ox, outW - 4)
                        store(maximum(lowest, outputs(x + top + 2 * o, width: inW)), y + out + o)
                        if o == outW - 4 { break }
                        ox += 4
                    }
                } else if top + inW + 8 <= inCount && out + 4 <= outCount {
                    store(maximum(lowest, outputs(x + top, width: inW)), y + out)
                } else {
                    for ox in 0..<outW {
                        let (a, b) = (x + top + 2 * ox, x + top + inW + 2 * ox)
                        y[out + ox] = max(max(max(a[0], a[1]), max(b[0], b[1])), floor)
                    }
                }
            }
        }
    }

    /// dX of every cell: dY where the cell is its window's first maximum (y), else 0; with
    /// `passingOnlyAboveZero`, 0 too where y is not above 0 (a relu's backward, see PoolLayer).
    static func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dY: UnsafePointer<Float>,
                         _ dX: UnsafeMutablePointer<Float>, planes: Int, width inW: Int, height inH: Int,
                         passingOnlyAboveZero gated: Bool = false) {
        let (outW, outH) = (inW / 2, inH / 2)
        // The gradient a window passes on: all of it, or where the window's output is above 0.
        @inline(__always) func passed(_ m: SIMD4<Float>, _ g: SIMD4<Float>) -> SIMD4<Float> {
            gated ? SIMD4<Float>().replacing(with: g, where: m .> SIMD4<Float>()) : g
        }
        let (inCount, outCount) = (planes * inW * inH, planes * outW * outH)
        // A narrow row's step: lanes past its last window (the odd column, the next row) get 0.
        let inWindow = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) .< SIMD8(repeating: Int32(2 * outW))
        for p in 0..<planes {
            let plane = p * inW * inH
            for oy in 0..<outH {
                let top = plane + 2 * oy * inW
                let out = p * outW * outH + oy * outW
                if outW >= 4 {
                    var ox = 0
                    while true {
                        let o = min(ox, outW - 4)
                        let m = load4(y + out + o)
                        let d = gradients(x + top + 2 * o, m, passed(m, load4(dY + out + o)), width: inW)
                        store(d.top, dX + top + 2 * o)
                        store(d.bottom, dX + top + inW + 2 * o)
                        if o == outW - 4 { break }
                        ox += 4
                    }
                } else if top + inW + 8 <= inCount && out + 4 <= outCount {
                    let m = load4(y + out)
                    let d = gradients(x + top, m, passed(m, load4(dY + out)), width: inW)
                    // The top row's spill into the bottom row is written again just after.
                    store(d.top.replacing(with: 0, where: .!inWindow), dX + top)
                    store(d.bottom.replacing(with: 0, where: .!inWindow), dX + top + inW)
                } else {
                    for ox in 0..<outW {
                        let m = y[out + ox]
                        scalarStep(x + top + 2 * ox, m, gated && !(m > 0) ? 0 : dY[out + ox], dX + top + 2 * ox, width: inW)
                    }
                }
                if inW > 2 * outW {
                    dX[top + inW - 1] = 0
                    dX[top + 2 * inW - 1] = 0
                }
            }
            if inH > 2 * outH { zeroRow(dX + plane + 2 * outH * inW, count: inW) }
        }
    }

    /// An odd last row, in SIMD stores (no call per plane).
    @inline(__always)
    private static func zeroRow(_ p: UnsafeMutablePointer<Float>, count: Int) {
        if count >= 8 {
            for i in Swift.stride(from: 0, to: count - 8, by: 8) { store(SIMD8<Float>(), p + i) }
            store(SIMD8<Float>(), p + count - 8)
        } else if count >= 4 {
            store(SIMD4<Float>(), p)
            store(SIMD4<Float>(), p + count - 4)
        } else {
            for i in 0..<count { p[i] = 0 }
        }
    }

    /// The maxima of four windows side by side, the first at x.
    @inline(__always)
    private static func outputs(_ x: UnsafePointer<Float>, width: Int) -> SIMD4<Float> {
        let v = maximum(load8(x), load8(x + width))
        return maximum(v.evenHalf, v.oddHalf)
    }

    /// Four windows' cells, top row and bottom row: g where the cell first equals its
    /// window's maximum m, else 0, without branches.
    @inline(__always)
    private static func gradients(_ x: UnsafePointer<Float>, _ m: SIMD4<Float>, _ g: SIMD4<Float>,
                                  width: Int) -> (top: SIMD8<Float>, bottom: SIMD8<Float>) {
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
        return (interleave(topLeft, topRight), interleave(bottomLeft, bottomRight))
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
