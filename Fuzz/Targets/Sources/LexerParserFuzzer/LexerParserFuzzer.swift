import ConvnetLanguage
import FuzzSupport
import JupyterProtocol
import JupyterProtocol

// The lexer and parser on any text, and the tooling that reads half-typed cells
// (is_complete, completion, inspection): none may trap, whatever the bytes.
// The corpus is the language's cell files, one cell per file (Fuzz/corpus/lexer-parser).

/// One interpreter for every input: tooling reads the session's names but these requests
/// change nothing, so inputs stay independent.
nonisolated(unsafe) let interpreter = ConvnetInterpreter(session: LanguageSession(limits: Limits()))

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let code = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let parsed: Bool
    do {
        _ = try Parser.parse(code)
        parsed = true
    } catch {
        // The caret line is computed from the error's span over the same text.
        let traceback = error.traceback(in: code)
        invariant(!traceback.isEmpty, "an empty traceback for \(error)")
        parsed = false
    }
    let completeness = interpreter.isCompleteRequest(code: code)
    if parsed {
        invariant(completeness != .invalid, "is_complete calls a cell that parses invalid")
    }
    // The cursor at the end (as when typing), and anywhere from before the start to past
    // the end (clients send any number). Completion is the costly part: two positions.
    let length = code.unicodeScalars.count
    let anywhere = size == 0 ? 0 : Int(data[0]) % (length + 3) - 1
    for cursor in [length, anywhere] {
        let completion = interpreter.completeRequest(code: code, cursorPosition: cursor)
        invariant(
            completion.cursorStart <= completion.cursorEnd && completion.cursorStart >= 0 && completion.cursorEnd <= length,
            "completion range \(completion.cursorStart)..<\(completion.cursorEnd) outside 0...\(length)")
        _ = interpreter.inspectRequest(code: code, cursorPosition: cursor, detailLevel: cursor & 1)
    }
    return 0
}
