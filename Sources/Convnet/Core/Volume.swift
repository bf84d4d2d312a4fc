/// The size of a layer's input or output, written as the chapter writes it:
/// width x height x depth (`28x28x1`, `24x24x8`). Tensors store it depth-major
/// (CHW): `depth` planes of `height` rows of `width` values.
public struct Volume: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    public var depth: Int

    public init(width: Int, height: Int, depth: Int) {
        self.width = width
        self.height = height
        self.depth = depth
    }

    /// `Volume(28, 28, 1)`: width, height, depth.
    public init(_ width: Int, _ height: Int, _ depth: Int) {
        self.init(width: width, height: height, depth: depth)
    }

    /// Number of values in the volume.
    public var count: Int { width * height * depth }

    /// `28x28x1`.
    public var description: String { "\(width)x\(height)x\(depth)" }
}
