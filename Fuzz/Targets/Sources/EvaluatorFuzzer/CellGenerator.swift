import FuzzSupport

/// Writes cells of the convnet language from the fuzzer's choices, one method per grammar
/// rule of docs/language.md (statement, block, expression, call, primary), so the evaluator
/// sees mostly valid programs: calls of the documented built-ins with arguments of the
/// kinds their parameters take, and now and then a value of the wrong kind.
///
/// Each rule lists its simplest option first: when the choices run out, the program ends.
struct CellGenerator {
    var choices: Choices
    let signatures: [Signature]
    /// The built-ins that make layers, for `sequential(...)` and `add(...)`.
    private let layerSignatures: [Signature]
    /// Names the setup cell defines and names the cells assign; `ghost` is never defined.
    private var names = ["data", "img", "edge", "net", "x", "xs", "s", "ghost"]
    private let maximumDepth = 4

    init(choices: Choices, signatures: [Signature]) {
        self.choices = choices
        self.signatures = signatures
        let layerNames = ["conv", "dense", "relu", "sigmoid", "tanh", "softmax", "maxpool", "avgpool", "dropout", "flatten", "leakyrelu"]
        layerSignatures = signatures.filter { layerNames.contains($0.name) }
    }

    // MARK: - Statements

    /// One to four statements.
    mutating func cell() -> String {
        let count = 1 + choices.pick(4)
        return (0..<count).map { _ in statement(indent: "", depth: 0) }.joined(separator: "\n")
    }

    mutating func statement(indent: String, depth: Int) -> String {
        switch choices.pick(depth < 2 ? 10 : 7) {
        case 0, 1, 2: return indent + call(depth: 0)
        case 3, 4:
            let name = choices.pick(from: names + ["a", "b", "n", "h"])
            if !names.contains(name) { names.append(name) }
            return indent + "\(name) = \(expression(depth: 0))"
        case 5: return indent + expression(depth: 0)
        case 6: return indent + "pass"
        case 7:
            let variable = choices.pick(from: ["i", "x", "img", "layer"])
            let sequence = choices.pick(from: ["range(3)", "xs", "data.test[0:3]", "net.layers", "s", "[]"] + [expression(depth: 2)])
            return indent + "for \(variable) in \(sequence):\n" + block(indent: indent, depth: depth)
        default:
            var text = indent + "if \(expression(depth: 1)):\n" + block(indent: indent, depth: depth)
            if choices.chance(1, in: 3) { text += "\n\(indent)elif \(expression(depth: 1)):\n" + block(indent: indent, depth: depth) }
            if choices.chance(1, in: 2) { text += "\n\(indent)else:\n" + block(indent: indent, depth: depth) }
            return text
        }
    }

    /// The indented body of a for or if.
    mutating func block(indent: String, depth: Int) -> String {
        let inner = indent + choices.pick(from: ["    ", "  ", "\t"])
        return (0...choices.pick(2)).map { _ in statement(indent: inner, depth: depth + 1) }.joined(separator: "\n")
    }

    // MARK: - Expressions

