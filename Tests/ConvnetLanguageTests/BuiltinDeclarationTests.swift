import Foundation
import XCTest

@testable import ConvnetLanguage

/// Each built-in's declaration against its body: every optional parameter it
/// declares is read (and checked) by the body, and a default left out behaves as
/// the default written out. help(), completion, Shift-Tab and the docs read the
/// same declaration, so this is what keeps them true.
final class BuiltinDeclarationTests: XCTestCase {
    /// A call of each built-in with its required arguments (the names come from `setUp`).
    private static let baseCalls: [String: String] = [
        "dataset": "dataset(\"fashion-mnist\"", "image": "image(\"/nonexistent/digit.png\"", "images": "images(\"/nonexistent/photos\"", "show": "show(small",
        "kernel": "kernel([[1, 0], [0, 1]]", "convolve": "convolve(img, k",
        "conv": "conv(8, 5x5", "maxpool": "maxpool(2x2", "avgpool": "avgpool(2x2", "dense": "dense(10",
        "relu": "relu(", "leakyrelu": "leakyrelu(", "sigmoid": "sigmoid(", "tanh": "tanh(", "softmax": "softmax(",
        "dropout": "dropout(", "flatten": "flatten(", "sequential": "sequential(28x28x1, dense(10)",
        "add": "add(grown, relu()", "shape": "shape(net", "summary": "summary(net",
        "sgd": "sgd(", "adam": "adam(", "adagrad": "adagrad(", "adadelta": "adadelta(",
        "train": "train(net, small", "evaluate": "evaluate(net, small", "confusion": "confusion(net, small",
        "predict": "predict(net, img", "filters": "filters(net", "activations": "activations(net, img",
        "templates": "templates(sequential(28x28x1, dense(10))", "save": "save(net, path", "load": "load(path",
        "check": "check(true", "todo": "todo(", "exercises": "exercises(", "exercise": "exercise(\"volume-cifar\"",
        "answer": "answer(\"volume-cifar\", 26x26x20",
        "print": "print(1", "warn": "warn(\"careful\"", "clear": "clear(", "sleep": "sleep(0", "fail": "fail(\"no\"",
        "input": "input(", "reset": "reset(", "vars": "vars(", "help": "help(",
        "range": "range(3", "len": "len([1]", "round": "round(1.25", "abs": "abs(-1", "min": "min(1, 2",
        "max": "max(1, 2", "str": "str(1", "system": "system(",
        "slider": "slider(0, 10", "dropdown": "dropdown([1, 2]", "toggle": "toggle(", "checkbox": "checkbox(",
        "button": "button(\"go\"", "play": "play(0, 10", "link": "link(play(0, 3), slider(0, 3)",
        "picture": "picture(img", "label": "label(\"hi\"", "row": "row(", "column": "column(", "live": "live(img",
        "training_controls": "training_controls(",
        "filter": "filter(\"blur\"", "convolution_step": "convolution_step(img, k, 3, 4", "layer_maps": "layer_maps(net, img",
        "training_view": "training_view(net, img", "confusion_examples": "confusion_examples(confusion(net, small), 0, 1",
    ]
    /// Calls whose base form fails on purpose (no such file; the stub; the failure itself).
    private static let failingBases: Set<String> = ["image", "images", "todo", "fail"]
    /// Parameters that take any value at all (text is made of it), so no value can be wrong.
    private static let anyValue: Set<String> = ["check.message", "todo.message", "input.prompt", "help.topic"]

    private var interpreter: ConvnetInterpreter!
    private var path: String!

