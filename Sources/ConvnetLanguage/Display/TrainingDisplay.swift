import Convnet
import Foundation
import JupyterProtocol

/// The live display of one `train` call: one display_id, updated in place at
/// most four times a second with the epoch, batch, loss, accuracy, speed, time
/// left and a small loss and accuracy chart (Pictures' `LineChart`). Between updates
/// a batch costs two appends. With an image to watch, each update is the whole
/// `training_view` instead: the chart, the first conv layer's filters and the image's maps.
final class TrainingDisplay {
    /// Seconds between two updates of the display.
    static let interval = 0.25

    private let context: ExecutionContext
    private let displayID = "train-" + UUID().uuidString.lowercased()
    private let title: String
    private var losses: [Float] = []
    private var accuracies: [Float] = []
    private let batchSize: Int
    private var lastUpdate = Date.distantPast
    private var last: TrainingProgress?
    /// Running sums over the current epoch: the live line shows the epoch's mean
    /// loss and accuracy so far (as Keras does), not one noisy batch of 32.
    private var epoch = 0
    private var epochLossSum = 0.0
    private var epochAccuracySum = 0.0
    private var epochBatches = 0
    private let enabled: Bool
    private let net: NetValue
    private let watched: ImageValue?

    init(context: ExecutionContext, net: NetValue, data: Dataset, options: TrainingOptions, watching watched: ImageValue? = nil) {
        self.context = context
        self.net = net
        self.watched = watched
        enabled = !context.isSilent
        title = "training on \(grouped(data.count)) images (\(data.name)), \(options.epochs) epoch"
            + (options.epochs == 1 ? "" : "s") + ", batch \(options.batchSize), \(Value.describe(options.optimizer))"
        batchSize = options.batchSize
        let batches = min(1 << 20, options.epochs * ((data.count + options.batchSize - 1) / max(1, options.batchSize)))
        losses.reserveCapacity(batches)
        accuracies.reserveCapacity(batches)
        if enabled {
            context.display(bundle(status: "starting"), displayID: displayID, update: false)
            lastUpdate = Date()
        }
    }

    /// The engine's per-batch callback.
    func progress(_ p: TrainingProgress) {
        losses.append(p.loss)
        accuracies.append(p.accuracy)
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

    /// Paused by the controls: redrawn now, so the picture shows the batch the pause came at
    /// rather than the last timed update.
    func showPaused() {
        guard enabled else { return }
        lastUpdate = Date()
        context.display(bundle(status: "paused: press resume to go on"), displayID: displayID, update: true)
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
        if let watched {
            let lines = [title, statusLine] + (status != nil && !line.isEmpty ? [line] : [])
            return DemoFigures.trainingView(
                net: net, image: watched, losses: losses, accuracies: accuracies, batchSize: batchSize, lines: lines)
        }
        let plain = title + "\n" + statusLine + (status != nil && !line.isEmpty ? "\n" + line : "")
        let percent = String(format: "%.1f", fraction * 100)
        var html = "<div class=\"convnet-training\"><div>\(escapeHTML(title))</div>"
        html += "<div style=\"background:#eee;width:320px;height:8px;margin:4px 0\"><div style=\"background:#1f77b4;height:8px;width:\(percent)%\"></div></div>"
        html += "<div><code>\(escapeHTML(statusLine))</code></div>"
        if status != nil && !line.isEmpty { html += "<div><code>\(escapeHTML(line))</code></div>" }
        if !losses.isEmpty {
            let chart = Charts.lossAndAccuracy(
                losses: losses, accuracies: accuracies, batchSize: batchSize, title: "loss and accuracy",
                width: 480, height: 220)
            html += chart.svg()
        }
        html += "</div>"
        return MimeBundle(data: ["text/plain": .string(plain), "text/html": .string(html)])
    }

    /// 2 s, 1 min 5 s.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s < 60 ? "\(s) s" : "\(s / 60) min \(s % 60) s"
    }
}
