import Foundation

/// Which half of a data set: the images to train on or the held-out test images.
public enum DatasetSplit: String, Sendable, CaseIterable {
    case train, test
}

/// A data set's training and test halves, as `Dataset.load(name:)` returns them.
public struct DataSets: Sendable {
    public var train: Dataset
    public var test: Dataset

    public init(train: Dataset, test: Dataset) {
        self.train = train
        self.test = test
    }
}

/// The data sets the loader knows by name.
public enum DatasetName: String, Sendable, CaseIterable {
    case fashionMNIST = "fashion-mnist"
    case mnist
    case cifar10

    /// Reads a name as a learner might write it: "Fashion-MNIST", "fashion_mnist",
    /// "cifar-10" and "CIFAR10" all work.
    public init?(lenient name: String) {
        let key = name.lowercased().filter { $0.isLetter || $0.isNumber }
        switch key {
        case "fashionmnist", "fashion": self = .fashionMNIST
        case "mnist": self = .mnist
        case "cifar10", "cifar": self = .cifar10
        default: return nil
        }
    }
}

extension Dataset {
    /// Where Debian's package `dataset-fashion-mnist` installs Fashion-MNIST.
    public static let debianFashionMNISTFolder = "/usr/share/datasets/fashion-mnist"

    /// The environment variable naming a folder of data sets (`mnist/`,
    /// `fashion-mnist/`, `cifar-10-batches-bin/` inside it, or the files themselves).
    public static let dataFolderVariable = "CONVNET_DATA"

    /// Fashion-MNIST's ten classes, indexed by label.
    public static let fashionMNISTClassNames = [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ]

    /// MNIST's classes: the digits.
    public static let mnistClassNames = (0...9).map(String.init)

