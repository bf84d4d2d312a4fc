import Foundation

/// Builds an SVG document as text: elements are appended one per line, and
/// every piece of text and every attribute value is escaped (`Markup.escape`), so labels such as
/// "T-shirt/top" or "<unk> & co" cannot break the XML.
struct SVGWriter {
    private(set) var body = ""
    let width: Int
    let height: Int

    /// The fonts every chart uses: a system sans-serif at sizes a notebook reads easily.
    static let fontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif"

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// The finished document, with a viewBox so it scales, and width and height so it has a natural size.
    func document(title: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" \
        viewBox="0 0 \(width) \(height)" font-family="\(Markup.escape(Self.fontFamily))" font-size="12">
        <title>\(Markup.escape(title))</title>
        <rect x="0" y="0" width="\(width)" height="\(height)" fill="white"/>
        \(body)</svg>
        """
    }

    /// Appends `<name attributes/>`, or `<name attributes>text</name>` when there is text.
    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String>, text: String? = nil) {
        body += "<\(name)"
        for (key, value) in attributes { body += " \(key)=\"\(Markup.escape(value))\"" }
        if let text { body += ">\(Markup.escape(text))</\(name)>\n" } else { body += "/>\n" }
    }

    /// Appends raw markup that the caller has built from escaped parts.
    mutating func raw(_ markup: String) { body += markup }

    /// Text with `anchor` start, middle or end, optionally rotated about its anchor point.
    mutating func text(
        _ string: String, x: Double, y: Double, anchor: String = "middle", size: Int = 12, weight: String = "normal",
        rotate: Double = 0, fill: String = "#222"
    ) {
        var attributes = "x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" text-anchor=\"\(anchor)\" font-size=\"\(size)\""
        if weight != "normal" { attributes += " font-weight=\"\(weight)\"" }
        if rotate != 0 { attributes += " transform=\"rotate(\(Self.number(rotate)) \(Self.number(x)) \(Self.number(y)))\"" }
        body += "<text \(attributes) fill=\"\(fill)\">\(Markup.escape(string))</text>\n"
    }

    /// A coordinate with at most one decimal ("12", "12.5").
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }
}

/// Round axis ticks ("0, 0.5, 1, 1.5") covering a range.
enum AxisTicks {
    /// About `count` evenly spaced round values from at or below `low` to at or above `high`.
    static func nice(low: Double, high: Double, count: Int = 5) -> (values: [Double], step: Double) {
        var low = low, high = high
        if !(high > low) {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let rough = (high - low) / Double(max(1, count))
        let magnitude = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        let first = floor(low / step) * step
        let last = ceil(high / step) * step
        let n = Int(((last - first) / step).rounded())
        // Through 12 significant digits, so 3 x 0.2 is 0.6, not 0.6000000000000001.
        let values = (0...n).map { Double(String(format: "%.12g", first + Double($0) * step))! }
        return (values, step)
    }

    /// A tick value with as many decimals as its step needs ("0.25", "1500").
    static func label(_ value: Double, step: Double) -> String {
        let decimals = max(0, Int(-floor(log10(step) + 1e-9)) + (step / pow(10, floor(log10(step))) == 2.5 ? 1 : 0))
        let text = String(format: "%.\(decimals)f", value)
        return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
    }
}
