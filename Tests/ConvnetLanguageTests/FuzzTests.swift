import Convnet
import Foundation
import XCTest

@testable import ConvnetLanguage

/// Thousands of random and mutated cells in one session: none may crash the
/// process, outlive its time budget by seconds, or change the session's variables when it
/// fails. (Fuzz/ holds the coverage-guided fuzzers; this runs in every `swift test`.)
final class FuzzTests: XCTestCase {
    /// Cells in the chapter's style, the seeds that mutations start from.
    static let chapterCells = [
        "x = 1 + 2 * 3\nx",
        "data.test[0]",
        "img = data.test[0]\nimg.label",
        "show(data.test[0:8])",
        "edge = kernel([[-1, -1, -1], [0, 0, 0], [1, 1, 1]])\nconvolve(img, edge)",
        "shape(conv(8, 5x5), 28x28x1)",
        "shape(maxpool(2x2), 24x24x8)",
        "net = sequential(28x28x1,\n  conv(2, 5x5, pad: 2), relu(), maxpool(2x2),\n  dense(10), softmax())\nsummary(net)",
        "train(net, data.train[0:8], epochs: 1, batch: 4, optimizer: sgd(lr: 0.01, momentum: 0.9))",
        "evaluate(net, data.test[0:8])",
        "filters(net, 1)",
        "activations(net, img)",
        "confusion(net, data.test[0:8])",
        "check(shape(conv(8, 5x5), 28x28x1) == 24x24x8, \"24x24x8\")",
        "for lr in [0.1, 0.01]:\n    print(\"lr\", lr)\n    if lr > 0.05:\n        print(\"big\")\n    else:\n        pass",
        "answer(\"volume-cifar\", 26x26x20)",
        "vars()",
        "xs = [1, 2, 3]\nxs[0:2] + [xs[-1]]",
        "### BEGIN SOLUTION\ny = 28x28x1\n### END SOLUTION\ncheck(y == [28, 28, 1], \"volume\")",
        "help(conv)",
        "len(data.test)",
        "round(0.12345, 2) * 100 / 3 % 7",
    ]

    static let fragments = [
        "(", ")", "[", "]", ",", ":", ".", "=", "==", "+", "-", "*", "/", "%", "<", ">=", "\n", "\n    ", " ",
        "#", "\"", "'", "0", "1", "-1", "0.5", "1e9", "28x28x1", "5x5", "x", "net", "data", "img", "for", "in",
        "if", "else", "not", "and", "true", "none", "print", "range", "conv", "sequential", "check", "todo",
        "é", "👋", "\t", "pad:", "lr=", "[0:3]", ".test", ".layers", "()", "reset", "vars", "1/0",
        "99999999", "-99999999", "1e300", "100000x100000x3", "16777215x16777215", "0x0", "stride: 0", "pad: 1000",
        "filters(net, ", "activations(net, img)", "convolve(img, ", "kernel([[", "maxpool(img, ", "apply", "[-1]",
        "shape(net, ", "templates(net)", "add(net, dense(3))", "predict(net, img)", "epochs: 1000",
    ]

