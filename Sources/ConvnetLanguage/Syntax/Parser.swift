/// A recursive-descent parser with one method per grammar rule (see docs/language.md):
///
///     cell        = statement* end
///     statement   = forLoop | conditional | simple newline
///     forLoop     = "for" NAME "in" expression ":" block
///     conditional = "if" expression ":" block ("elif" expression ":" block)* ("else" ":" block)?
///     block       = newline indent statement+ dedent | simple newline
///     simple      = "pass" | NAME "=" expression | expression
///     expression  = or
///     or          = and ("or" and)*
///     and         = not ("and" not)*
///     not         = "not" not | comparison
///     comparison  = term (("==" | "!=" | "<" | "<=" | ">" | ">=") term)?
///     term        = factor (("+" | "-") factor)*
///     factor      = unary (("*" | "/" | "%") unary)*
///     unary       = "-" unary | call
///     call        = primary ("(" arguments? ")" | "." NAME | "[" subscription "]")*
///     arguments   = argument ("," argument)* ","?      (no positional argument after a keyword one)
///     argument    = (NAME (":" | "="))? expression
///     subscription = expression | expression? ":" expression?
///     primary     = NUMBER | STRING | VOLUME | NAME | "true" | "false" | "none"
///                 | "(" expression ")" | "[" (expression ("," expression)* ","?)? "]"
public struct Parser {
    /// Deeper nesting than this is refused with an error instead of overflowing the stack.
    /// Left-deep chains (`a + b + c`, `x.y.z`, `f()()`) count too: each link is one
    /// more level of the tree, which is evaluated and freed recursively.
    public static let maximumDepth = 100

    private let tokens: [Token]
    private var current = 0
    private var depth = 0

    public init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// Parses a whole cell.
    /// - Throws: `LanguageError` (`SyntaxError`, or `RecursionError` for too deep nesting).
    public static func parse(_ code: String) throws(LanguageError) -> [Statement] {
        var parser = Parser(tokens: try Lexer.tokenize(code))
        return try parser.cell()
    }

    /// Parses one expression and nothing else (user_expressions).
    /// - Throws: `LanguageError`: a SyntaxError for a statement (`x = 5`) or anything after the expression.
    public static func parseExpression(_ code: String) throws(LanguageError) -> Expression {
        var parser = Parser(tokens: try Lexer.tokenize(code))
        while parser.match(.newline) {}
        let expression = try parser.expression()
        while parser.match(.newline) {}
        guard parser.check(.end) else {
            throw parser.error(expected: "one expression (user_expressions hold no statements)", found: parser.peek().display)
        }
        return expression
    }

    // MARK: - Statements

    mutating func cell() throws(LanguageError) -> [Statement] {
        var statements: [Statement] = []
        while !check(.end) {
            if match(.newline) { continue }
            statements.append(try statement())
        }
        return statements
    }

    mutating func statement() throws(LanguageError) -> Statement {
        if check(.keyword(.for)) { return try forLoop() }
        if check(.keyword(.if)) { return try conditional() }
        if check(.indent) {
            throw LanguageError(.unexpectedIndent, at: peek().span)
        }
        let statement = try simple()
        try endOfLine()
        return statement
    }

    mutating func forLoop() throws(LanguageError) -> Statement {
        let keyword = advance()
        guard case .name(let variable) = peek().kind else {
            throw error(expected: "a name after 'for' (for lr in [0.1, 0.01]:)")
        }
        advance()
        try consume(.keyword(.in), expected: "'in' after 'for \(variable)'")
        let sequence = try expression()
        try consume(.symbol(.colon), expected: "':' at the end of the 'for' line")
        let body = try block()
        return .forLoop(variable, sequence, body, keyword.span.through(sequence.span))
    }

    mutating func conditional() throws(LanguageError) -> Statement {
        let keyword = advance()
        var branches: [(Expression, [Statement])] = []
        let condition = try expression()
        try consume(.symbol(.colon), expected: "':' at the end of the 'if' line")
        branches.append((condition, try block()))
        var otherwise: [Statement]?
        while match(.keyword(.elif)) {
            let condition = try expression()
            try consume(.symbol(.colon), expected: "':' at the end of the 'elif' line")
            branches.append((condition, try block()))
        }
        if match(.keyword(.else)) {
            try consume(.symbol(.colon), expected: "':' after 'else'")
            otherwise = try block()
        }
        return .conditional(branches, otherwise, keyword.span.through(condition.span))
    }

