import Convnet

extension LanguageError {
    /// Everything a cell can get wrong, one case each, with what its message needs.
    /// `kind` (the ename) and `message` (the evalue) are derived from the case.
    public enum Problem: Equatable, Sendable {
        // MARK: SyntaxError (the lexer and the parser)
        case unmatchedIndentation
        case unexpectedIndent
        case unclosedString(quote: String)
        case malformedVolume
        case volumeSizeCount
        case numberRunsIntoName
        case notANumber(String)
        case notInLanguage(String)
        case assignmentTarget
        case chainedComparison
        case positionalAfterKeyword
        case neverClosed(bracket: String, openedAt: SourceSpan)
        /// What the parser expected there, and what it found (nil: nothing to add).
        case expected(String, found: String?)

        // MARK: RecursionError
        case cellNestsTooDeeply(limit: Int)
        case expressionChainsTooDeeply(limit: Int)
        case expressionNestsTooDeeply
        case listsNestTooDeeply(limit: Int)

        // MARK: NameError, AttributeError
        case undefinedName(String, suggestion: String?)
        case noSuchBuiltin(String, suggestion: String?)
        case noAttribute(String, of: String, suggestion: String?, known: [String])

        // MARK: TypeError
        /// "sgd(): 'lr' must be a number, not a string" and the like.
        case wrongKind(subject: String, expected: String, actual: String)
        case notWhole(subject: String, value: String)
        case notCallable(kind: String)
        case notIndexable(kind: String)
        case notSliceable(kind: String)
        case indexNotWhole(String)
        case sliceBoundNotWhole(String)
        case cannotNegate(kind: String)
        case cannotCombine(verb: String, left: String, right: String, op: String)
        case cannotCompare(left: String, right: String, op: String)
        case notIterable(kind: String)
        case tooManyArguments(builtin: String, takes: [String], given: Int)
        case unknownKeyword(builtin: String, label: String, suggestion: String?, accepted: [String])
        case repeatedKeyword(builtin: String, label: String)
        case missingArgument(builtin: String, parameter: String, signature: String)
        case wholeDataSet(subject: String)
        case shapeNeedsInput(layer: String)
        case poolingNeedsWindow(builtin: String)
        case poolingTakesOneWindow(builtin: String)
        case expectedLayers(builtin: String, actual: String)
        case comparesNumbers(builtin: String, actual: String)
        case notAnAnswer(actual: String)
        case notKernelRows
        case kernelHoldsNumbers(actual: String)
        /// Widgets: link() of controls without a value; live() without one expression.
        case notLinkable(builtin: String)
        case liveNeedsOneExpression

        // MARK: ValueError, IndexError, ZeroDivisionError
        case outOfRange(subject: String, bounds: String, value: Int)
        case notSquare(subject: String, volume: String)
        case volumeSizesBelowOne(subject: String)
        case volumeLiteralOutOfRange(limit: Int)
        case indexOutOfRange(index: Int, kind: String, count: Int)
        case divisionByZero
        case remainderByZero
        case zeroStep(builtin: String)
        case needsANumber(builtin: String)
        case negativeSeconds(builtin: String)
        case unknownLoss(builtin: String, name: String)
        case raggedKernel
        case convolveOutputTooLarge(width: Int, height: Int)
        case templatesNeedDense
        case noSuchExercise(String)
        /// Widgets: a slider or play whose min is not below its max, a step or rate not above 0.
        case emptyRange(builtin: String, low: String, high: String)
        case notPositive(subject: String, value: String)
        case notAnOption(builtin: String, value: String)

        // MARK: VolumeError, MemoryError
        case kernelDepthMismatch(kernel: Int, image: Int)
        case kernelLargerThanImage(kernel: String, image: String)
        case volumeFarTooLarge(subject: String, volume: String)
        case kernelTooLarge(width: Int, height: Int)
        case valuesOverMemory(subject: String, bytes: Double, limit: Int)
        case listJoinOverLimit(left: Int, right: Int, limit: Int)
        case stringJoinOverLimit(bytes: Int, limit: Int)
        case rangeOverLimit(count: Int, limit: Int)

