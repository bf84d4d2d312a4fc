/// Every built-in of the language, gathered from the families' files.
public enum Builtins {
    /// All built-ins, in the order help() and the docs list them.
    public static var all: [Builtin] {
        data + layers + training + inspection + demos + exercises + exerciseBank + session + system + values + widgets
    }
}