    mutating func block() throws(LanguageError) -> [Statement] {
        try enter()
        defer { depth -= 1 }
        if !match(.newline) {
            // A one-line block: `for x in xs: print(x)`.
            let statement = try simple()
            try endOfLine()
            return [statement]
        }
        guard match(.indent) else { throw error(expected: "an indented block after ':'") }
        var statements: [Statement] = []
        while !check(.dedent) && !check(.end) {
            if match(.newline) { continue }
            statements.append(try statement())
        }
        match(.dedent)
        return statements
    }

    mutating func simple() throws(LanguageError) -> Statement {
        if check(.keyword(.pass)) { return .pass(advance().span) }
        if case .name(let name) = peek().kind, peekNext().kind == .symbol(.assign) {
            let target = advance()
            advance()
            let value = try expression()
            return .assign(name, value, target.span.through(value.span))
        }
        let value = try expression()
        if check(.symbol(.assign)) {
            throw LanguageError(.assignmentTarget, at: peek().span)
        }
        return .expression(value)
    }

    private mutating func endOfLine() throws(LanguageError) {
        if check(.end) || check(.dedent) { return }
        guard match(.newline) else {
            throw error(expected: "the end of the line; two statements need two lines")
        }
    }

    // MARK: - Expressions

    mutating func expression() throws(LanguageError) -> Expression {
        try enter()
        defer { depth -= 1 }
        return try or()
    }

    mutating func or() throws(LanguageError) -> Expression {
        var links = 0
        defer { depth -= links }
        var left = try and()
        while check(.keyword(.or)) {
            try link(&links)
            let op = advance()
            left = .binary(.or, left, try and(), op.span)
        }
        return left
    }

    mutating func and() throws(LanguageError) -> Expression {
        var links = 0
        defer { depth -= links }
        var left = try not()
        while check(.keyword(.and)) {
            try link(&links)
            let op = advance()
            left = .binary(.and, left, try not(), op.span)
        }
        return left
    }

    mutating func not() throws(LanguageError) -> Expression {
        if check(.keyword(.not)) {
            let op = advance()
            try enter()
            defer { depth -= 1 }
            let operand = try not()
            return .unary(.not, operand, op.span.through(operand.span))
        }
        return try comparison()
    }

    mutating func comparison() throws(LanguageError) -> Expression {
        var left = try term()
        let operators: [Symbol: BinaryOperator] = [
            .equal: .equal, .notEqual: .notEqual, .less: .less, .lessEqual: .lessEqual,
            .greater: .greater, .greaterEqual: .greaterEqual,
        ]
        var links = 0
        defer { depth -= links }
        var compared = false
        while case .symbol(let s) = peek().kind, let op = operators[s] {
            // Python reads `0 <= x < 10` as two tests; taken left to right it would compare
            // a bool with a number (or, for `a == b == c`, quietly give the wrong answer).
            if compared {
                throw LanguageError(.chainedComparison, at: peek().span)
            }
            try link(&links)
            let token = advance()
            left = .binary(op, left, try term(), token.span)
            compared = true
        }
        return left
    }

    mutating func term() throws(LanguageError) -> Expression {
        var left = try factor()
        var links = 0
        defer { depth -= links }
        while case .symbol(let s) = peek().kind, s == .plus || s == .minus {
            try link(&links)
            let token = advance()
            left = .binary(s == .plus ? .add : .subtract, left, try factor(), token.span)
        }
        return left
    }

    mutating func factor() throws(LanguageError) -> Expression {
        var left = try unary()
        let operators: [Symbol: BinaryOperator] = [.star: .multiply, .slash: .divide, .percent: .remainder]
        var links = 0
        defer { depth -= links }
        while case .symbol(let s) = peek().kind, let op = operators[s] {
            try link(&links)
            let token = advance()
            left = .binary(op, left, try unary(), token.span)
        }
        return left
    }

    mutating func unary() throws(LanguageError) -> Expression {
        if check(.symbol(.minus)) {
            let op = advance()
            try enter()
            defer { depth -= 1 }
            let operand = try unary()
            return .unary(.negate, operand, op.span.through(operand.span))
        }
        return try call()
    }

    mutating func call() throws(LanguageError) -> Expression {
        var value = try primary()
        var links = 0
        defer { depth -= links }
        while true {
            if check(.symbol(.leftParen)) || check(.symbol(.dot)) || check(.symbol(.leftBracket)) { try link(&links) }
            if check(.symbol(.leftParen)) {
                let open = advance()
                let arguments = try self.arguments()
                let close = try consume(.symbol(.rightParen), expected: "')' to close the call", opening: open)
                value = .call(value, arguments, value.span.through(close.span))
            } else if match(.symbol(.dot)) {
                guard case .name(let attribute) = peek().kind else { throw error(expected: "a name after '.'") }
                value = .attribute(value, attribute, advance().span)
            } else if check(.symbol(.leftBracket)) {
                let open = advance()
                value = try subscription(value, open: open)
            } else {
                return value
            }
        }
    }