    func testFuzz_tenThousandCells_noCrashNoHangStateIntact() throws {
        // CONVNET_FUZZ_SEED and CONVNET_FUZZ_CELLS run other or longer corpora locally.
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["CONVNET_FUZZ_SEED"].flatMap(UInt64.init) ?? 20_261_125
        let cells = environment["CONVNET_FUZZ_CELLS"].flatMap(Int.init) ?? 10_000
        var random = SeededRandom(seed: seed)
        let session = LanguageSession(limits: Limits(memoryBytes: 256 << 20, maximumListCount: 100_000))
        let setup = RecordingContext()
        session.variables["data"] = .record(Self.tinyData())
        let fixtures = "x = 3\nxs = [1, 2, 3]\nimg = data.test[0]\nnet = sequential(28x28x1, conv(2, 5x5), relu(), maxpool(2x2), dense(10), softmax())"
        if case .failure(let e) = session.run(fixtures, context: setup) { XCTFail("fixtures: \(e)") }
        let interpreter = ConvnetInterpreter(session: session)

        var failures = 0
        var slowest = 0.0
        for i in 0..<cells {
            let cell = i % 2 == 0 ? Self.randomCell(&random) : Self.mutatedCell(&random)
            let before = session.variables
            // Each cell gets half a second, then is interrupted as the stop button would.
            let context = RecordingContext(cancelAfter: 0.5)
            let start = Date()
            let outcome = interpreter.executeRequest(code: cell, context: context)
            let elapsed = Date().timeIntervalSince(start)
            slowest = max(slowest, elapsed)
            // The budget stops a cell at 0.5 s; 5 s means something ignored it (a loaded CI
            // machine adds a little, not seconds).
            XCTAssertLessThan(elapsed, 5.0, "cell \(i) took \(elapsed) s:\n\(cell)")
            if case .error(let ename, _, let traceback) = outcome {
                failures += 1
                XCTAssertFalse(traceback.isEmpty)
                XCTAssertFalse(ename.isEmpty)
                XCTAssertTrue(session.variables == before, "cell \(i) failed but changed the variables:\n\(cell)")
            }
            // A reset() in a cell that succeeded empties the session: put the fixtures back.
            if session.variables["data"] == nil || session.variables["net"] == nil {
                session.variables["data"] = .record(Self.tinyData())
                _ = session.run(fixtures, context: setup)
            }
        }
        print("fuzz (seed \(seed)): \(cells) cells, \(failures) failed cleanly, slowest \(String(format: "%.3f", slowest)) s")
    }

    /// A data set of 16 random 28x28x1 images in 10 classes, as `dataset(...)` returns it.
    static func tinyData() -> Record {
        var random = SeededRandom(seed: 7)
        func part(_ name: String) -> Dataset {
            Dataset(
                name: name, volume: Volume(28, 28, 1), pixels: (0..<(16 * 784)).map { _ in UInt8(random.next() % 256) },
                labels: (0..<16).map { $0 % 10 }, classNames: (0..<10).map { "class \($0)" })
        }
        return Record(
            kind: "data", fields: [("train", .dataset(part("tiny train"))), ("test", .dataset(part("tiny test")))],
            summary: "tiny data")
    }

    static func randomCell(_ random: inout SeededRandom) -> String {
        let length = Int(random.next() % 24) + 1
        return (0..<length).map { _ in fragments[Int(random.next() % UInt64(fragments.count))] }.joined()
    }

    static func mutatedCell(_ random: inout SeededRandom) -> String {
        var scalars = Array(chapterCells[Int(random.next() % UInt64(chapterCells.count))].unicodeScalars)
        let mutations = Int(random.next() % 4) + 1
        for _ in 0..<mutations {
            let position = scalars.isEmpty ? 0 : Int(random.next() % UInt64(scalars.count))
            switch random.next() % 4 {
            case 0 where !scalars.isEmpty:
                scalars.remove(at: position)
            case 1:
                let fragment = fragments[Int(random.next() % UInt64(fragments.count))]
                scalars.insert(contentsOf: fragment.unicodeScalars, at: position)
            case 2 where !scalars.isEmpty:
                let end = min(scalars.count, position + Int(random.next() % 8))
                scalars.removeSubrange(position..<end)
            default:
                if !scalars.isEmpty, let digit = "0123456789".unicodeScalars.randomElement(using: &random) {
                    scalars[position] = digit
                }
            }
        }
        return String(String.UnicodeScalarView(scalars))
    }
}

/// SplitMix64: a seeded generator, so a failing cell can be found again.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Calls of every built-in with random arguments of plausible kinds (sizes at the
/// edges, negative numbers, mismatched volumes): the success paths get fuzzed too.
final class BuiltinFuzzTests: XCTestCase {
    static let numbers = ["0", "1", "2", "3", "5", "-1", "0.5", "28", "100", "1e9", "-0.0"]
    static let volumes = ["1x1", "2x2", "3x3", "5x5", "7x7", "28x28x1", "1x1x1", "4x4x3", "30x30", "24x24x8", "[2, 2]", "[3, 3, 3]"]
    static let images = ["img", "edge", "m", "data.test[1]", "filters(net, 1)[0]", "convolve(img, edge)"]
    static let layers = [
        "conv(2, 3x3)", "conv(1, 5x5, pad: 2)", "conv(3, 2x2, stride: 2)", "maxpool(2x2)", "avgpool(3x3, stride: 1)",
        "dense(3)", "relu()", "sigmoid()", "tanh()", "softmax()", "dropout(0.3)", "flatten()", "leakyrelu(0.2)",
    ]