        // MARK: From the engine, with its own error values
        // The chapter's demos (Builtins+Demos.swift).
        case unknownFilter(name: String, suggestion: String?, known: [String])
        case oneChannelOnly(builtin: String, volume: String)
        case filterDeeperThanImage(builtin: String, depth: Int)
        case mapTooLargeToDraw(builtin: String, width: Int, height: Int, limit: Int)
        case noConvLayer(builtin: String)
        case notAConvLayer(builtin: String, layer: Int, spec: String, convLayers: [Int])
        case imageDoesNotFitNet(builtin: String, image: String, net: String)
        case matrixWithoutImages(builtin: String)
        case noSuchClass(builtin: String, name: String, suggestion: String?)

        case engine(ConvnetError)
        case data(DataError)
        case engineFailure(String)

        // MARK: KeyboardInterrupt, checks, failures
        case interrupted
        case trainingInterrupted(batches: Int)
        case evaluationInterrupted(done: Int, of: Int)
        case inputInterrupted
        case inputUnavailable
        case checkFailed(String)
        case notImplemented(String)
        case failed(String)
        /// A built-in read a parameter it does not declare: a slip in the kernel, not the learner's.
        case undeclaredParameter(builtin: String, parameter: String)
        /// A user expression called a built-in that changes the session (train, add, save...).
        case changesStateInExpression(builtin: String)
    }
}

extension LanguageError.Problem {
    public var kind: LanguageError.Kind {
        switch self {
        case .unmatchedIndentation, .unexpectedIndent, .unclosedString, .malformedVolume, .volumeSizeCount,
            .numberRunsIntoName, .notANumber, .notInLanguage, .assignmentTarget, .chainedComparison,
            .positionalAfterKeyword, .neverClosed, .expected:
            return .syntax
        case .cellNestsTooDeeply, .expressionChainsTooDeeply, .expressionNestsTooDeeply, .listsNestTooDeeply:
            return .recursion
        case .undefinedName, .noSuchBuiltin: return .name
        case .noAttribute: return .attribute
        case .wrongKind, .notWhole, .notCallable, .notIndexable, .notSliceable, .indexNotWhole, .sliceBoundNotWhole,
            .cannotNegate, .cannotCombine, .cannotCompare, .notIterable, .tooManyArguments, .unknownKeyword,
            .repeatedKeyword, .missingArgument, .wholeDataSet, .shapeNeedsInput, .poolingNeedsWindow,
            .poolingTakesOneWindow, .expectedLayers, .comparesNumbers, .notAnAnswer, .notKernelRows, .kernelHoldsNumbers,
            .notLinkable, .liveNeedsOneExpression:
            return .type
        case .outOfRange, .notSquare, .volumeSizesBelowOne, .volumeLiteralOutOfRange, .zeroStep, .needsANumber,
            .negativeSeconds, .unknownLoss, .raggedKernel, .convolveOutputTooLarge, .templatesNeedDense, .noSuchExercise,
            .emptyRange, .notPositive, .notAnOption:
            return .value
        case .unknownFilter, .mapTooLargeToDraw, .noConvLayer, .notAConvLayer, .matrixWithoutImages, .noSuchClass:
            return .value
        case .oneChannelOnly, .filterDeeperThanImage, .imageDoesNotFitNet: return .volume
        case .indexOutOfRange: return .index
        case .divisionByZero, .remainderByZero: return .zeroDivision
        case .kernelDepthMismatch, .kernelLargerThanImage: return .volume
        case .volumeFarTooLarge, .kernelTooLarge, .valuesOverMemory, .listJoinOverLimit,
            .stringJoinOverLimit, .rangeOverLimit:
            return .memory
        case .engine(let error):
            switch error {
            case .volumeDoesNotFit, .windowLargerThanInput, .inputMismatch: return .volume
            case .invalidLayer, .invalidOption, .labelOutOfRange: return .value
            case .tooLarge: return .memory
            case .noSuchLayer: return .index
            case .unreadableFile, .unwritableFile: return .io
            }
        case .data, .inputUnavailable: return .io
        case .engineFailure, .failed, .undeclaredParameter: return .runtime
        case .changesStateInExpression: return .value
        case .interrupted, .trainingInterrupted, .evaluationInterrupted, .inputInterrupted: return .interrupted
        case .checkFailed: return .check
        case .notImplemented: return .notImplemented
        }
    }