    mutating func arguments() throws(LanguageError) -> [CallArgument] {
        var arguments: [CallArgument] = []
        while !check(.symbol(.rightParen)) {
            let start = peek().span
            var label: String?
            if case .name(let name) = peek().kind,
                peekNext().kind == .symbol(.colon) || peekNext().kind == .symbol(.assign)
            {
                label = name
                advance()
                advance()
            }
            // Found here, before any of the cell runs, not when the call is reached.
            if label == nil, arguments.contains(where: { $0.label != nil }) {
                throw LanguageError(.positionalAfterKeyword, at: start)
            }
            let value = try expression()
            arguments.append(CallArgument(label: label, value: value, span: start.through(value.span)))
            if !match(.symbol(.comma)) { break }
        }
        return arguments
    }

    mutating func subscription(_ base: Expression, open: Token) throws(LanguageError) -> Expression {
        var lower: Expression?
        if !check(.symbol(.colon)) { lower = try expression() }
        if match(.symbol(.colon)) {
            var upper: Expression?
            if !check(.symbol(.rightBracket)) { upper = try expression() }
            let close = try consume(.symbol(.rightBracket), expected: "']' to close the slice", opening: open)
            return .slice(base, lower, upper, open.span.through(close.span))
        }
        let close = try consume(.symbol(.rightBracket), expected: "']' to close the index", opening: open)
        return .index(base, lower!, open.span.through(close.span))
    }

    mutating func primary() throws(LanguageError) -> Expression {
        let token = peek()
        switch token.kind {
        case .number(let n): advance(); return .number(n, token.span)
        case .string(let s): advance(); return .string(s, token.span)
        case .volume(let dims): advance(); return .volume(dims, token.span)
        case .name(let n): advance(); return .name(n, token.span)
        case .keyword(.true), .keyword(.True): advance(); return .bool(true, token.span)
        case .keyword(.false), .keyword(.False): advance(); return .bool(false, token.span)
        case .keyword(.none), .keyword(.None): advance(); return .none(token.span)
        case .symbol(.leftParen):
            advance()
            let inner = try expression()
            try consume(.symbol(.rightParen), expected: "')'", opening: token)
            return inner
        case .symbol(.leftBracket):
            advance()
            var items: [Expression] = []
            while !check(.symbol(.rightBracket)) {
                items.append(try expression())
                if !match(.symbol(.comma)) { break }
            }
            let close = try consume(.symbol(.rightBracket), expected: "']' to close the list", opening: token)
            return .list(items, token.span.through(close.span))
        case .end:
            throw error(expected: "a value", found: "the end of the cell")
        default:
            throw error(expected: "a value", found: token.display)
        }
    }

    // MARK: - Helpers

    private mutating func enter() throws(LanguageError) {
        depth += 1
        if depth > Parser.maximumDepth {
            throw LanguageError(.cellNestsTooDeeply(limit: Parser.maximumDepth), at: peek().span)
        }
    }

    /// One more link of a left-deep chain; the caller gives the levels back when its chain ends.
    private mutating func link(_ links: inout Int) throws(LanguageError) {
        links += 1
        depth += 1
        if depth > Parser.maximumDepth {
            throw LanguageError(.expressionChainsTooDeeply(limit: Parser.maximumDepth), at: peek().span)
        }
    }

    private func peek() -> Token { tokens[current] }

    private func peekNext() -> Token { tokens[min(current + 1, tokens.count - 1)] }

    private func check(_ kind: Token.Kind) -> Bool { peek().kind == kind }

    @discardableResult
    private mutating func match(_ kind: Token.Kind) -> Bool {
        guard check(kind) else { return false }
        advance()
        return true
    }

    @discardableResult
    private mutating func advance() -> Token {
        let token = tokens[current]
        if current < tokens.count - 1 { current += 1 }
        return token
    }

    @discardableResult
    private mutating func consume(_ kind: Token.Kind, expected what: String, opening: Token? = nil) throws(LanguageError)
        -> Token
    {
        if check(kind) { return advance() }
        if let opening, check(.end) || check(.newline) {
            throw LanguageError(
                .neverClosed(bracket: String(opening.display.dropFirst().dropLast()), openedAt: opening.span), at: opening.span)
        }
        throw LanguageError(.expected(what, found: peek().display), at: peek().span)
    }

    /// A SyntaxError at the next token: it expected `what` there.
    private func error(expected what: String, found: String? = nil) -> LanguageError {
        LanguageError(.expected(what, found: found), at: peek().span)
    }
}
