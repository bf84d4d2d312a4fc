import Foundation

/// Writes MNIST-format files of 16 training and 16 test images (28x28, 10 classes) into
/// `folder/mnist` and `folder/fashion-mnist`, so `dataset("mnist")` and
/// `dataset("fashion-mnist")` load in microseconds through the language's real loader
/// (with CONVNET_DATA pointing at `folder`) and training on them stays cheap.
enum TinyDataSets {
    static let imagesPerSplit = 16

    static func write(into folder: String) throws {
        var random = SplitMix(seed: 7)
        for name in ["mnist", "fashion-mnist"] {
            let dir = folder + "/" + name
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for prefix in ["train", "t10k"] {
                var images = header(magic: 0x0000_0803, counts: [imagesPerSplit, 28, 28])
                images += (0..<(imagesPerSplit * 784)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                var labels = header(magic: 0x0000_0801, counts: [imagesPerSplit])
                labels += (0..<imagesPerSplit).map { UInt8($0 % 10) }
                try Data(images).write(to: URL(fileURLWithPath: "\(dir)/\(prefix)-images-idx3-ubyte"))
                try Data(labels).write(to: URL(fileURLWithPath: "\(dir)/\(prefix)-labels-idx1-ubyte"))
            }
        }
    }

    /// IDX: a big-endian magic number, then one big-endian 32-bit count per dimension.
    private static func header(magic: UInt32, counts: [Int]) -> [UInt8] {
        let words: [UInt32] = [magic] + counts.map { UInt32($0) }
        var bytes: [UInt8] = []
        for word in words {
            for shift: UInt32 in [24, 16, 8, 0] { bytes.append(UInt8(truncatingIfNeeded: word >> shift)) }
        }
        return bytes
    }
}

/// SplitMix64, for pixels that are the same on every run.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
