/// A small seeded pseudo-random generator (SplitMix64, Steele, Lea and Flood 2014).
///
/// The engine's own generator rather than the system's, so that initialisation,
/// shuffling and dropout are bit-for-bit the same on every run and machine.
/// `bench/train_torch.py` implements the same generator to reproduce the shuffled order.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The generator's output function: a bijective scramble of 64 bits, also used
    /// as a stateless hash (dropout masks are a hash of seed, step and position).
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform Double in [0, 1) from the top 53 bits.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A standard normal sample (Box-Muller; one of the pair is dropped for simplicity).
    public mutating func nextGaussian() -> Double {
        let u1 = max(nextUnitDouble(), 1e-300)
        let u2 = nextUnitDouble()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// A uniform integer in `0..<bound` by rejection (no modulo bias), as
    /// `bench/train_torch.py` reproduces it.
    public mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        let limit = UInt64.max - UInt64.max % b
        while true {
            let r = next()
            if r < limit { return Int(r % b) }
        }
    }

    /// `0..<count` in a seeded Fisher-Yates order: element i swaps with a uniform j in 0...i,
    /// walking i down from count - 1.
    public static func shuffledIndices(count: Int, seed: UInt64) -> [Int] {
        var rng = SplitMix64(seed: seed)
        var order = Array(0..<count)
        var i = count - 1
        while i > 0 {
            let j = rng.nextIndex(below: i + 1)
            order.swapAt(i, j)
            i -= 1
        }
        return order
    }
}

import Foundation
@inline(__always) private func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
