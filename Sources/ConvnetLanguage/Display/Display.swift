import Jupyter

/// How a value shows in a notebook: a mime bundle with text/plain always, plus
/// image/png, image/svg+xml or text/html where the value has a richer face.
public enum Display {
    public static func bundle(for value: Value) -> MimeBundle {
        switch value {
        case .table(let table):
            return MimeBundle(data: ["text/plain": .string(table.plainText), "text/html": .string(table.html)])
        default:
            return .text(value.repr)
        }
    }
}
