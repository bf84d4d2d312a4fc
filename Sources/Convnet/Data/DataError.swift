import Foundation

/// What can go wrong while loading a data set, each case with a message that
/// says which file, what was wrong, and what to do about it.
public enum DataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No data set of that name; `known` lists the names there are.
    case unknownDataset(name: String, known: [String])
    /// A file the data set needs is in none of the places the loader looked.
    case missingFile(dataset: String, file: String, searched: [String], howToGet: String)
    /// A file exists but cannot be opened or read.
    case unreadable(path: String, reason: String)
    /// A file ends before the data its header (or format) promises.
    case truncated(path: String, expectedBytes: Int, foundBytes: Int)
    /// A file is not of the kind expected (an IDX magic number that does not
    /// match, a labels file where the images should be).
    case wrongMagic(path: String, expected: String, found: String)
    /// An IDX header that cannot be right (zero dimensions, absurd sizes).
    case badHeader(path: String, reason: String)
    /// The labels file and the images file disagree about how many there are.
    case countMismatch(imagesPath: String, images: Int, labelsPath: String, labels: Int)
    /// A label that is not a class of the data set.
    case labelOutOfRange(path: String, index: Int, label: Int, classes: Int)
    /// A PNG that libpng cannot decode.
    case badPNG(path: String, reason: String)
    /// Images of one data set that do not share a volume.
    case volumeMismatch(path: String, expected: Volume, found: Volume)
    /// A folder of images with nothing usable in it.
    case emptyFolder(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownDataset(name, known):
            return "unknown data set \"\(name)\"; the data sets are: \(known.joined(separator: ", "))"
        case let .missingFile(dataset, file, searched, howToGet):
            let places = searched.isEmpty ? "nowhere (no folder given)" : searched.joined(separator: ", ")
            return "\(dataset): cannot find \(file); looked in \(places). \(howToGet)"
        case let .unreadable(path, reason):
            return "cannot read \(path): \(reason)"
        case let .truncated(path, expected, found):
            return "\(path) is truncated: expected \(expected) bytes of data but it ends after \(found)."
                + " Download it again; an interrupted download leaves a short file."
        case let .wrongMagic(path, expected, found):
            return "\(path) is not the file expected: its header says \(found), expected \(expected)."
                + " Check that the images and labels files are not swapped or renamed."
        case let .badHeader(path, reason):
            return "\(path) has a header that cannot be right: \(reason)"
        case let .countMismatch(imagesPath, images, labelsPath, labels):
            return "\(imagesPath) holds \(images) images but \(labelsPath) holds \(labels) labels;"
                + " the two files must come from the same split (train or test)."
        case let .labelOutOfRange(path, index, label, classes):
            return "\(path): label \(label) of item \(index) is out of range; labels must be 0 to \(classes - 1)."
        case let .badPNG(path, reason):
            return "\(path) is not a PNG that can be decoded: \(reason)"
        case let .volumeMismatch(path, expected, found):
            return "\(path) is \(found) but the data set's images are \(expected); all images of a data set must have the same size."
        case let .emptyFolder(path, reason):
            return "\(path): \(reason)"
        }
    }
}

extension DataError: LocalizedError {
    /// The same message, for code that reads `localizedDescription`.
    public var errorDescription: String? { description }
}
