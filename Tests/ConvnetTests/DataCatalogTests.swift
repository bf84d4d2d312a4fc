import XCTest
@testable import Convnet

/// Finding data sets by name: the user's folder, $CONVNET_DATA, Debian's Fashion-MNIST.
final class DataCatalogTests: XCTestCase {
    /// Loads through the environment write their caches here, not in the user's home.
    private var cache: DataTestFolder!

    override func setUpWithError() throws {
        cache = try DataTestFolder()
        setenv(DatasetCache.folderVariable, cache.path, 1)
    }

    override func tearDown() {
        unsetenv(DatasetCache.folderVariable)
        cache = nil
    }

    /// Writes MNIST's four files (2 train, 1 test image of 3x3) into `subfolder`.
    private func writeMNIST(_ folder: DataTestFolder, subfolder: String = "", gzip: Bool) throws {
        let prefix = subfolder.isEmpty ? "" : subfolder + "/"
        let suffix = gzip ? ".gz" : ""
        for (split, count) in [("train", 2), ("t10k", 1)] {
            let pixels = DataTestFolder.imagePixels(count: count, rows: 3, columns: 3)
            try folder.write(
                "\(prefix)\(split)-images-idx3-ubyte\(suffix)",
                DataTestFolder.idx(dimensions: [count, 3, 3], data: pixels), gzip: gzip)
            try folder.write(
                "\(prefix)\(split)-labels-idx1-ubyte\(suffix)",
                DataTestFolder.idx(dimensions: [count], data: (0..<count).map { UInt8($0 + 5) }), gzip: gzip)
        }
    }

    func testLoad_mnistFromNamedFolder_bothSplits() throws {
        let folder = try DataTestFolder()
        try writeMNIST(folder, gzip: false)
        let sets = try Dataset.load(name: "MNIST", folder: folder.path)
        XCTAssertEqual(sets.train.count, 2)
        XCTAssertEqual(sets.test.count, 1)
        XCTAssertEqual(sets.train.labels, [5, 6])
        XCTAssertEqual(sets.train.classNames, (0...9).map(String.init))
        XCTAssertEqual(sets.train.name, "mnist train")
        XCTAssertEqual(sets.test.volume, Volume(3, 3, 1))
    }

    func testLoad_bothSplitsWithTestMissing_reportsTheTestFile() throws {
        let folder = try DataTestFolder()
        try writeMNIST(folder, gzip: false)
        try FileManager.default.removeItem(atPath: folder.path + "/t10k-labels-idx1-ubyte")
        XCTAssertThrowsError(try Dataset.load(name: "mnist", folder: folder.path)) { error in
            guard case .missingFile(_, let file, _, _)? = error as? DataError else { return XCTFail("got \(error)") }
            XCTAssertEqual(file, "t10k-labels-idx1-ubyte.gz")
        }
    }

    func testLoad_mnistFromDataVariableSubfolder_gzip() throws {
        let folder = try DataTestFolder()
        try writeMNIST(folder, subfolder: "mnist", gzip: true)
        let test = try Dataset.load(.mnist, split: .test, folder: nil, environment: ["CONVNET_DATA": folder.path])
        XCTAssertEqual(test.count, 1)
        XCTAssertEqual(test.labels, [5])
    }

    func testLoad_mnistWithDottedNames_asSomeMirrorsSpellThem() throws {
        let folder = try DataTestFolder()
        let pixels = DataTestFolder.imagePixels(count: 2, rows: 3, columns: 3)
        try folder.write("t10k-images.idx3-ubyte", DataTestFolder.idx(dimensions: [2, 3, 3], data: pixels))
        try folder.write("t10k-labels.idx1-ubyte", DataTestFolder.idx(dimensions: [2], data: [4, 2]))
        let test = try Dataset.load(name: "mnist", split: .test, folder: folder.path)
        XCTAssertEqual(test.labels, [4, 2])
    }

