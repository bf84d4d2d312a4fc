/// A confusion matrix as an SVG heat map: one row per true class, one column
/// per predicted class, each cell showing its count and shaded by the share
/// of its row (so a class with few examples reads as clearly as a common one).
public struct ConfusionMatrixChart: Sendable {
    /// `counts[trueClass][predictedClass]`.
    public var counts: [[Int]]
    public var classNames: [String]
    public var title: String
    /// Side of one cell in pixels.
    public var cellSize: Int
    /// A cell outlined in orange: the (true, predicted) pair whose images are shown beside it.
    public var highlight: (row: Int, column: Int)?

    /// The darkest shade, for a cell holding its whole row.
    public static let fullColor = PixelColor(red: 8, green: 69, blue: 148)

    /// - Parameters:
    ///   - counts: One row per true class; rows shorter than the class count read as zeros.
    ///   - classNames: Names for the rows and columns; missing names show the class index.
    public init(
        counts: [[Int]], classNames: [String], title: String = "Confusion matrix", cellSize: Int = 44,
        highlight: (row: Int, column: Int)? = nil
    ) {
        self.counts = counts
        self.classNames = classNames
        self.title = title
        self.cellSize = max(20, cellSize)
        self.highlight = highlight
    }

    /// The chart's size in pixels, as `svg()` draws it.
    public var size: (width: Int, height: Int) {
        let layout = self.layout
        return (max(layout.width, 240), layout.height)
    }

    private var layout: (left: Double, top: Double, width: Int, height: Int) {
        let n = classCount
        let longest = Double((0..<n).map { name($0).count }.max() ?? 1)
        let cell = Double(cellSize)
        // Room for the row names on the left and the slanted column names below.
        let left = 40 + longest * 7.2, top = 44.0
        let bottom = 26 + longest * 7.2 * 0.71 + 14
        return (left, top, Int(left + cell * Double(n) + 24), Int(top + cell * Double(n) + bottom))
    }

    private var classCount: Int { max(counts.count, classNames.count, counts.map(\.count).max() ?? 0) }

    private func name(_ index: Int) -> String { index < classNames.count ? classNames[index] : String(index) }

    private func count(_ row: Int, _ column: Int) -> Int {
        row < counts.count && column < counts[row].count ? counts[row][column] : 0
    }

    /// The chart as an SVG document.
    public func svg() -> String {
        let n = classCount
        let cell = Double(cellSize)
        let (left, top, width, height) = layout
        var svg = SVGWriter(width: max(width, 240), height: height)
        svg.text(title, x: left + cell * Double(n) / 2, y: 24, size: 15, weight: "bold")

        let fontSize = cellSize >= 40 ? 12 : 10
        for row in 0..<n {
            let total = (0..<n).reduce(0) { $0 + count(row, $1) }
            for column in 0..<n {
                let value = count(row, column)
                let share = total > 0 ? Double(value) / Double(total) : 0
                let shade = ColorMap.blend(.white, Self.fullColor, Float(share))
                let x = left + cell * Double(column), y = top + cell * Double(row)
                let percent = String(format: "%.1f", share * 100)
                svg.raw(
                    "<g><title>\(Markup.escape("true \(name(row)), predicted \(name(column)): \(value) (\(percent)% of the row)"))</title>"
                        + "<rect x=\"\(SVGWriter.number(x))\" y=\"\(SVGWriter.number(y))\" width=\"\(cellSize)\""
                        + " height=\"\(cellSize)\" fill=\"\(Self.css(shade))\" stroke=\"white\"/></g>\n")
                svg.text(String(value), x: x + cell / 2, y: y + cell / 2 + 4, size: fontSize,
                         fill: share > 0.5 ? "white" : "#222")
            }
            svg.text(name(row), x: left - 6, y: top + cell * (Double(row) + 0.5) + 4, anchor: "end")
        }
        if let (row, column) = highlight, (0..<n).contains(row), (0..<n).contains(column) {
            svg.element("rect", ["x": SVGWriter.number(left + cell * Double(column) + 1.5),
                                 "y": SVGWriter.number(top + cell * Double(row) + 1.5),
                                 "width": SVGWriter.number(cell - 3), "height": SVGWriter.number(cell - 3),
                                 "fill": "none", "stroke": "#ff7f0e", "stroke-width": "3"])
        }
        for column in 0..<n {
            let x = left + cell * (Double(column) + 0.5), y = top + cell * Double(n) + 12
            svg.text(name(column), x: x, y: y, anchor: "end", rotate: -45)
        }
        svg.text("predicted class", x: left + cell * Double(n) / 2, y: Double(height) - 8, size: 13)
        svg.text("true class", x: 14, y: top + cell * Double(n) / 2, size: 13, rotate: -90)
        return svg.document(title: title)
    }

    /// "#0845a4".
    static func css(_ color: PixelColor) -> String {
        "#" + [color.red, color.green, color.blue].map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}
