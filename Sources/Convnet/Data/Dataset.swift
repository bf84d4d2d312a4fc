/// A labelled set of images held as bytes (0...255), converted to floats one
/// batch at a time so a whole data set costs one byte a pixel.
///
/// Each image is `volume.count` bytes in depth-major order (CHW: all of the
/// first channel's rows, then the next channel's), the layout the engine's
/// tensors use. Labels are class indices into `classNames`.
///
/// Pixels and labels are `SharedArray`s: a data set loaded through the cache
/// points into a read-only file mapping that every kernel on the machine
/// shares, and `slice` makes a view, never a copy.
public struct Dataset: Sendable {
    /// Where it came from, for messages and displays ("fashion-mnist train").
    public var name: String
    /// The volume of one image: 28x28x1 for MNIST, 32x32x3 for CIFAR-10.
    public var volume: Volume
    /// `count * volume.count` bytes.
    public var pixels: SharedArray<UInt8>
    /// One class index per image.
    public var labels: SharedArray<Int>
    /// Names of the classes, indexed by label.
    public var classNames: [String]

    public init(name: String, volume: Volume, pixels: SharedArray<UInt8>, labels: SharedArray<Int>, classNames: [String]) {
        precondition(pixels.count == labels.count * volume.count, "pixels do not match labels x volume")
        self.name = name
        self.volume = volume
        self.pixels = pixels
        self.labels = labels
        self.classNames = classNames
    }

    /// A data set that owns a copy of `pixels` and `labels`.
    public init(name: String, volume: Volume, pixels: [UInt8], labels: [Int], classNames: [String]) {
        self.init(
            name: name, volume: volume, pixels: SharedArray(pixels), labels: SharedArray(labels), classNames: classNames)
    }

    public var count: Int { labels.count }

    /// The bytes of image `index` (a view).
    public func imageBytes(_ index: Int) -> SharedArray<UInt8> {
        let n = volume.count
        return pixels.slice((index * n)..<((index + 1) * n))
    }

    /// Images `range` as a data set of their own: a view of the same bytes.
    public func slice(_ range: Range<Int>) -> Dataset {
        let n = volume.count
        return Dataset(
            name: name, volume: volume, pixels: pixels.slice((range.lowerBound * n)..<(range.upperBound * n)),
            labels: labels.slice(range), classNames: classNames)
    }

    /// True when the images sit in a shared cache mapping rather than this process's heap.
    public var isShared: Bool { pixels.isMapped }
}