    override func setUpWithError() throws {
        path = NSTemporaryDirectory() + "builtin-declaration-\(getpid()).net"
        interpreter = ConvnetInterpreter(session: LanguageSession(limits: Limits(memoryBytes: 1 << 30)))
        let setup = """
            data = dataset("fashion-mnist")
            small = data.test[0:8]
            img = data.test[0]
            k = kernel([[1, 0], [0, 1]])
            net = sequential(28x28x1, conv(2, 5x5), relu(), maxpool(2x2), dense(10), softmax())
            grown = sequential(28x28x1, dense(10))
            path = "\(path!)"
            save(net, path)
            """
        let outcome = interpreter.executeRequest(code: setup, context: RecordingContext())
        guard case .ok = outcome else { throw XCTSkip("setup failed: \(outcome)") }
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: path) }

    func testEveryBuiltin_hasABaseCall() {
        let names = Set(Builtins.all.map(\.name))
        XCTAssertEqual(names.subtracting(Self.baseCalls.keys), [], "built-ins without a base call here")
        XCTAssertEqual(Set(Self.baseCalls.keys).subtracting(names), [], "base calls of no built-in")
    }

    func testEveryBaseCall_succeeds() {
        // reset() last: it forgets the variables the others use.
        for (name, base) in Self.baseCalls.sorted(by: { ($0.key == "reset" ? 1 : 0, $0.key) < ($1.key == "reset" ? 1 : 0, $1.key) })
        where !Self.failingBases.contains(name) {
            let context = RecordingContext()
            if case .error(let ename, let evalue, _) = interpreter.executeRequest(code: base + ")", context: context) {
                XCTFail("\(base)) failed: \(ename): \(evalue)")
            }
        }
    }

    /// Each optional parameter, given a value of the wrong kind by keyword, makes the call
    /// fail with the caret on that argument: so the body reads the parameter the
    /// declaration documents (a documented keyword that the body ignored would pass).
    func testEveryDeclaredParameter_isReadByTheBody() {
        for builtin in Builtins.all {
            guard let base = Self.baseCalls[builtin.name] else { continue }
            let given = positionalCount(in: base)
            let positional = builtin.parameters.filter { !$0.isKeywordOnly && !$0.isVariadic }
            for parameter in builtin.parameters where !parameter.isVariadic && !parameter.isRequired {
                if let index = positional.firstIndex(where: { $0.name == parameter.name }), index < given { continue }
                if Self.anyValue.contains("\(builtin.name).\(parameter.name)") { continue }
                let separator = base.hasSuffix("(") ? "" : ", "
                let prefix = base + separator + parameter.name + ": "
                let code = prefix + "[[1], \"x\"])"
                let outcome = interpreter.executeRequest(code: code, context: RecordingContext())
                guard case .error(_, let evalue, let traceback) = outcome else {
                    XCTFail("\(code) succeeded: \(builtin.name)() does not read '\(parameter.name)'")
                    continue
                }
                // The caret line: four spaces, then spaces up to the argument's column.
                let column = prefix.unicodeScalars.count
                let caret = traceback.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("^") }
                XCTAssertEqual(
                    caret.map { $0.prefix { $0 == " " }.count - 4 }, column,
                    "\(code): the error (\(evalue)) is not about '\(parameter.name)'")
            }
        }
    }

    /// The default a signature shows is the one the call uses.
    func testDefaults_leftOut_actAsWrittenOut() {
        for builtin in Builtins.all {
            // Statements (train changes the net it is given) have no result to compare.
            guard let base = Self.baseCalls[builtin.name], !Self.failingBases.contains(builtin.name),
                !builtin.isStatement
            else { continue }
            let written = builtin.parameters.compactMap { p -> String? in
                guard case .value(let v)? = p.defaultValue, !p.isVariadic else { return nil }
                if case .none = v { return nil }
                return "\(p.name): \(p.defaultValue!.text)"
            }
            guard !written.isEmpty, positionalCount(in: base) == builtin.parameters.filter(\.isRequired).count else {
                continue
            }
            let separator = base.hasSuffix("(") ? "" : ", "
            let plain = result(base + ")")
            let explicit = result(base + separator + written.joined(separator: ", ") + ")")
            XCTAssertNotNil(plain, base)
            XCTAssertEqual(plain, explicit, "\(builtin.name)(): leaving out \(written) differs from writing it")
        }
    }

    func testSignature_showsTypedDefaultsAsTheLanguageWritesThem() {
        let train = Builtins.all.first { $0.name == "train" }!
        XCTAssertEqual(
            train.signature,
            "train(net, data, epochs: 1, batch: 32, optimizer: sgd(lr: 0.01, momentum: 0.9), loss: \"softmax\", l1: 0, l2: 0, seed: 1, controls: false, watch: none)")
        let maxpool = Builtins.all.first { $0.name == "maxpool" }!
        XCTAssertEqual(maxpool.signature, "maxpool(size, window: none, stride: size)")
    }

    /// The text/plain of a cell's result.
    private func result(_ code: String) -> String? {
        guard case .ok(let bundle) = interpreter.executeRequest(code: code, context: RecordingContext()),
            case .string(let text)? = bundle?.data["text/plain"]
        else { return nil }
        return text
    }

    /// Arguments in a base call (top-level commas after its open bracket).
    private func positionalCount(in base: String) -> Int {
        guard let open = base.firstIndex(of: "(") else { return 0 }
        let inside = base[base.index(after: open)...]
        if inside.trimmingCharacters(in: .whitespaces).isEmpty { return 0 }
        var depth = 0, count = 1
        for c in inside {
            if "([".contains(c) { depth += 1 } else if ")]".contains(c) { depth -= 1 } else if c == ",", depth == 0 { count += 1 }
        }
        return count
    }
}
