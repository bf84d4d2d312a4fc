/// # Convnet: the engine
///
/// Layers with forward and backward passes, losses, optimizers, a training loop,
/// evaluation and a saved-net format, on Float32 buffers with OpenBLAS. It knows nothing
/// of Jupyter or of the language; a plain Swift program can train with it.
///
/// ## Describing and building a net
/// - `Volume(28, 28, 1)`: width x height x depth, as the chapter writes it; tensors are CHW.
/// - `LayerSpec`: `.conv(filters: 8, size: 5, stride: 1, pad: 2)`, `.maxpool(size: 2)`,
///   `.avgpool(size:stride:)`, `.dense(units: 10)`, `.relu`, `.leakyRelu(slope:)`, `.sigmoid`,
///   `.tanh`, `.softmax`, `.dropout(rate:)`, `.flatten` (implied before dense).
/// - `spec.outputVolume(for: input)` and `spec.parameterCount(for: input)`: shape inference
///   for one layer; `Network.inferVolumes(input:layers:)` for a list. Errors are
///   `ConvnetError` values whose `description` shows the arithmetic
///   ("layer 3: conv 7x7 stride 2 on 12x12: (12 - 7) / 2 + 1 is not whole; ...").
/// - `try Network(input: Volume(28, 28, 1), layers: [...], seed: 1, initialization: .he,
///   memoryLimit: Network.defaultMemoryLimit, threads: 2)`: checks every volume and the memory
///   cap, then draws the weights from the seed.
/// - `net.summary` (rows of layer, output volume, parameters), `net.summaryText`,
///   `net.volumes`, `net.parameterCount`, `net.outputVolume`, `net.threads`.
///
/// ## Training and evaluating (data is a `Dataset` of bytes; batches become floats)
/// - `try train(net, on: data, options: TrainingOptions(epochs:batchSize:optimizer:loss:
///   l1Decay:l2Decay:shuffleSeed:shuffle:order:scaling:), progress: { p in ... },
///   shouldStop: { flag.isSet })` returns a `TrainingHistory` (per-batch loss and accuracy,
///   `batchesRun`, `interrupted`). `progress` gets a `TrainingProgress` after every batch.
/// - `OptimizerSpec`: `.sgd(learningRate:momentum:nesterov:)`, `.adam(...)`, `.adagrad(...)`,
///   `.adadelta(...)`. `Loss`: `.softmaxCrossEntropy`, `.meanSquaredError`, `.hinge`.
/// - `PixelScaling`: `.centered` (x/255 - 0.5, the default), `.unit` (x/255), or any
///   `PixelScaling(scale:offset:)`.
/// - `try evaluate(net, on: data)` gives an `Evaluation` (accuracy, loss, confusion counts);
///   `try predict(net, data)` a `Prediction` (label and probabilities) per image.
/// - `try net.predict(image)`, `try net.activations(for: image)` (every layer's output as a
///   `Tensor`), `try net.filters(layer: 1)` (weights with their shape, and biases);
///   `data.image(i)` gives image i as scaled floats.
///
/// ## Saving
/// - `try net.save(to: "fashion.net")`, `try Network.load(from: "fashion.net")`; format in
///   docs/net-format.md (magic, version, architecture, weights, CRC-32).
///
/// ## Threads and reproducibility
/// A batch is split into runs of images, one per worker thread; OpenBLAS runs one thread
/// inside each. With the same seeds and thread count, a run is bit-for-bit the same.
public enum ConvnetEngine {
    /// The engine's version, written by nothing but shown in banners.
    public static let version = "0.1.0"
}
