import XCTest
@testable import Convnet

/// Plain references computed in Double, each value with the sum of the absolute values of
/// its terms: a float computation of the same sum in any order, with any instruction set or
/// BLAS kernel, lands within a few float roundings of that size (about 6e-8 each), so the
/// comparisons below hold on every x86-64 CPU.
struct ExactSums {
    var value: [Double]
    var magnitude: [Double]

    init(count: Int) {
        value = [Double](repeating: 0, count: count)
        magnitude = [Double](repeating: 0, count: count)
    }

    mutating func add(_ term: Double, at i: Int) {
        value[i] += term
        magnitude[i] += abs(term)
    }

    /// conv(x) + bias for `images` images, NCHW, weights filters x channels x size x size.
    static func conv(_ x: [Float], images: Int, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                     filters: Int, _ g: ConvGeometry) -> ExactSums {
        let (inCount, outCount) = (g.channels * g.height * g.width, filters * g.columns)
        var sums = ExactSums(count: images * outCount)
        for i in 0..<images {
            for f in 0..<filters {
                for oy in 0..<g.outHeight {
                    for ox in 0..<g.outWidth {
                        let o = i * outCount + f * g.columns + oy * g.outWidth + ox
                        if let bias { sums.add(Double(bias[f]), at: o) }
                        for c in 0..<g.channels {
                            for ky in 0..<g.size {
                                let iy = oy * g.stride - g.pad + ky
                                guard iy >= 0 && iy < g.height else { continue }
                                for kx in 0..<g.size {
                                    let ix = ox * g.stride - g.pad + kx
                                    guard ix >= 0 && ix < g.width else { continue }
                                    let w = Double(weights[((f * g.channels + c) * g.size + ky) * g.size + kx])
                                    sums.add(w * Double(x[i * inCount + (c * g.height + iy) * g.width + ix]), at: o)
                                }
                            }
                        }
                    }
                }
            }
        }
        return sums
    }

    /// Backward of a conv for `images` images: dX (each input pixel's sum of w * dOut over
    /// the outputs that read it) and dW, dBias summed over the images, starting from `start`.
    static func convBackward(_ x: [Float], _ dOut: [Float], images: Int, weights: UnsafePointer<Float>, hasBias: Bool,
                             filters: Int, start: [Float], _ g: ConvGeometry) -> (dX: ExactSums, dW: ExactSums) {
        let (inCount, outCount) = (g.channels * g.height * g.width, filters * g.columns)
        var dX = ExactSums(count: images * inCount)
        var dW = ExactSums(count: start.count)
        for (j, v) in start.enumerated() { dW.add(Double(v), at: j) }
        for i in 0..<images {
            for f in 0..<filters {
                for oy in 0..<g.outHeight {
                    for ox in 0..<g.outWidth {
                        let d = Double(dOut[i * outCount + f * g.columns + oy * g.outWidth + ox])
                        if hasBias { dW.add(d, at: filters * g.rows + f) }
                        for c in 0..<g.channels {
                            for ky in 0..<g.size {
                                let iy = oy * g.stride - g.pad + ky
                                guard iy >= 0 && iy < g.height else { continue }
                                for kx in 0..<g.size {
                                    let ix = ox * g.stride - g.pad + kx
                                    guard ix >= 0 && ix < g.width else { continue }
                                    let wi = ((f * g.channels + c) * g.size + ky) * g.size + kx
                                    let xi = i * inCount + (c * g.height + iy) * g.width + ix
                                    dX.add(Double(weights[wi]) * d, at: xi)
                                    dW.add(Double(x[xi]) * d, at: wi)
                                }
                            }
                        }
                    }
                }
            }
        }
        return (dX, dW)
    }

    /// col2im: each input pixel the sum of the col entries that read it.
    static func col2im(_ col: [Float], _ g: ConvGeometry) -> ExactSums {
        var sums = ExactSums(count: g.channels * g.height * g.width)
        for c in 0..<g.channels {
            for ky in 0..<g.size {
                for kx in 0..<g.size {
                    let row = (c * g.size + ky) * g.size + kx
                    for oy in 0..<g.outHeight {
                        let iy = oy * g.stride - g.pad + ky
                        guard iy >= 0 && iy < g.height else { continue }
                        for ox in 0..<g.outWidth {
                            let ix = ox * g.stride - g.pad + kx
                            guard ix >= 0 && ix < g.width else { continue }
                            sums.add(Double(col[row * g.columns + oy * g.outWidth + ox]), at: (c * g.height + iy) * g.width + ix)
                        }
                    }
                }
            }
        }
        return sums
    }
}

/// Asserts every `got[i]` lies within `relative * magnitude[i]` of the exact value (plus a
/// hair for sums of nothing), listing the first few that do not.
func assertWithinRounding(_ got: [Float], _ exact: ExactSums, relative: Double = 1e-5, _ what: String,
                          file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(got.count, exact.value.count, "\(what): count", file: file, line: line)
    var misses: [String] = []
    var missCount = 0
    for i in 0..<min(got.count, exact.value.count) {
        let error = abs(Double(got[i]) - exact.value[i])
        let budget = relative * exact.magnitude[i] + 1e-30
        if !(error <= budget) {
            missCount += 1
            if misses.count < 5 {
                misses.append("[\(i)] got \(got[i]), exact \(exact.value[i]), error \(error) > \(budget) (sum of |terms| \(exact.magnitude[i]))")
            }
        }
    }
    XCTAssertEqual(missCount, 0, "\(what): \(missCount) values off by more than \(relative) of their terms' size; first: \n"
                   + misses.joined(separator: "\n"), file: file, line: line)
}
