/// A line chart as SVG, for loss and accuracy curves: one or more series
/// against a shared x axis, each on the left axis or on a right axis of its
/// own (so loss and accuracy, on different scales, share one chart).
public struct LineChart: Sendable {
    /// Which vertical axis a series is measured against.
    public enum Axis: Sendable { case left, right }

    /// One curve.
    public struct Series: Sendable {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        public var axis: Axis
        /// A CSS colour; nil takes the next of the chart's palette.
        public var color: String?

        /// A curve through (`x[i]`, `y[i]`); with no `x`, through (1, y[0]), (2, y[1]), ...
        /// Points where either value is not finite are left out, breaking the line.
        public init(name: String, y: [Double], x: [Double]? = nil, axis: Axis = .left, color: String? = nil) {
            self.name = name
            self.y = y
            self.x = x ?? y.indices.map { Double($0 + 1) }
            self.axis = axis
            self.color = color
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    /// The right axis's label, when a series uses it.
    public var rightLabel: String
    public var series: [Series]
    public var width: Int
    public var height: Int

    /// Colours of series without their own: blue, orange, green, red (Tableau's).
    public static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"]

    public init(
        title: String, xLabel: String = "", yLabel: String = "", rightLabel: String = "", series: [Series],
        width: Int = 640, height: Int = 360
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.rightLabel = rightLabel
        self.series = series
        self.width = max(200, width)
        self.height = max(150, height)
    }

    /// The chart as an SVG document (UTF-8 text with a viewBox, width and height).
    public func svg() -> String {
        let usesRight = series.contains { $0.axis == .right }
        let left = 64.0, right = usesRight ? 64.0 : 24.0, top = 56.0, bottom = 52.0
        let plotWidth = Double(width) - left - right, plotHeight = Double(height) - top - bottom
        var svg = SVGWriter(width: width, height: height)
        svg.text(title, x: Double(width) / 2, y: 22, size: 15, weight: "bold")

        let points = series.map { s in
            zip(s.x, s.y).filter { $0.0.isFinite && $0.1.isFinite }
        }
        let allX = points.flatMap { $0.map(\.0) }
        let xTicks = AxisTicks.nice(low: allX.min() ?? 0, high: allX.max() ?? 1, count: 6)
        func yTicks(_ axis: Axis) -> (values: [Double], step: Double) {
            let ys = zip(series, points).filter { $0.0.axis == axis }.flatMap { $0.1.map(\.1) }
            return AxisTicks.nice(low: ys.min() ?? 0, high: ys.max() ?? 1, count: 5)
        }
        let leftTicks = yTicks(.left), rightTicks = yTicks(.right)

        func px(_ x: Double) -> Double {
            left + (x - xTicks.values.first!) / (xTicks.values.last! - xTicks.values.first!) * plotWidth
        }
        func py(_ y: Double, _ ticks: [Double]) -> Double {
            top + plotHeight - (y - ticks.first!) / (ticks.last! - ticks.first!) * plotHeight
        }

        // Grid lines and tick labels.
        for value in leftTicks.values {
            let y = py(value, leftTicks.values)
            svg.element("line", ["x1": n(left), "y1": n(y), "x2": n(left + plotWidth), "y2": n(y), "stroke": "#e5e5e5"])
            svg.text(AxisTicks.label(value, step: leftTicks.step), x: left - 6, y: y + 4, anchor: "end")
        }
        if usesRight {
            for value in rightTicks.values {
                svg.text(AxisTicks.label(value, step: rightTicks.step), x: left + plotWidth + 6,
                         y: py(value, rightTicks.values) + 4, anchor: "start")
            }
        }
        for value in xTicks.values {
            let x = px(value)
            svg.element("line", ["x1": n(x), "y1": n(top + plotHeight), "x2": n(x), "y2": n(top + plotHeight + 4), "stroke": "#444"])
            svg.text(AxisTicks.label(value, step: xTicks.step), x: x, y: top + plotHeight + 18)
        }
        svg.element("rect", ["x": n(left), "y": n(top), "width": n(plotWidth), "height": n(plotHeight),
                             "fill": "none", "stroke": "#444"])

        // Axis titles.
        svg.text(xLabel, x: left + plotWidth / 2, y: Double(height) - 10, size: 13)
        svg.text(yLabel, x: 16, y: top + plotHeight / 2, size: 13, rotate: -90)
        if usesRight { svg.text(rightLabel, x: Double(width) - 12, y: top + plotHeight / 2, size: 13, rotate: 90) }

        // The curves, then a legend above the plot.
        var legendX = left
        for (index, (s, pts)) in zip(series, points).enumerated() {
            let color = s.color ?? Self.palette[index % Self.palette.count]
            let ticks = s.axis == .left ? leftTicks.values : rightTicks.values
            if pts.count == 1 {
                svg.element("circle", ["cx": n(px(pts[0].0)), "cy": n(py(pts[0].1, ticks)), "r": "3", "fill": color])
            } else if pts.count > 1 {
                let shown = Self.thinned(pts, buckets: Int(plotWidth))
                let path = shown.map { "\(n(px($0.0))),\(n(py($0.1, ticks)))" }.joined(separator: " ")
                svg.element("polyline", ["points": path, "fill": "none", "stroke": color, "stroke-width": "2",
                                         "stroke-linejoin": "round"])
            }
            svg.element("line", ["x1": n(legendX), "y1": "40", "x2": n(legendX + 18), "y2": "40", "stroke": color,
                                 "stroke-width": "3"])
            let label = s.axis == .right && !usesRightOnly ? "\(s.name) (right axis)" : s.name
            svg.text(label, x: legendX + 24, y: 44, anchor: "start")
            legendX += 24 + Double(label.count) * 7 + 20
        }
        if points.allSatisfy(\.isEmpty) {
            svg.text("no data yet", x: left + plotWidth / 2, y: top + plotHeight / 2, size: 13, fill: "#888")
        }
        return svg.document(title: title)
    }

    /// At most about two points per bucket (pixel column): each bucket's
    /// lowest and highest, in order, so a long noisy loss curve keeps its
    /// envelope while the SVG stays small enough to update live.
    static func thinned(_ points: [(Double, Double)], buckets: Int) -> [(Double, Double)] {
        guard buckets > 0, points.count > 2 * buckets else { return points }
        var out = [(Double, Double)]()
        out.reserveCapacity(2 * buckets + 2)
        for b in 0..<buckets {
            let range = (b * points.count / buckets)..<((b + 1) * points.count / buckets)
            guard let low = range.min(by: { points[$0].1 < points[$1].1 }),
                  let high = range.max(by: { points[$0].1 < points[$1].1 }) else { continue }
            var keep: Set = [low, high]
            if b == 0 { keep.insert(range.lowerBound) }  // the curve starts where the data starts
            if b == buckets - 1 { keep.insert(range.upperBound - 1) }  // and ends where it ends
            for index in keep.sorted() { out.append(points[index]) }
        }
        return out
    }

    private var usesRightOnly: Bool { series.allSatisfy { $0.axis == .right } }

    private func n(_ value: Double) -> String { SVGWriter.number(value) }
}