    func testLoad_folderWhereAFileShouldBe_isUnreadable() throws {
        let folder = try DataTestFolder()
        try FileManager.default.createDirectory(
            atPath: folder.path + "/sub", withIntermediateDirectories: true)
        XCTAssertThrowsError(try IDXReader.readLabels(path: folder.path + "/sub")) { error in
            XCTAssertEqual(error as? DataError, .unreadable(path: folder.path + "/sub", reason: "not a regular file"))
        }
    }

    func testLoad_mnistMissing_saysWhereItLookedAndHowToGetIt() throws {
        let folder = try DataTestFolder()
        XCTAssertThrowsError(try Dataset.load(name: "mnist", split: .train, folder: folder.path)) { error in
            guard case .missingFile(let dataset, let file, let searched, _)? = error as? DataError else {
                return XCTFail("expected missingFile, got \(error)")
            }
            XCTAssertEqual(dataset, "mnist")
            XCTAssertEqual(file, "train-images-idx3-ubyte.gz")
            XCTAssertEqual(searched.first, folder.path)
            let message = "\(error)"
            XCTAssertTrue(message.contains(folder.path) && message.contains("CONVNET_DATA"), message)
        }
    }

    func testLoad_mnistWithoutFolderOrVariable_saysNoFolderGiven() throws {
        XCTAssertThrowsError(try Dataset.load(.mnist, split: .test, folder: nil, environment: [:])) { error in
            XCTAssertTrue("\(error)".contains("no folder given"), "\(error)")
        }
    }

    func testLoad_unknownName_listsTheKnownOnes() throws {
        XCTAssertThrowsError(try Dataset.load(name: "imagenet")) { error in
            XCTAssertEqual(
                error as? DataError, .unknownDataset(name: "imagenet", known: ["fashion-mnist", "mnist", "cifar10"]))
        }
    }

    func testDatasetName_lenientSpellings() {
        XCTAssertEqual(DatasetName(lenient: "Fashion_MNIST"), .fashionMNIST)
        XCTAssertEqual(DatasetName(lenient: "CIFAR-10"), .cifar10)
        XCTAssertEqual(DatasetName(lenient: "mnist"), .mnist)
        XCTAssertNil(DatasetName(lenient: "emnist"))
    }

    func testSearchFolders_fashionFallsBackToDebian() {
        XCTAssertEqual(
            Dataset.searchFolders(for: .fashionMNIST, folder: nil, environment: [:]), ["/usr/share/datasets/fashion-mnist"])
        XCTAssertEqual(Dataset.searchFolders(for: .mnist, folder: nil, environment: [:]), [])
    }

    // MARK: The real Fashion-MNIST from Debian's package

    func testFashionMNIST_fromDebianPackage_hasTheDocumentedShape() throws {
        let folder = Dataset.debianFashionMNISTFolder
        guard FileManager.default.fileExists(atPath: folder + "/train-images-idx3-ubyte.gz") else {
            throw XCTSkip("Debian's dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist)")
        }
        let sets = try Dataset.load(.fashionMNIST, split: .train, folder: nil, environment: [:])
        let test = try Dataset.load(.fashionMNIST, split: .test, folder: nil, environment: [:])
        XCTAssertEqual(sets.count, 60000)
        XCTAssertEqual(test.count, 10000)
        XCTAssertEqual(sets.volume, Volume(28, 28, 1))
        XCTAssertEqual(test.volume, Volume(28, 28, 1))
        XCTAssertEqual(sets.classNames[7], "Sneaker")
        XCTAssertEqual(sets.classNames.count, 10)
        // Balanced classes: Fashion-MNIST has 6000 training and 1000 test images of each.
        var perClass = [Int](repeating: 0, count: 10)
        for label in test.labels { perClass[label] += 1 }
        XCTAssertEqual(perClass, [Int](repeating: 1000, count: 10))
        // Its first training image is an ankle boot (label 9), its first test image too.
        XCTAssertEqual(sets.labels[0], 9)
        XCTAssertEqual(test.labels[0], 9)
        XCTAssertGreaterThan(sets.imageBytes(0).max() ?? 0, 250, "real images reach near-white")
        XCTAssertEqual(sets.pixels.count, 60000 * 784)
    }
}
