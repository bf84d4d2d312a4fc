import Convnet

/// Checks a trained net on images it was not trained on: the net passes when its
/// accuracy on the held-out set reaches `threshold`.
public struct HeldOutCheck: Sendable {
    /// The accuracy needed, from 0 to 1.
    public var threshold: Double
    /// The volume of the images and the number of classes the net must take and give.
    public var inputVolume: Volume
    public var classCount: Int
    /// Loads the held-out images, each time a net is checked (a net is checked rarely,
    /// and loading 1,000 images from disk takes milliseconds).
    public var heldOut: @Sendable () throws -> Dataset

    public init(threshold: Double, inputVolume: Volume, classCount: Int, heldOut: @escaping @Sendable () throws -> Dataset) {
        self.threshold = threshold
        self.inputVolume = inputVolume
        self.classCount = classCount
        self.heldOut = heldOut
    }

    /// The verdict on an answer: a net, evaluated on the held-out images.
    public func check(_ answer: Answer) -> Verdict {
        guard case .net(let trained) = answer else {
            return .unexpected(message: "This exercise expects a trained net, like answer(id, net), not \(answer.kindDescription).")
        }
        let net = trained.network
        if net.inputVolume != inputVolume {
            return .incorrect(hint: "This net takes \(net.inputVolume) images; the held-out images are \(inputVolume). Build it with sequential(\(inputVolume), ...).")
        }
        if net.classCount != classCount {
            return .incorrect(hint: "This net gives \(net.classCount) outputs; it needs \(classCount), one per class (end with dense(\(classCount)), softmax()).")
        }
        let images: Dataset
        let accuracy: Double
        do {
            images = try heldOut()
            accuracy = try evaluate(net, on: images).accuracy
        } catch {
            return .unexpected(message: "The held-out images could not be used, so the net was not checked: \(error)")
        }
        let measured = "\(percent(accuracy)) of \(groupedThousands(images.count)) held-out test images"
        if accuracy >= threshold {
            return .correct(message: "Correct: \(measured), where \(percent(threshold)) was needed. The net has learned something that carries over to images it never saw.")
        }
        if accuracy < 2.0 / Double(classCount) {
            return .incorrect(hint: "\(measured): about what guessing gets. Has the net been trained? Call train(net, ...) before answering.")
        }
        return .incorrect(hint: "\(measured); \(percent(threshold)) is needed. Train on more images or for another epoch, or add a conv layer before the dense ones.")
    }

    private func percent(_ fraction: Double) -> String {
        let tenths = (fraction * 1000).rounded() / 10
        return tenths == tenths.rounded() ? "\(Int(tenths))%" : "\(tenths)%"
    }
}
