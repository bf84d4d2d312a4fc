/// The fuzzer's bytes read as a stream of choices, so a generator can pick grammar
/// productions from them: libFuzzer's mutations then change which production is taken,
/// not a character of the text, and most inputs stay valid programs.
///
/// Past the end every choice is 0, the first (simplest) option: a short input makes a
/// short program, and the generators put their terminal cases first.
public struct Choices {
    private let bytes: [UInt8]
    private var index = 0

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public init(_ data: UnsafePointer<UInt8>, _ size: Int) {
        self.init(Array(UnsafeBufferPointer(start: data, count: size)))
    }

    /// True once every byte has been read.
    public var isExhausted: Bool { index >= bytes.count }

    /// A number in `0..<count` (0 when `count` is 0 or 1, or the bytes are used up).
    public mutating func pick(_ count: Int) -> Int {
        guard count > 1, index < bytes.count else { return 0 }
        var value = Int(bytes[index])
        index += 1
        // Two bytes for tables longer than a byte can index.
        if count > 256, index < bytes.count {
            value = value << 8 | Int(bytes[index])
            index += 1
        }
        return value % count
    }

    /// One element of `options` (the first when the bytes are used up).
    public mutating func pick<T>(from options: [T]) -> T {
        options[pick(options.count)]
    }

    /// True with about `numerator` in `denominator` odds.
    public mutating func chance(_ numerator: Int, in denominator: Int) -> Bool {
        !isExhausted && pick(denominator) < numerator
    }

    /// The bytes not read yet.
    public mutating func rest() -> [UInt8] {
        defer { index = bytes.count }
        return index < bytes.count ? Array(bytes[index...]) : []
    }
}

/// Stops the fuzzer with a message when an invariant of the code under test is broken:
/// libFuzzer reports it as a crash and saves the input that broke it.
public func invariant(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("invariant broken: \(message())") }
}
