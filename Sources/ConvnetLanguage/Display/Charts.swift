import Convnet
import Foundation
import JupyterProtocol
import Pictures

/// Charts as image/svg+xml with a text/plain twin: a training history's loss and
/// accuracy curves, and a confusion matrix.
enum Charts {
    static func history(_ h: HistoryValue) -> MimeBundle {
        let history = h.history
        let chart = lossAndAccuracy(
            losses: history.batchLosses, accuracies: history.batchAccuracies, batchSize: h.batchSize,
            title: "Training: loss and accuracy")
        var text = h.description
        if !history.epochLosses.isEmpty {
            text += "\n" + Table(
                columns: ["epoch", "loss", "accuracy"],
                rows: history.epochLosses.indices.map { i in
                    [String(i + 1), String(format: "%.4f", history.epochLosses[i]),
                     i < history.epochAccuracies.count ? String(format: "%.4f", history.epochAccuracies[i]) : ""]
                }, numericColumns: [0, 1, 2]).plainText
        }
        return Display.svg(chart.svg(), text: text)
    }

    static func confusion(_ c: ConfusionValue) -> MimeBundle {
        // One name per class of the net, whatever the data set called them.
        var c = c
        c.classNames = c.counts.indices.map { $0 < c.classNames.count ? c.classNames[$0] : String($0) }
        let chart = ConfusionMatrixChart(
            counts: c.counts, classNames: c.classNames, title: "Confusion matrix, accuracy \(String(format: "%.4f", c.accuracy))")
        let header = ["true \\ predicted"] + c.counts.indices.map(String.init)
        let rows = c.counts.enumerated().map { i, row in
            ["\(i) " + (i < c.classNames.count ? c.classNames[i] : "")] + row.map(String.init)
        }
        let table = Table(columns: header, rows: rows, footer: "accuracy \(String(format: "%.4f", c.accuracy))",
                          numericColumns: Set(1...max(1, c.counts.count)))
        return Display.svg(chart.svg(), text: table.plainText)
    }

    /// The loss (left axis) and accuracy (right axis) of every batch so far, against the
    /// images seen: the chart of a finished history and of training watched live.
    static func lossAndAccuracy(
        losses: [Float], accuracies: [Float], batchSize: Int, title: String, width: Int = 640, height: Int = 360
    ) -> LineChart {
        let (x, loss) = smoothed(losses, batchSize: batchSize)
        let (_, accuracy) = smoothed(accuracies, batchSize: batchSize)
        return LineChart(
            title: title, xLabel: "images seen", yLabel: "loss", rightLabel: "accuracy",
            series: [
                .init(name: "loss", y: loss, x: x, axis: .left),
                .init(name: "accuracy", y: accuracy, x: x, axis: .right),
            ], width: width, height: height)
    }

    /// Batch values averaged into at most 200 points, with the images seen at each.
    static func smoothed(_ values: [Float], batchSize: Int) -> ([Double], [Double]) {
        guard !values.isEmpty else { return ([], []) }
        let buckets = min(200, values.count)
        var xs: [Double] = [], ys: [Double] = []
        for b in 0..<buckets {
            let lo = b * values.count / buckets, hi = max(lo + 1, (b + 1) * values.count / buckets)
            var sum = 0.0
            for i in lo..<hi { sum += Double(values[i]) }
            ys.append(sum / Double(hi - lo))
            xs.append(Double(hi * batchSize))
        }
        return (xs, ys)
    }
}
