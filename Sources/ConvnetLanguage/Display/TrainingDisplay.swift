import Convnet
import Foundation
import JupyterProtocol

/// The live display of one `train` call: one display_id, updated in place at
/// most four times a second with the epoch, batch, loss, accuracy, speed, time
/// left and a small loss curve. Between updates a batch costs one append.
final class TrainingDisplay {
    /// Seconds between two updates of the display.
    static let interval = 0.25

    private let context: ExecutionContext
    private let displayID = "train-" + UUID().uuidString.lowercased()
    private let title: String
    private var losses: [Float] = []
    private var lastUpdate = Date.distantPast
    private var last: TrainingProgress?
    /// Running sums over the current epoch: the live line shows the epoch's mean
    /// loss and accuracy so far (as Keras does), not one noisy batch of 32.
    private var epoch = 0
    private var epochLossSum = 0.0
    private var epochAccuracySum = 0.0
    private var epochBatches = 0
    private let enabled: Bool

    init(context: ExecutionContext, net: Network, data: Dataset, options: TrainingOptions) {
        self.context = context
        enabled = !context.isSilent
        title = "training on \(grouped(data.count)) images (\(data.name)), \(options.epochs) epoch"
            + (options.epochs == 1 ? "" : "s") + ", batch \(options.batchSize), \(Value.describe(options.optimizer))"
        losses.reserveCapacity(min(1 << 20, options.epochs * ((data.count + options.batchSize - 1) / max(1, options.batchSize))))
        if enabled {
            context.display(bundle(status: "starting"), displayID: displayID, update: false)
            lastUpdate = Date()
        }
    }

    /// The engine's per-batch callback.
    func progress(_ p: TrainingProgress) {
        losses.append(p.loss)
        last = p
        if p.epoch != epoch {
            epoch = p.epoch
            (epochLossSum, epochAccuracySum, epochBatches) = (0, 0, 0)
        }
        epochLossSum += Double(p.loss)
        epochAccuracySum += Double(p.accuracy)
        epochBatches += 1
        guard enabled else { return }
        let now = Date()
        if now.timeIntervalSince(lastUpdate) >= Self.interval {
            lastUpdate = now
            context.display(bundle(status: nil), displayID: displayID, update: true)
        }
    }

    /// The last update: the run's totals.
    func finish(_ history: TrainingHistory) {
        guard enabled else { return }
        let verdict = history.interrupted
            ? "interrupted after \(history.batchesRun) of \(history.batchesTotal) batches"
            : "done: \(history.batchesRun) batches in \(String(format: "%.1f", history.seconds)) s, \(grouped(Int(history.imagesPerSecond))) images/s"
        context.display(bundle(status: verdict), displayID: displayID, update: true)
    }

    private func bundle(status: String?) -> MimeBundle {
        var line = ""
        var fraction = 0.0
        if let p = last {
            let left = p.batchesDone > 0 ? p.elapsed / Double(p.batchesDone) * Double(p.batchesTotal - p.batchesDone) : 0
            let batches = Double(max(1, epochBatches))
            line = "epoch \(p.epoch)/\(p.epochs)  batch \(p.batch)/\(p.batchesPerEpoch)"
                + "  loss \(String(format: "%.4f", epochLossSum / batches))  accuracy \(String(format: "%.4f", epochAccuracySum / batches))"
                + " (epoch means)  \(grouped(Int(p.imagesPerSecond))) images/s"
                + "  \(Self.duration(left)) left"
            fraction = Double(p.batchesDone) / Double(max(1, p.batchesTotal))
        }
        let statusLine = status ?? line
        let plain = title + "\n" + statusLine + (status != nil && !line.isEmpty ? "\n" + line : "")
        let percent = String(format: "%.1f", fraction * 100)
        var html = "<div class=\"convnet-training\"><div>\(escapeHTML(title))</div>"
        html += "<div style=\"background:#eee;width:320px;height:8px;margin:4px 0\"><div style=\"background:#1f77b4;height:8px;width:\(percent)%\"></div></div>"
        html += "<div><code>\(escapeHTML(statusLine))</code></div>"
        if status != nil && !line.isEmpty { html += "<div><code>\(escapeHTML(line))</code></div>" }
        html += Self.sparkline(losses)
        html += "</div>"
        return MimeBundle(data: ["text/plain": .string(plain), "text/html": .string(html)])
    }

    /// 2 s, 1 min 5 s.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s < 60 ? "\(s) s" : "\(s / 60) min \(s % 60) s"
    }

    /// A small inline SVG of the loss, averaged into at most 120 points.
    static func sparkline(_ values: [Float], width: Double = 320, height: Double = 60) -> String {
        guard values.count > 1 else { return "" }
        let buckets = min(120, values.count)
        var points: [Double] = []
        points.reserveCapacity(buckets)
        for b in 0..<buckets {
            let lo = b * values.count / buckets, hi = max(lo + 1, (b + 1) * values.count / buckets)
            var sum = 0.0
            for i in lo..<hi { sum += Double(values[i]) }
            points.append(sum / Double(hi - lo))
        }
        let finite = points.filter(\.isFinite)
        let top = finite.max() ?? 1, bottom = min(0, finite.min() ?? 0)
        let range = max(top - bottom, 1e-9)
        let path = points.enumerated().map { i, v -> String in
            let x = Double(i) / Double(max(1, buckets - 1)) * (width - 4) + 2
            let y = v.isFinite ? height - 2 - (v - bottom) / range * (height - 4) : height - 2
            return String(format: "%.1f,%.1f", x, y)
        }.joined(separator: " ")
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\">"
            + "<rect width=\"100%\" height=\"100%\" fill=\"#fafafa\"/>"
            + "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"\(path)\"/>"
            + "<text x=\"4\" y=\"12\" font-size=\"10\" fill=\"#555\">loss \(String(format: "%.3f", top)) … \(String(format: "%.3f", points.last ?? 0))</text></svg>"
    }
}
