/// One conv layer looking at one image: the image on the left, and for each filter
/// the filter above the activation map it makes, numbered, in rows of `columns`.
/// The chapter's "8 activation maps" figure, small enough for a widget's view.
public struct LayerMapsPicture: Sendable {
    /// The input as drawn (the caller knows whether it is pixels or a map).
    public var input: PixelImage
    public var inputTitle: String
    /// One row-major array per filter, or none when the filters are deeper than one
    /// channel (a second conv layer's 5x5x8) and only the maps are drawn.
    public var filters: [[Float]]
    public var filterWidth: Int
    public var filterHeight: Int
    public var maps: [[Float]]
    public var mapWidth: Int
    public var mapHeight: Int
    public var title: String
    public var columns: Int

    /// Side, in pixels, that filters and maps are both scaled up to, so they line up.
    public static let cellSide = 72

    public init(
        input: PixelImage, inputTitle: String, filters: [[Float]], filterWidth: Int, filterHeight: Int, maps: [[Float]],
        mapWidth: Int, mapHeight: Int, title: String, columns: Int = 8
    ) {
        self.input = input
        self.inputTitle = inputTitle
        self.filters = filters
        self.filterWidth = filterWidth
        self.filterHeight = filterHeight
        self.maps = maps
        self.mapWidth = mapWidth
        self.mapHeight = mapHeight
        self.title = title
        self.columns = max(1, columns)
    }

    public func render() -> PixelImage {
        let filterScale = PixelImage.legibleScale(width: filterWidth, height: filterHeight, target: Self.cellSide)
        let mapScale = PixelImage.legibleScale(width: mapWidth, height: mapHeight, target: Self.cellSide)
        let pairs = maps.indices.map { i -> PixelImage in
            let map = PixelImage(values: maps[i], width: mapWidth, height: mapHeight, colorMap: .grey())
                .withEvenGreyLevels().upscaled(by: mapScale).framed()
            guard i < filters.count else { return map }
            let filter = PixelImage(values: filters[i], width: filterWidth, height: filterHeight, colorMap: .diverging())
                .upscaled(by: filterScale).framed()
            return PixelImage.stacked([filter, map], gap: 4, alignment: .center)
        }
        let grid = ImageGrid(columns: min(columns, max(1, pairs.count)), gap: 6)
            .render(pairs, labels: pairs.indices.map { "\($0 + 1)" })
        let caption = filters.isEmpty ? "maps" : "filters (blue -, red +) and their maps"
        let left = input.titled(inputTitle)
        return PixelImage.row([left.padded(6), grid.titled(caption)], gap: 12).titled(title)
    }
}