    /// Loads both halves of a named data set.
    ///
    /// - Parameters:
    ///   - name: "fashion-mnist", "mnist" or "cifar10" (case and dashes do not matter).
    ///   - folder: Where the files are. When nil, Fashion-MNIST comes from
    ///     `$CONVNET_DATA` or Debian's package, and MNIST and CIFAR-10 from `$CONVNET_DATA`.
    /// - Throws: `DataError`, saying which file was missing or wrong and where the loader looked.
    /// - Complexity: The test split inflates on a second thread while the
    ///   training split inflates on this one (zlib is the cost: about 0.2 s for
    ///   Fashion-MNIST's 55 MB on one core).
    public static func load(name: String, folder: String? = nil) throws -> DataSets {
        let which = try datasetName(name)
        let environment = ProcessInfo.processInfo.environment
        let test = PendingLoad()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            test.result = Result { try load(which, split: .test, folder: folder, environment: environment) }
        }
        let train: Dataset
        do {
            train = try load(which, split: .train, folder: folder, environment: environment)
        } catch {
            group.wait()
            throw error
        }
        group.wait()
        return DataSets(train: train, test: try test.result!.get())
    }

    /// The result of a load on another thread; written there once, read here
    /// only after `DispatchGroup.wait`, which orders the two.
    private final class PendingLoad: @unchecked Sendable {
        var result: Result<Dataset, any Error>?
    }

    /// Loads one half of a named data set; see `load(name:folder:)`.
    public static func load(name: String, split: DatasetSplit, folder: String? = nil) throws -> Dataset {
        try load(datasetName(name), split: split, folder: folder, environment: ProcessInfo.processInfo.environment)
    }

    /// Loads one half of a data set, looking for its files as `environment` directs.
    public static func load(
        _ which: DatasetName, split: DatasetSplit, folder: String?, environment: [String: String]
    ) throws -> Dataset {
        switch which {
        case .fashionMNIST, .mnist:
            let folders = searchFolders(for: which, folder: folder, environment: environment)
            let prefix = split == .train ? "train" : "t10k"
            let howToGet = which == .fashionMNIST ? fashionMNISTHowToGet : mnistHowToGet
            let images = try findFile(
                dataset: which.rawValue, names: idxNames(prefix: prefix, kind: "images-idx3"),
                folders: folders, howToGet: howToGet)
            let labels = try findFile(
                dataset: which.rawValue, names: idxNames(prefix: prefix, kind: "labels-idx1"),
                folders: folders, howToGet: howToGet)
            let classes = which == .fashionMNIST ? fashionMNISTClassNames : mnistClassNames
            return try DatasetCache(environment: environment).load(
                key: "\(which.rawValue)-\(split.rawValue)", sources: [images, labels]
            ) {
                try loadIDX(
                    imagesPath: images, labelsPath: labels, classNames: classes, name: "\(which.rawValue) \(split.rawValue)")
            }.0
        case .cifar10:
            let paths = try cifar10Paths(split: split, folders: searchFolders(for: which, folder: folder, environment: environment))
            // The class names come from batches.meta.txt when it is there: part of the identity too.
            let meta = (paths[0] as NSString).deletingLastPathComponent + "/batches.meta.txt"
            let sources = paths + (FileManager.default.fileExists(atPath: meta) ? [meta] : [])
            return try DatasetCache(environment: environment).load(key: "cifar10-\(split.rawValue)", sources: sources) {
                try loadCIFAR10(split: split, paths: paths)
            }.0
        }
    }

    /// Loads an IDX images file and its labels file as a data set.
    ///
    /// - Throws: `DataError` for unreadable or truncated files, a wrong magic
    ///   number, counts that differ, or a label that is not a class index.
    public static func loadIDX(imagesPath: String, labelsPath: String, classNames: [String], name: String) throws -> Dataset {
        let images = try IDXReader.readImages(path: imagesPath)
        let labelBytes = try IDXReader.readLabels(path: labelsPath)
        guard labelBytes.count == images.count else {
            throw DataError.countMismatch(
                imagesPath: imagesPath, images: images.count, labelsPath: labelsPath, labels: labelBytes.count)
        }
        if let bad = labelBytes.firstIndex(where: { Int($0) >= classNames.count }) {
            throw DataError.labelOutOfRange(
                path: labelsPath, index: bad, label: Int(labelBytes[bad]), classes: classNames.count)
        }
        return Dataset(
            name: name, volume: Volume(images.columns, images.rows, 1), pixels: images.pixels,
            labels: SharedArray(labelBytes.map(Int.init)), classNames: classNames)
    }

    // MARK: Finding the files

    static func datasetName(_ name: String) throws -> DatasetName {
        guard let which = DatasetName(lenient: name) else {
            throw DataError.unknownDataset(name: name, known: DatasetName.allCases.map(\.rawValue))
        }
        return which
    }

    /// The folders to look in, in order: the one the user named, else the data
    /// folder of the environment (and the data set's subfolder there), else
    /// (Fashion-MNIST only) Debian's.
    static func searchFolders(for which: DatasetName, folder: String?, environment: [String: String]) -> [String] {
        let subfolders: [String]
        switch which {
        case .fashionMNIST: subfolders = ["fashion-mnist", "fashion_mnist", "FashionMNIST/raw"]
        case .mnist: subfolders = ["mnist", "MNIST/raw"]
        case .cifar10: subfolders = ["cifar-10-batches-bin", "cifar10", "cifar-10"]
        }
        var folders = [String]()
        if let folder {
            let expanded = (folder as NSString).expandingTildeInPath
            folders = [expanded] + subfolders.map { expanded + "/" + $0 }
        } else {
            if let data = environment[dataFolderVariable], !data.isEmpty {
                folders += subfolders.map { data + "/" + $0 } + [data]
            }
            if which == .fashionMNIST { folders.append(debianFashionMNISTFolder) }
        }
        return folders
    }

    /// MNIST's file names, gzip-compressed or not, with the dot some mirrors use.
    static func idxNames(prefix: String, kind: String) -> [String] {
        let dashed = "\(prefix)-\(kind)-ubyte"
        let dotted = dashed.replacingOccurrences(of: "s-idx", with: "s.idx")
        return [dashed + ".gz", dashed, dotted + ".gz", dotted]
    }

    /// The first of `names` that exists in the first of `folders` that has one.
    static func findFile(dataset: String, names: [String], folders: [String], howToGet: String) throws -> String {
        let files = FileManager.default
        for folder in folders {
            for name in names {
                let path = folder + "/" + name
                var isFolder: ObjCBool = false
                if files.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue { return path }
            }
        }
        throw DataError.missingFile(dataset: dataset, file: names[0], searched: folders, howToGet: howToGet)
    }

    static let fashionMNISTHowToGet =
        "Install Debian's package (sudo apt-get install dataset-fashion-mnist), or download the four"
        + " *-ubyte.gz files from https://github.com/zalandoresearch/fashion-mnist into a folder and pass"
        + " it as folder: or set CONVNET_DATA to it."
    static let mnistHowToGet =
        "Download train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and"
        + " t10k-labels-idx1-ubyte.gz (from https://yann.lecun.com/exdb/mnist/ or a mirror such as"
        + " https://ossci-datasets.s3.amazonaws.com/mnist/) into a folder and pass it as folder:,"
        + " or set CONVNET_DATA to a folder with an mnist/ folder inside."
}
