/// A small bitmap font for labels drawn into images: ASCII 32 to 126, each
/// glyph 5 pixels wide and 8 high (7 rows above the baseline and one for
/// descenders), drawn on a 6 x 9 grid so letters and lines do not touch.
public enum BitmapFont {
    public static let glyphWidth = 5
    public static let glyphHeight = 8
    /// Horizontal distance from one character to the next.
    public static let advance = 6
    /// Vertical distance from one line to the next.
    public static let lineHeight = 9

    /// Whether `character`'s glyph has a pixel at column `x` (0...4), row `y` (0...7).
    /// Characters outside ASCII 32-126 draw as "?".
    public static func isInked(_ character: Character, x: Int, y: Int) -> Bool {
        let bits = glyphBits(character)
        return bits >> UInt64((glyphHeight - 1 - y) * glyphWidth + (glyphWidth - 1 - x)) & 1 == 1
    }

    /// Width in pixels of `text` drawn at `scale` (no trailing space).
    public static func width(of text: String, scale: Int = 1) -> Int {
        text.isEmpty ? 0 : (text.count * advance - 1) * scale
    }

    /// The 40 bits of a glyph: eight rows of five, top row first, leftmost pixel the high bit.
    static func glyphBits(_ character: Character) -> UInt64 {
        let code = character.unicodeScalars.count == 1 ? Int(character.unicodeScalars.first!.value) : 0
        let index = (32...126).contains(code) ? code - 32 : Int(Character("?").asciiValue!) - 32
        return glyphs[index]
    }

    /// Every glyph as 10 hex digits (40 bits), 8 glyphs a line, from the hand-drawn
    /// 5x8 designs of this project. Decoded once, on first use.
    static let glyphs: [UInt64] = {
        let lines = [
        "00000000002108420080528000000052beafa94023e8e2f880c644444c6064a88ac9a02100000000",  //  !"#$%&'
        "11108410404104211100012aea90000109f2100000000030880001f0000000000031800044444000",  // ()*+,-./
        "74675cc5c023084211c074422223e0f88820c5c011952f8840fc3c10c5c03221e8c5c0f844442100",  // 01234567
        "7462e8c5c07462f08980031806300003180611001111041040003e0f800041041111007442220080",  // 89:;<=>?
        "7442dad5c07463f8c620f463e8c7c074610845c0e4a318cb80fc21e843e0fc21e84200746178c5e0",  // @ABCDEFG
        "8c63f8c62071084211c038842149808ca98a4a2084210843e08eeb58c6208c7359c620746318c5c0",  // HIJKLMNO
        "f463e8420074631ac9a0f463ea4a207c20e087c0f9084210808c6318c5c08c6318a8808c635ad540",  // PQRSTUVW
        "8c544546208c54421080f8444443e072108421c0041041040070842109c022a2000000000000001f",  // XYZ[\]^_
        "4100000000001c17c5e0842d98c7c0001d0845c0085b38c5e0001d1fc1c03251c42100001f18bc2e",  // `abcdefg
        "842d98c62020184211c0100c210a4c84254c524061084211c000355ac620002d98c620001d18c5c0",  // hijklmno
        "003d18fa10001f18bc21002d984200001d0707c042388424c0002318cda0002318a88000231ad540",  // pqrstuvw
        "0022a22a20002318bc2e003e2223e01108821040210842108041082211000011510000",  // xyz{|}~
        ]
        let digits = Array(lines.joined())
        return stride(from: 0, to: digits.count, by: 10).map { UInt64(String(digits[$0..<($0 + 10)]), radix: 16)! }
    }()
}

extension PixelImage {
    /// Draws `text` with its top-left corner at (`x`, `y`), each font pixel a
    /// `scale x scale` block, clipped to the image.
    public mutating func drawText(_ text: String, x: Int, y: Int, color: PixelColor, scale: Int = 1) {
        for (i, character) in text.enumerated() where character != " " {
            let left = x + i * BitmapFont.advance * scale
            for row in 0..<BitmapFont.glyphHeight {
                for column in 0..<BitmapFont.glyphWidth where BitmapFont.isInked(character, x: column, y: row) {
                    fill(x: left + column * scale, y: y + row * scale, width: scale, height: scale, color: color)
                }
            }
        }
    }
}
