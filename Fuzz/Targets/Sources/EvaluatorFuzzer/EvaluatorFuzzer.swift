import ConvnetLanguage
import Foundation
import FuzzSupport
import JupyterProtocol

// The evaluator on cells written from the language's grammar (CellGenerator), in a fresh
// session with the session's limits for each input, with the chapter's values defined:
// a tiny data set loaded through dataset(), an image, a kernel and a small net.
//
// An input is an optional cell's text, a 0 byte, then the generator's choices: the corpus
// (Fuzz/corpus/evaluator) holds the cell files' cells that way, and libFuzzer mutates both.
//
// Beyond "no trap, no leak, no hang": a failing cell returns an error with a name and a
// traceback and leaves every variable as it was; every output encodes as JSON.

/// Where the fuzzer works: data files, and anything a cell saves (relative paths land here).
let workFolder: String = {
    let folder = ProcessInfo.processInfo.environment["FUZZ_WORKDIR"] ?? NSTemporaryDirectory() + "convnet-fuzz-\(getpid())"
    try! FileManager.default.createDirectory(atPath: folder + "/fuzz-data", withIntermediateDirectories: true)
    try! TinyDataSets.write(into: folder + "/fuzz-data")
    setenv("CONVNET_DATA", folder + "/fuzz-data", 1)
    invariant(FileManager.default.changeCurrentDirectoryPath(folder), "cannot work in \(folder)")
    return folder
}()

/// The built-ins as help and Shift-Tab document them.
let signatures: [Signature] = {
    let found = Signature.all(from: ConvnetInterpreter(session: LanguageSession(limits: Limits())))
    // Inspection's first line is a built-in's signature; if that changes, the generator must too.
    invariant(found.count >= 30, "only \(found.count) built-in signatures found through inspect_request")
    return found
}()

let setupCell = """
    data = dataset("mnist")
    img = data.test[0]
    edge = kernel([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]])
    net = sequential(28x28x1, conv(2, 5x5), relu(), maxpool(2x2), dense(10), softmax())
    x = 3
    xs = [1, 2, 3]
    s = "text"
    """

/// Caps small enough for a fuzzer's memory (libFuzzer's -rss_limit_mb) and time.
let limits = Limits(memoryBytes: 64 << 20, maximumListCount: 10_000, maximumStringLength: 1 << 20)

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    _ = workFolder
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var cells: [String] = []
    var choiceBytes = bytes
    if let zero = bytes.firstIndex(of: 0) {
        let text = String(decoding: bytes[..<zero], as: UTF8.self)
        // save() writes files: a mutated path could name any file on the machine.
        if !text.contains("save") { cells.append(text) }
        choiceBytes = Array(bytes[(zero + 1)...])
    }
    var generator = CellGenerator(choices: Choices(choiceBytes), signatures: signatures)
    for _ in 0..<3 where cells.isEmpty || !generator.choices.isExhausted {
        cells.append(generator.cell())
    }

    let interpreter = ConvnetInterpreter(session: LanguageSession(limits: limits))
    // No interrupt for the setup: on a loaded machine it may take longer than a cell's budget.
    let setupContext = FuzzContext(executionCount: 0, isSilent: false, inputLine: nil, pollBudget: .max, secondsBudget: 3600)
    let setup = interpreter.executeRequest(code: setupCell, context: setupContext)
    invariant(setup == .ok(result: nil), "the setup cell failed: \(setup)")
    for (count, cell) in cells.enumerated() {
        run(cell, in: interpreter, count: count + 1, choices: &generator.choices)
    }
    return 0
}

func run(_ cell: String, in interpreter: ConvnetInterpreter, count: Int, choices: inout Choices) {
    let session = interpreter.session
    let before = session.variables
    let context = FuzzContext(
        executionCount: count, isSilent: choices.chance(1, in: 8), inputLine: choices.chance(1, in: 2) ? "3" : nil)
    switch interpreter.executeRequest(code: cell, context: context) {
    case .ok(let result):
        if let result { _ = JSON.object(result.data).encoded() }
    case .error(let ename, let evalue, let traceback):
        invariant(!ename.isEmpty && !traceback.isEmpty, "an error without a name or traceback:\n\(cell)")
        invariant(traceback.last?.hasPrefix(ename) == true, "the traceback does not end with \(ename): \(evalue)\n\(cell)")
        invariant(Set(session.variables.keys) == Set(before.keys), "a failing cell changed which names exist:\n\(cell)")
        for (name, value) in before {
            // repr, so a NaN (never equal to itself) still counts as unchanged.
            let after = session.variables[name]!
            invariant(after == value || after.repr == value.repr, "a failing cell changed '\(name)':\n\(cell)")
        }
    }
    // The tooling reads what the cell left behind.
    let cursor = choices.pick(cell.unicodeScalars.count + 1)
    _ = interpreter.completeRequest(code: cell, cursorPosition: cursor)
    _ = interpreter.inspectRequest(code: cell, cursorPosition: cursor, detailLevel: 0)
    _ = interpreter.isCompleteRequest(code: cell)
}