    /// The message a learner reads: what is wrong and, where it helps, what to write instead.
    public var message: String {
        switch self {
        case .unmatchedIndentation: return "this line's indentation matches no block above it"
        case .unexpectedIndent: return "this line is indented, but no block (for, if) opens above it"
        case .unclosedString(let quote): return "this string is never closed: add a \(quote) at its end"
        case .malformedVolume: return "a volume is whole numbers joined by x, like 28x28x1"
        case .volumeSizeCount: return "a volume has two or three sizes (5x5, 28x28x1)"
        case .numberRunsIntoName: return "a number cannot run into a name; add a space or an operator"
        case .notANumber(let text): return "'\(text)' is not a number"
        case .notInLanguage(let what): return "\(what) is not part of the language"
        case .assignmentTarget: return "only a name can be assigned to (net = ..., not net.layers = ...)"
        case .chainedComparison:
            return "comparisons do not chain here: write them joined by 'and', as in 0 <= x and x < 10"
        case .positionalAfterKeyword: return "a positional argument cannot follow a keyword argument"
        case .neverClosed(let bracket, let openedAt): return "'\(bracket)' opened at \(openedAt) is never closed"
        case .expected(let what, let found): return "expected \(what)" + (found.map { ", found \($0)" } ?? "")

        case .cellNestsTooDeeply(let limit): return "the cell nests deeper than \(limit) levels"
        case .expressionChainsTooDeeply(let limit):
            return "the expression chains or nests deeper than \(limit) levels; split it into steps"
        case .expressionNestsTooDeeply: return "the expression nests too deeply"
        case .listsNestTooDeeply(let limit): return "lists nest deeper than \(limit) levels"

        case .undefinedName(let name, let guess): return "'\(name)' is not defined" + didYouMean(guess)
        case .noSuchBuiltin(let name, let guess): return "no built-in is called '\(name)'" + didYouMean(guess)
        case .noAttribute(let name, let kind, let guess, let known):
            var text = "\(kind) has no attribute '\(name)'"
            if guess != nil { text += didYouMean(guess) } else if !known.isEmpty { text += "; it has " + known.joined(separator: ", ") }
            return text

        case .wrongKind(let subject, let expected, let actual): return "\(subject) must be \(expected), not \(actual)"
        case .notWhole(let subject, let value): return "\(subject) must be a whole number, not \(value)"
        case .notCallable(let kind): return "\(kind) cannot be called"
        case .notIndexable(let kind): return "\(kind) cannot be indexed"
        case .notSliceable(let kind): return "\(kind) cannot be sliced"
        case .indexNotWhole(let repr): return "an index must be a whole number, not \(repr)"
        case .sliceBoundNotWhole(let repr): return "a slice bound must be a whole number, not \(repr)"
        case .cannotNegate(let kind): return "cannot negate \(kind)"
        case .cannotCombine(let verb, let left, let right, let op): return "cannot \(verb) \(left) and \(right) (\(op))"
        case .cannotCompare(let left, let right, let op): return "cannot compare \(left) with \(right) using \(op)"
        case .notIterable(let kind): return "a for loop needs a list or range(...), not \(kind)"
        case .tooManyArguments(let builtin, let takes, let given):
            return "\(builtin)() takes \(takes.count) positional argument" + (takes.count == 1 ? "" : "s")
                + (takes.isEmpty ? "" : " (\(takes.joined(separator: ", ")))") + ", but got \(given)"
        case .unknownKeyword(let builtin, let label, let guess, let accepted):
            var text = "\(builtin)() has no argument '\(label)'"
            if guess != nil { text += didYouMean(guess) } else if !accepted.isEmpty { text += "; it takes " + accepted.joined(separator: ", ") }
            return text
        case .repeatedKeyword(let builtin, let label): return "\(builtin)() got '\(label)' twice"
        case .missingArgument(let builtin, let parameter, let signature):
            return "\(builtin)() needs the argument '\(parameter)': \(signature)"
        case .wholeDataSet(let subject):
            return "\(subject) must be images like data.train or data.test[0:100], not the whole data set"
        case .shapeNeedsInput(let layer): return "shape(): a layer needs an input volume: shape(\(layer)(...), 28x28x1)"
        case .poolingNeedsWindow(let name): return "\(name)(image, size): give the window size too, like \(name)(img, 2x2)"
        case .poolingTakesOneWindow(let name):
            return "\(name)() takes one window size; to pool an image write \(name)(img, 2x2)"
        case .expectedLayers(let builtin, let actual):
            return builtin == "sequential"
                ? "sequential(): after the input volume come layers, not \(actual)" : "\(builtin)(): expected layers, not \(actual)"
        case .comparesNumbers(let builtin, let actual): return "\(builtin)() compares numbers, not \(actual)"
        case .notAnAnswer(let actual):
            return "answer(): an answer is a number, a volume, a list, text or a trained net, not \(actual)"
        case .notKernelRows: return "kernel(): expected a list of rows, like [[1, 0], [0, 1]]"
        case .kernelHoldsNumbers(let actual): return "kernel(): the rows hold numbers, not \(actual)"

        case .outOfRange(let subject, let bounds, let value): return "\(subject) must be \(bounds), not \(value)"
        case .notSquare(let subject, let volume): return "\(subject) must be a square window like 5x5, not \(volume)"
        case .volumeSizesBelowOne(let subject): return "\(subject): every size of a volume must be at least 1"
        case .volumeLiteralOutOfRange(let limit): return "every size of a volume must be from 1 to \(limit)"
        case .indexOutOfRange(let index, let kind, let count):
            return "index \(index) is out of range: \(kind) of \(count) item" + (count == 1 ? "" : "s")
                + " takes 0 to \(count - 1)" + (count > 0 ? " (or -1 to -\(count))" : "")
        case .divisionByZero: return "division by zero"
        case .remainderByZero: return "remainder of a division by zero"
        case .zeroStep(let builtin): return "\(builtin)(): step cannot be 0"
        case .needsANumber(let builtin): return "\(builtin)() needs at least one number"
        case .negativeSeconds(let builtin): return "\(builtin)(): seconds must be 0 or more"
        case .unknownLoss(let builtin, let name):
            return "\(builtin)(): unknown loss \"\(name)\"; use \"softmax\", \"mse\" or \"hinge\""
        case .raggedKernel: return "kernel(): every row must have the same number of values"
        case .convolveOutputTooLarge(let w, let h):
            return "convolve(): an output map of \(w)x\(h) is larger than the 4096x4096 this demo draws; use less padding"
        case .templatesNeedDense:
            return "templates() needs a net whose first layer with weights is dense, like sequential(28x28x1, dense(10), softmax())"
        case .noSuchExercise(let text): return text
        case .emptyRange(let builtin, let low, let high):
            return "\(builtin)(): min must be less than max (got \(low) and \(high))"
        case .notPositive(let subject, let value): return "\(subject) must be a positive number, not \(value)"
        case .notAnOption(let builtin, let value): return "\(builtin)(): value \(value) is not one of the options"
        case .notLinkable(let builtin): return "\(builtin)(): both must be sliders, plays, toggles or check boxes"
        case .liveNeedsOneExpression:
            return "live() takes one expression, the picture to redraw: live(convolve(img, k[f.value]))"

        case .kernelDepthMismatch(let kernel, let image):
            return "convolve(): a kernel of depth \(kernel) does not fit an image of depth \(image); use depth 1 or \(image)"
        case .kernelLargerThanImage(let kernel, let image): return "convolve(): the \(kernel) kernel is larger than the \(image) image"
        case .volumeFarTooLarge(let subject, let volume): return "\(subject): a volume of \(volume) is far too large"
        case .kernelTooLarge(let w, let h): return "kernel(): a kernel of \(w)x\(h) is too large"
        case .valuesOverMemory(let subject, let bytes, let limit):
            return "\(subject) holds \(byteText(bytes)) of values, over the memory cap of \(byteText(Double(limit)))"
        case .listJoinOverLimit(let left, let right, let limit):
            return "joining lists of \(left) and \(right) items passes the limit of \(limit) items in a list"
        case .stringJoinOverLimit(let bytes, let limit):
            return "joining these strings gives \(bytes) bytes, over the limit of \(limit)"
        case .rangeOverLimit(let count, let limit): return "range() of \(count) numbers is over the limit of \(limit)"

        case .engine(let error):
            // The engine's estimate, told with the language's numbers (128 MB, not 128.0 MB).
            if case let .tooLarge(layer, what, bytes, limit) = error {
                return "layer \(layer): \(what) needs \(byteText(Double(bytes))), over the memory cap of \(byteText(Double(limit)));"
                    + " use fewer filters or units, or a smaller input (CONVNET_MEMORY_LIMIT raises the cap)"
            }
            return error.description

        case .unknownFilter(let name, let guess, let known):
            return "filter(): there is no hand-made filter \"\(name)\"" + (guess.map { "; did you mean \"\($0)\"?" } ?? "")
                + " The filters are " + known.map { "\"\($0)\"" }.joined(separator: ", ") + "."
        case .oneChannelOnly(let builtin, let volume):
            return "\(builtin)() shows one channel, and this image is \(volume); take one with image[0]"
        case .filterDeeperThanImage(let builtin, let depth):
            return "\(builtin)(): a filter of depth \(depth) does not fit an image of depth 1; take one slice with kernel[0]"
        case .mapTooLargeToDraw(let builtin, let w, let h, let limit):
            return "\(builtin)() draws maps up to \(limit)x\(limit), and this one is \(w)x\(h)"
        case .noConvLayer(let builtin): return "\(builtin)(): this net has no conv layer"
        case .notAConvLayer(let builtin, let layer, let spec, let convs):
            return "\(builtin)(): layer \(layer) is \(spec), not a conv layer; the conv layers are "
                + convs.map(String.init).joined(separator: ", ")
        case .imageDoesNotFitNet(let builtin, let image, let net):
            return "\(builtin)(): the \(builtin == "train" ? "watched " : "")image is \(image), but the net reads \(net)"
        case .matrixWithoutImages(let builtin):
            return "\(builtin)(): this matrix does not remember its images; make it with confusion(net, data)"
        case .noSuchClass(let builtin, let name, let guess):
            return "\(builtin)(): there is no class \"\(name)\"" + (guess.map { "; did you mean \"\($0)\"?" } ?? "")

        case .data(let error): return error.description
        case .engineFailure(let text): return text

        case .interrupted: return "interrupted"
        case .trainingInterrupted(let batches):
            return "interrupted after \(batches) batch" + (batches == 1 ? "" : "es") + "; the net keeps the weights learned so far"
        case .evaluationInterrupted(let done, let total): return "interrupted after \(done) of \(total) images"
        case .inputInterrupted: return "interrupted while waiting for input"
        case .inputUnavailable:
            return "input() is not available here: the front end does not accept input (allow_stdin is false)"
        case .checkFailed(let text), .notImplemented(let text), .failed(let text): return text
        case .changesStateInExpression(let builtin):
            return "\(builtin)() changes the session, so a user expression (which must change nothing) cannot call it"
        case .undeclaredParameter(let builtin, let parameter):
            return "internal error: \(builtin)() reads '\(parameter)', which it does not declare"
        }
    }

    private func didYouMean(_ guess: String?) -> String { guess.map { "; did you mean '\($0)'?" } ?? "" }

    /// "1.5 GB", "12 MB".
    private func byteText(_ bytes: Double) -> String {
        let gigabyte = 1_073_741_824.0, megabyte = 1_048_576.0
        return bytes >= gigabyte
            ? "\(Value.format((bytes / gigabyte * 10).rounded() / 10)) GB"
            : "\(Value.format((bytes / megabyte * 10).rounded() / 10)) MB"
    }
}
