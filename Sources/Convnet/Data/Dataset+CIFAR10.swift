import Foundation

extension Dataset {
    /// CIFAR-10's classes, as its batches.meta.txt lists them.
    public static let cifar10ClassNames = [
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
    ]

    /// Bytes in one record of CIFAR-10's binary format: a label byte, then a
    /// 32x32 colour image as 1024 red, 1024 green and 1024 blue bytes (CHW).
    static let cifarRecordSize = 1 + 3072

    /// Reads CIFAR-10 binary batch files (raw or gzip-compressed) as one data set.
    ///
    /// - Parameters:
    ///   - paths: Batch files, read in order; each is a whole number of 3073-byte records.
    ///   - classNames: The classes; labels must index them.
    ///   - name: The data set's name for displays.
    /// - Throws: `DataError.truncated` for an empty file or one that ends inside
    ///   a record, `.labelOutOfRange` for a label byte that is not a class.
    public static func loadCIFAR10Batches(paths: [String], classNames: [String] = cifar10ClassNames, name: String) throws -> Dataset {
        let imageSize = cifarRecordSize - 1
        var pixels = [UInt8]()
        var labels = [Int]()
        for path in paths {
            let reader = try CompressedFileReader(path: path)
            let bytes = try reader.readToEnd()
            let records = bytes.count / cifarRecordSize
            guard records > 0, bytes.count % cifarRecordSize == 0 else {
                let whole = max(records + 1, 1) * cifarRecordSize
                throw DataError.truncated(path: path, expectedBytes: whole, foundBytes: bytes.count)
            }
            pixels.reserveCapacity(pixels.count + records * imageSize)
            labels.reserveCapacity(labels.count + records)
            for r in 0..<records {
                let start = r * cifarRecordSize
                let label = Int(bytes[start])
                guard label < classNames.count else {
                    throw DataError.labelOutOfRange(path: path, index: r, label: label, classes: classNames.count)
                }
                labels.append(label)
                pixels.append(contentsOf: bytes[(start + 1)..<(start + cifarRecordSize)])
            }
        }
        return Dataset(name: name, volume: Volume(32, 32, 3), pixels: pixels, labels: labels, classNames: classNames)
    }

    /// Finds CIFAR-10's batch files of one split in `folders`.
    static func cifar10Paths(split: DatasetSplit, folders: [String]) throws -> [String] {
        let batchNames = split == .train ? (1...5).map { "data_batch_\($0).bin" } : ["test_batch.bin"]
        return try batchNames.map { batch in
            try findFile(dataset: "cifar10", names: [batch, batch + ".gz"], folders: folders, howToGet: cifar10HowToGet)
        }
    }

    /// Loads one split of CIFAR-10 from its batch files.
    static func loadCIFAR10(split: DatasetSplit, paths: [String]) throws -> Dataset {
        let folder = (paths[0] as NSString).deletingLastPathComponent
        return try loadCIFAR10Batches(
            paths: paths, classNames: cifar10ClassNames(folder: folder), name: "cifar10 \(split.rawValue)")
    }

    /// The class names from `batches.meta.txt` beside the batches (one a line),
    /// or the standard ten when that file is absent or has fewer than ten.
    static func cifar10ClassNames(folder: String) -> [String] {
        guard let text = try? String(contentsOfFile: folder + "/batches.meta.txt", encoding: .utf8) else {
            return cifar10ClassNames
        }
        let names = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        return names.count >= 10 ? Array(names.prefix(10)) : cifar10ClassNames
    }

    static let cifar10HowToGet =
        "Download https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz, unpack it"
        + " (tar xzf cifar-10-binary.tar.gz makes cifar-10-batches-bin/), and pass that folder as folder:"
        + " or set CONVNET_DATA to the folder that holds it."
}
