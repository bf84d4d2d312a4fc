import Foundation

extension Dataset {
    /// Loads a folder of PNG images sorted into one subfolder per class
    /// (`shoes/a.png`, `shirts/b.png`): the classes are the subfolders' names in
    /// alphabetical order.
    ///
    /// All images must have the same width and height. If any is in colour the
    /// data set is colour (depth 3) and grey images are repeated over the three
    /// planes; pass `depth: 1` to make colour images grey instead.
    ///
    /// - Parameters:
    ///   - path: The folder.
    ///   - depth: 1 or 3 to force grey or colour, nil to decide from the images.
    /// - Throws: `DataError.emptyFolder` when there are no class folders or no
    ///   PNGs, `.volumeMismatch` for an image of another size, `.badPNG` for a
    ///   file that will not decode.
    public static func loadImageFolder(path: String, depth: Int? = nil) throws -> Dataset {
        let files = FileManager.default
        let root = (path as NSString).expandingTildeInPath
        guard let entries = try? files.contentsOfDirectory(atPath: root) else {
            throw DataError.unreadable(path: root, reason: "no such folder")
        }
        let classNames = entries.filter { entry in
            var isFolder: ObjCBool = false
            return !entry.hasPrefix(".") && files.fileExists(atPath: root + "/" + entry, isDirectory: &isFolder)
                && isFolder.boolValue
        }.sorted()
        guard !classNames.isEmpty else {
            throw DataError.emptyFolder(
                path: root, reason: "no class folders; put the images of each class in a folder of its own inside it")
        }

        var images = [(label: Int, image: PNGReader.Image, path: String)]()
        for (label, className) in classNames.enumerated() {
            let folder = root + "/" + className
            let names = (try? files.contentsOfDirectory(atPath: folder)) ?? []
            for name in names.sorted() where name.lowercased().hasSuffix(".png") {
                let file = folder + "/" + name
                images.append((label, try PNGReader.read(path: file, depth: depth), file))
            }
        }
        guard let first = images.first else {
            throw DataError.emptyFolder(path: root, reason: "no .png files in its class folders")
        }

        let planes = depth ?? (images.contains { $0.image.volume.depth == 3 } ? 3 : 1)
        let volume = Volume(first.image.volume.width, first.image.volume.height, planes)
        var pixels = [UInt8]()
        pixels.reserveCapacity(images.count * volume.count)
        for (_, image, file) in images {
            guard image.volume.width == volume.width, image.volume.height == volume.height else {
                throw DataError.volumeMismatch(
                    path: file, expected: volume, found: Volume(image.volume.width, image.volume.height, image.volume.depth))
            }
            // A grey image in a colour set: the same plane three times.
            for _ in 0..<(planes / image.volume.depth) { pixels.append(contentsOf: image.pixels) }
        }
        return Dataset(
            name: (root as NSString).lastPathComponent, volume: volume, pixels: pixels,
            labels: images.map(\.label), classNames: classNames)
    }
}
