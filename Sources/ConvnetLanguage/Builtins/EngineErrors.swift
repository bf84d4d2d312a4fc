import Convnet

/// Runs engine code, turning its errors into the language's: a volume that does
/// not fit is a VolumeError, a layer over the memory cap a MemoryError, a missing
/// file an IOError, each with the engine's own message.
func engine<T>(_ body: () throws -> T) throws(LanguageError) -> T {
    do {
        return try body()
    } catch let error as LanguageError {
        throw error
    } catch let error as ConvnetError {
        throw LanguageError(.engine(error))
    } catch let error as DataError {
        throw LanguageError(.data(error))
    } catch {
        throw LanguageError(.engineFailure("\(error)"))
    }
}

// The engine's free functions under names that do not clash with the `Convnet`
// enum (which hides the module's name) or with the built-ins' own.
func engineTrain(
    _ net: Network, _ data: Dataset, _ options: TrainingOptions, progress: (TrainingProgress) -> Void,
    shouldStop: () -> Bool, learningRate: () -> Float? = { nil }
) throws -> TrainingHistory {
    try train(net, on: data, options: options, progress: progress, shouldStop: shouldStop, learningRate: learningRate)
}

func engineEvaluate(_ net: Network, _ data: Dataset, loss: Loss, shouldStop: () -> Bool) throws -> Evaluation {
    try evaluate(net, on: data, loss: loss, shouldStop: shouldStop)
}

func enginePredict(_ net: Network, _ data: Dataset) throws -> [Prediction] {
    try predict(net, data)
}
