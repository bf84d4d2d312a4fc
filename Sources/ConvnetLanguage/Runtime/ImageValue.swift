import Convnet

/// An image, a filter or an activation map: a CHW volume of floats, with the
/// label it carries (a data set's image) and a hint for how to colour it.
public struct ImageValue: Equatable, CustomStringConvertible {
    /// How the values map to colours when displayed.
    public enum Tone: Equatable {
        /// Pixels of a photo or digit: 0 is black, the largest value white.
        case pixels
        /// Weights or hand-written kernels, negative and positive: a diverging colour map.
        case signed
        /// A layer's output: scaled to its own range.
        case activation
    }

    public var volume: Volume
    /// `volume.count` values, depth-major.
    public var values: [Float]
    /// The class index, for images from a data set.
    public var label: Int?
    /// The class name, for images from a data set.
    public var labelName: String?
    public var tone: Tone

    public init(volume: Volume, values: [Float], label: Int? = nil, labelName: String? = nil, tone: Tone = .pixels) {
        precondition(values.count == volume.count, "image values do not match its volume")
        self.volume = volume
        self.values = values
        self.label = label
        self.labelName = labelName
        self.tone = tone
    }

    /// Image `index` of a data set, its bytes scaled to 0...1.
    public init(_ dataset: Dataset, index: Int) {
        let bytes = dataset.imageBytes(index)
        let label = dataset.labels[index]
        self.init(
            volume: dataset.volume, values: bytes.map { Float($0) / 255 }, label: label,
            labelName: label < dataset.classNames.count ? dataset.classNames[label] : nil)
    }

    /// Channel `c` as an image of depth 1.
    public func channel(_ c: Int) -> ImageValue {
        let plane = volume.width * volume.height
        return ImageValue(
            volume: Volume(volume.width, volume.height, 1), values: Array(values[(c * plane)..<((c + 1) * plane)]),
            tone: tone)
    }

    public var description: String {
        let what: String
        switch tone {
        case .pixels: what = "image"
        case .signed: what = "kernel"
        case .activation: what = "activation map"
        }
        var text = "\(what) \(volume)"
        if let labelName { text += " (\(labelName))" } else if let label { text += " (label \(label))" }
        return text
    }
}