    mutating func expression(depth: Int) -> String {
        if depth >= maximumDepth { return primary() }
        switch choices.pick(12) {
        case 0, 1, 2: return primary()
        case 3, 4, 5: return call(depth: depth + 1)
        case 6:
            let op = choices.pick(from: ["+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "and", "or"])
            return "\(expression(depth: depth + 1)) \(op) \(expression(depth: depth + 1))"
        case 7: return choices.pick(from: ["-", "not "]) + expression(depth: depth + 1)
        case 8: return "[" + (0..<choices.pick(4)).map { _ in expression(depth: depth + 1) }.joined(separator: ", ") + "]"
        case 9:
            let base = choices.pick(from: ["xs", "data.test", "data.train", "s", "net.layers", "img"] + [expression(depth: depth + 1)])
            if choices.chance(1, in: 2) { return "\(base)[\(number())]" }
            let low = choices.chance(2, in: 3) ? number() : "", high = choices.chance(2, in: 3) ? number() : ""
            return "\(base)[\(low):\(high)]"
        case 10:
            return "\(choices.pick(from: ["data", "data.test", "img", "net", "net.layers[0]", "xs", "h"] + [expression(depth: depth + 1)])).\(attribute())"
        default: return "(\(expression(depth: depth + 1)))"
        }
    }

    /// A call of a documented built-in, its arguments chosen by parameter name.
    mutating func call(depth: Int) -> String { call(depth: depth, among: signatures) }

    mutating func call(depth: Int, among pool: [Signature]) -> String {
        guard !pool.isEmpty else { return primary() }
        let signature = choices.pick(from: pool)
        var arguments: [String] = []
        for parameter in signature.parameters {
            if parameter.isVariadic {
                arguments += (0..<choices.pick(4)).map { _ in argument(for: parameter.name, depth: depth) }
            } else if !parameter.hasDefault {
                // Required: by position, now and then by keyword or left out.
                switch choices.pick(12) {
                case 0: arguments.append("\(parameter.name): \(argument(for: parameter.name, depth: depth))")
                case 1: continue
                default: arguments.append(argument(for: parameter.name, depth: depth))
                }
            } else if choices.chance(1, in: 2) {
                let separator = choices.chance(1, in: 4) ? "=" : ": "
                arguments.append("\(parameter.name)\(separator)\(argument(for: parameter.name, depth: depth))")
            }
        }
        // Rarely: an unknown keyword, or one positional argument too many.
        if choices.chance(1, in: 24) { arguments.append("colour: 1") }
        if choices.chance(1, in: 24) { arguments.append(primary()) }
        return "\(signature.name)(\(arguments.joined(separator: ", ")))"
    }

    /// A value of the kind a parameter of this name takes, or (one time in eight) any value.
    mutating func argument(for parameter: String, depth: Int) -> String {
        if depth >= maximumDepth || choices.chance(1, in: 8) { return depth >= maximumDepth ? primary() : expression(depth: depth + 1) }
        switch parameter {
        case "net": return choices.pick(from: ["net", "net", "n", "sequential(28x28x1, dense(10))"])
        case "image": return choices.pick(from: ["img", "edge", "data.test[1]", "filters(net, 1)[0]", "convolve(img, edge)"])
        case "images": return choices.pick(from: ["data.test[0:4]", "[img, edge]", "filters(net, 1)", "activations(net, img)", "img"])
        case "kernel": return choices.pick(from: ["edge", "img", "kernel([[1]])"])
        case "rows": return rows()
        case "data": return choices.pick(from: ["data.train", "data.test", "data.test[0:4]", "data.train[0:1]", "data"])
        case "size", "window", "input": return volume()
        case "layers": return layer(depth: depth)
        case "optimizer": return choices.pick(from: ["sgd()", "sgd(lr: 0.1, momentum: 0.9)", "adam()", "adagrad(lr: 1)", "adadelta()"])
        case "name": return choices.pick(from: ["\"mnist\"", "\"fashion-mnist\"", "\"Fashion_MNIST\"", "\"cifar10\"", "\"imagenet\""])
        case "folder": return choices.pick(from: ["\"fuzz-data/mnist\"", "\"no-such-folder\"", "\"fuzz-data\""])
        case "path": return choices.pick(from: ["\"net.json\"", "\"missing.png\"", "\"fuzz-data\"", "\"\""])
        case "id": return choices.pick(from: ["\"volume-cifar\"", "\"conv-output\"", "\"no-such-exercise\"", "1"])
        case "message", "title", "prompt", "topic": return string()
        case "lr", "momentum", "rate", "slope", "beta1", "beta2", "rho", "seconds":
            return choices.pick(from: ["0.01", "0.5", "0", "1", "-0.1", "1e9", "0.9", "2"])
        case "layer_or_net": return choices.chance(1, in: 2) ? "net" : layer(depth: depth)
        case "loss": return choices.pick(from: ["\"softmax\"", "\"mse\"", "\"hinge\""])
        default: return number()
        }
    }

    mutating func layer(depth: Int) -> String {
        guard !layerSignatures.isEmpty, choices.chance(3, in: 4) else {
            return choices.pick(from: ["conv(2, 3x3)", "dense(3)", "relu()", "maxpool(2x2)", "softmax()"])
        }
        return call(depth: depth + 1, among: layerSignatures)
    }

    // MARK: - Primaries

    mutating func primary() -> String {
        switch choices.pick(8) {
        case 0, 1: return number()
        case 2: return choices.pick(from: names)
        case 3: return volume()
        case 4: return string()
        case 5: return choices.pick(from: ["true", "false", "none"])
        case 6: return choices.pick(from: ["conv", "help", "print"])
        default: return rows()
        }
    }

    mutating func number() -> String {
        choices.pick(from: ["1", "0", "2", "3", "-1", "5", "8", "10", "16", "28", "0.5", "100", "1e9", "-0.0", "1e308", "99999999999999999999", "0.000001", "7"])
    }

    mutating func volume() -> String {
        choices.pick(from: ["2x2", "3x3", "5x5", "28x28x1", "1x1", "24x24x8", "4x4x3", "0x0", "1x1x1", "30x30", "100000x100000x3", "[2, 2]", "[3, 3, 3]", "2x2x2x2"])
    }

    mutating func string() -> String {
        choices.pick(from: ["\"hi\"", "\"\"", "'é 👋'", "\"a\\nb\"", "\"<b>&amp;</b>\"", "\"\\t'\\\"\"", "\"x\" * 3"])
    }

    mutating func attribute() -> String {
        choices.pick(from: ["train", "test", "label", "class", "volume", "count", "layers", "accuracy", "loss", "batches", "name", "width", "weights", "nope"])
    }

    /// A list of rows of numbers, as `kernel(...)` takes, sometimes ragged.
    mutating func rows() -> String {
        let height = 1 + choices.pick(3), width = 1 + choices.pick(3)
        let rows = (0..<height).map { r in
            "[" + (0..<(r == 1 && choices.chance(1, in: 6) ? width + 1 : width)).map { _ in number() }.joined(separator: ", ") + "]"
        }
        return "[" + rows.joined(separator: ", ") + "]"
    }
}
