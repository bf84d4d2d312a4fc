/// What surrounds the cursor in a cell: the word being typed, the chain of names
/// before a dot, and the call whose parentheses hold the cursor. Completion and
/// inspection both read it. Offsets count Unicode code points.
struct CursorContext {
    /// The name characters just before the cursor (the prefix to complete).
    var prefix: String
    /// Where that prefix starts.
    var prefixStart: Int
    /// Where the word under the cursor ends (the cursor, or further if it sits inside a word).
    var wordEnd: Int
    /// The whole word under the cursor.
    var word: String
    /// `data.test.` before the prefix: ["data", "test"]; nil when no dot precedes it.
    var dotChain: [String]?
    /// The name of the innermost call whose `(` is open at the cursor.
    var enclosingCall: String?
    /// The cursor is inside a string or a comment.
    var inStringOrComment: Bool

    init(code: String, cursor: Int) {
        let scalars = Array(code.unicodeScalars)
        let cursor = min(max(0, cursor), scalars.count)
        let isWord: (Unicode.Scalar) -> Bool = { isNameStart($0) || isDigit($0) }

        var start = cursor
        while start > 0 && isWord(scalars[start - 1]) { start -= 1 }
        var end = cursor
        while end < scalars.count && isWord(scalars[end]) { end += 1 }
        prefixStart = start
        wordEnd = end
        prefix = String(String.UnicodeScalarView(scalars[start..<cursor]))
        word = String(String.UnicodeScalarView(scalars[start..<end]))

        // Names joined by dots before the prefix: `net.layers.` or `data.`.
        var chain: [String] = []
        var i = start
        while i > 0 && scalars[i - 1] == "." {
            var j = i - 1
            while j > 0 && isWord(scalars[j - 1]) { j -= 1 }
            let name = String(String.UnicodeScalarView(scalars[j..<(i - 1)]))
            guard !name.isEmpty, let first = name.unicodeScalars.first, isNameStart(first) else { chain = []; break }
            chain.insert(name, at: 0)
            i = j
        }
        dotChain = chain.isEmpty ? nil : chain

        // Scan from the start to the cursor, tracking strings, comments and open calls.
        var stack: [String?] = []
        var quote: Unicode.Scalar?
        var comment = false
        var k = 0
        while k < cursor {
            let c = scalars[k]
            if comment {
                if c == "\n" { comment = false }
            } else if let q = quote {
                if c == "\\" { k += 1 } else if c == q || c == "\n" { quote = nil }
            } else if c == "#" {
                comment = true
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "(" || c == "[" {
                var j = k
                while j > 0 && scalars[j - 1] == " " { j -= 1 }
                var s = j
                while s > 0 && isWord(scalars[s - 1]) { s -= 1 }
                let name = c == "(" && s < j ? String(String.UnicodeScalarView(scalars[s..<j])) : nil
                stack.append(name)
            } else if c == ")" || c == "]" {
                if !stack.isEmpty { stack.removeLast() }
            }
            k += 1
        }
        inStringOrComment = comment || quote != nil
        enclosingCall = stack.last ?? nil
    }
}