    func testFuzz_randomCallsOfEveryBuiltin_noCrashStateIntact() throws {
        var random = SeededRandom(seed: 4242)
        let session = LanguageSession(limits: Limits(memoryBytes: 256 << 20, maximumListCount: 100_000))
        session.variables["data"] = .record(FuzzTests.tinyData())
        let fixtures = """
            img = data.test[0]
            edge = kernel([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]])
            m = kernel([[1, 3, 2, 0], [5, 6, 1, 8], [0, 2, 4, 1], [3, 1, 0, 2]])
            net = sequential(28x28x1, conv(2, 5x5), relu(), maxpool(2x2), dense(10), softmax())
            """
        if case .failure(let e) = session.run(fixtures, context: RecordingContext()) { return XCTFail("\(e)") }
        let interpreter = ConvnetInterpreter(session: session)
        func pick(_ xs: [String]) -> String { xs[Int(random.next() % UInt64(xs.count))] }
        let templates: [() -> String] = [
            { "shape(\(pick(Self.layers)), \(pick(Self.volumes)))" },
            { "shape(net, \(pick(Self.numbers)))" },
            { "sequential(\(pick(Self.volumes)), \(pick(Self.layers)), \(pick(Self.layers)))" },
            { "convolve(\(pick(Self.images)), \(pick(Self.images)), stride: \(pick(Self.numbers)), pad: \(pick(Self.numbers)))" },
            { "maxpool(\(pick(Self.images)), \(pick(Self.volumes)))" },
            { "avgpool(\(pick(Self.images)), \(pick(Self.volumes)), stride: \(pick(Self.numbers)))" },
            { "relu(\(pick(Self.images)))" },
            { "kernel([[\(pick(Self.numbers)), \(pick(Self.numbers))], [\(pick(Self.numbers))]])" },
            { "filters(net, \(pick(Self.numbers)))" },
            { "activations(net, \(pick(Self.images)))" },
            { "predict(net, \(pick(Self.images)))" },
            { "show([\(pick(Self.images)), \(pick(Self.images))], columns: \(pick(Self.numbers)))" },
            { "data.test[\(pick(Self.numbers)):\(pick(Self.numbers))]" },
            { "n = sequential(28x28x1, \(pick(Self.layers)), dense(10))\ntrain(n, data.train[0:\(pick(Self.numbers))], batch: \(pick(Self.numbers)), epochs: \(pick(["1", "2", "0"])))" },
            { "evaluate(net, data.test[\(pick(Self.numbers)):\(pick(Self.numbers))])" },
            { "confusion(net, data.test[0:\(pick(Self.numbers))])" },
            { "add(net, \(pick(Self.layers)))\nnet = sequential(28x28x1, conv(2, 5x5), relu(), maxpool(2x2), dense(10), softmax())" },
            { "answer(\"volume-cifar\", \(pick(Self.volumes + Self.numbers)))" },
            { "range(\(pick(Self.numbers)), \(pick(Self.numbers)), \(pick(Self.numbers)))" },
            { "round(\(pick(Self.numbers)), \(pick(Self.numbers)))" },
            { "\(pick(Self.images))[\(pick(Self.numbers))]" },
            { "templates(sequential(\(pick(Self.volumes)), dense(\(pick(Self.numbers)))))" },
        ]
        var succeeded = 0
        for i in 0..<2_000 {
            let cell = templates[Int(random.next() % UInt64(templates.count))]()
            let before = session.variables
            let outcome = interpreter.executeRequest(code: cell, context: RecordingContext(cancelAfter: 0.5))
            switch outcome {
            case .ok: succeeded += 1
            case .error:
                XCTAssertTrue(session.variables == before, "cell \(i) failed but changed the variables:\n\(cell)")
            }
        }
        print("builtin fuzz: 2000 calls, \(succeeded) succeeded")
        XCTAssertGreaterThan(succeeded, 400, "the generator should mostly make calls that work")
    }
}
