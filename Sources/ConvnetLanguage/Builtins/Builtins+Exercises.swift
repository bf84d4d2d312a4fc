// Checks that autograders count: check and todo. (exercises, exercise and answer
// join them when the exercise bank lands.)
extension Builtins {
    static var exercises: [Builtin] {
        [
            Builtin(
                "check", [.required("condition"), .optional("message", "\"check failed\"")], family: .exercises,
                summary: "Fails the cell with the message when the condition is false; shows nothing when it holds.",
                details: "What autograded test cells use: a failing check is an error output and an error reply;"
                    + " one that holds sends no result at all.",
                example: "check(shape(conv(8, 5x5), 28x28x1) == 24x24x8, \"5x5 filters on 28x28 give 24x24\")",
                isStatement: true
            ) { args, _ throws(LanguageError) in
                guard args.value("condition").isTruthy else {
                    let message = args.has("message") ? args.value("message").text : "check failed"
                    throw LanguageError(.check, message, at: args.spanOf("condition"))
                }
                return .none
            },
            Builtin(
                "todo", [.optional("message", "none")], family: .exercises,
                summary: "Fails the cell like Python's NotImplementedError: the stub left where a solution goes.",
                details: "nbgrader replaces each solution region with this call (c.ClearSolutions.code_stub).",
                example: "net = todo()", isStatement: true
            ) { args, _ throws(LanguageError) in
                throw LanguageError(
                    .notImplemented, args.has("message") ? args.value("message").text : "replace todo() with your solution")
            },
        ]
    }
}
