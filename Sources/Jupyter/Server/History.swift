import JupyterProtocol
/// The inputs of this kernel session, in memory, for history_request
/// (messaging.rst, "History"): tail, range and search.
///
/// Entries are `[session, line, input]`, or `[session, line, [input, output]]` when the
/// front end asks for output (kept here as the text/plain of the execute_result, if any).
/// The session number is always 1: there are no earlier sessions to look back at.
public struct History {
    public struct Entry: Equatable {
        public var line: Int
        public var input: String
        public var output: String?
    }

    public static let session = 1
    public private(set) var entries: [Entry] = []

    public init() {}

    public mutating func record(line: Int, input: String) {
        entries.append(Entry(line: line, input: input, output: nil))
    }

    /// Remembers the text result of the cell at `line`.
    public mutating func recordOutput(line: Int, output: String) {
        if let i = entries.lastIndex(where: { $0.line == line }) { entries[i].output = output }
    }

    /// The last `n` entries.
    public func tail(_ n: Int) -> [Entry] {
        Array(entries.suffix(max(0, n)))
    }

    /// Lines `start..<stop` of `session` (0 or 1 both mean this one; a negative session is an
    /// earlier one, of which there are none; negative lines count from the end, as IPython's
    /// history manager does; stop 0 or absent means to the end).
    public func range(session: Int, start: Int, stop: Int?) -> [Entry] {
        guard session == 0 || session == History.session else { return [] }
        let last = (entries.last?.line ?? 0) + 1
        let from = start < 0 ? last + start : start
        let to = stop.map { $0 <= 0 ? last + $0 : $0 } ?? last
        return entries.filter { $0.line >= from && $0.line < to }
    }

    /// Entries whose input matches the glob `pattern` (`*` any text, `?` one character),
    /// newest last; with `unique`, each input once (its latest occurrence); at most `n` when given.
    public func search(pattern: String, n: Int?, unique: Bool) -> [Entry] {
        let glob = Array(pattern)
        var matches = entries.filter { History.glob(glob, matches: Array($0.input)) }
        if unique {
            var seen = Set<String>()
            matches = matches.reversed().filter { seen.insert($0.input).inserted }.reversed()
        }
        if let n, n >= 0 { matches = Array(matches.suffix(n)) }
        return matches
    }

    /// Glob match over characters, iterative with backtracking to the last `*`.
    static func glob(_ pattern: [Character], matches text: [Character]) -> Bool {
        var p = 0, t = 0
        var starP = -1, starT = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "*" {
                starP = p
                starT = t
                p += 1
            } else if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if starP >= 0 {
                p = starP + 1
                starT += 1
                t = starT
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    /// The JSON form of entries for history_reply.
    public static func json(_ entries: [Entry], output: Bool) -> JSON {
        .array(
            entries.map { entry in
                let input = JSON.string(entry.input)
                let value: JSON = output ? [input, entry.output.map(JSON.string) ?? .null] : input
                return [.number(Double(History.session)), .number(Double(entry.line)), value]
            })
    }
}
