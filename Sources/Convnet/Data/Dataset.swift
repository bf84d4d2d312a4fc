/// A labelled set of images held as bytes (0...255), converted to floats one
/// batch at a time so a whole data set costs one byte a pixel.
///
/// Each image is `volume.count` bytes in depth-major order (CHW: all of the
/// first channel's rows, then the next channel's), the layout the engine's
/// tensors use. Labels are class indices into `classNames`.
public struct Dataset: Sendable {
    /// Where it came from, for messages and displays ("fashion-mnist train").
    public var name: String
    /// The volume of one image: 28x28x1 for MNIST, 32x32x3 for CIFAR-10.
    public var volume: Volume
    /// `count * volume.count` bytes.
    public var pixels: [UInt8]
    /// One class index per image.
    public var labels: [Int]
    /// Names of the classes, indexed by label.
    public var classNames: [String]

    public init(name: String, volume: Volume, pixels: [UInt8], labels: [Int], classNames: [String]) {
        precondition(pixels.count == labels.count * volume.count, "pixels do not match labels x volume")
        self.name = name
        self.volume = volume
        self.pixels = pixels
        self.labels = labels
        self.classNames = classNames
    }

    public var count: Int { labels.count }

    /// The bytes of image `index`.
    public func imageBytes(_ index: Int) -> ArraySlice<UInt8> {
        let n = volume.count
        return pixels[(index * n)..<((index + 1) * n)]
    }

    /// Images `range` as a data set of their own (a copy of their bytes).
    public func slice(_ range: Range<Int>) -> Dataset {
        let n = volume.count
        return Dataset(
            name: name, volume: volume,
            pixels: Array(pixels[(range.lowerBound * n)..<(range.upperBound * n)]),
            labels: Array(labels[range]), classNames: classNames)
    }
}
