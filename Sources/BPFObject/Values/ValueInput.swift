/// What a person typed for a map key or value, parsed into a tree before the BTF type gives it
/// meaning (the encoder decides whether `80` is a `__u16` or an error).
///
/// The syntax is JSON with two conveniences for a command line: a bare token (anything up to
/// whitespace or one of `{}[]:,"`) stands for a number or a name, so `0xC6120002`, `-1`,
/// `XDP_PASS`, `true` and `1.5e3` are all tokens; and object keys may be bare
/// (`{saddr: 1, dport: 80}`, the form ``BTFValue/text(hexIntegers:)`` prints). A whole text that
/// does not start with `{`, `[` or `"` is one token, spaces included (`encode` of a `char[16]`
/// takes `hello world` as the string).
enum ValueInput: Equatable {
    /// A bare token: a number, an enumerator name, `true`/`false`, …
    case word(String)
    /// A quoted string.
    case string(String)
    /// `[a, b, …]`.
    case list([ValueInput])
    /// `{key: value, …}` in the order written.
    case object([Field])

    /// One `key: value` pair of an object.
    struct Field: Equatable {
        var key: String
        var value: ValueInput
    }

    /// How deep `[` and `{` may nest.
    static let maxDepth = 64

    /// Parses a whole command-line text.
    static func parse(_ text: String) throws(BTFValueError) -> ValueInput {
        var parser = Parser(bytes: Array(text.utf8))
        parser.skipSpace()
        guard let first = parser.peek, first == UInt8(ascii: "{") || first == UInt8(ascii: "[") || first == UInt8(ascii: "\"") else {
            return .word(Self.trimmed(text))
        }
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.peek == nil else { throw parser.error("unexpected text after the value") }
        return value
    }

    /// `text` without leading and trailing spaces, tabs and newlines.
    static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = text.firstIndex(where: { !isSpace($0) }), let end = text.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(text[start...end])
    }

    /// A hand-written recursive-descent reader over the UTF-8 bytes.
    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

        func error(_ message: String) -> BTFValueError {
            BTFValueError(.syntax(message: message, offset: position))
        }

        mutating func skipSpace() {
            while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d { position += 1 }
        }

        mutating func expect(_ character: Character) throws(BTFValueError) {
            skipSpace()
            guard peek == character.asciiValue else { throw error("expected '\(character)'") }
            position += 1
        }

        mutating func value(depth: Int) throws(BTFValueError) -> ValueInput {
            guard depth < ValueInput.maxDepth else { throw error("nested deeper than \(ValueInput.maxDepth) levels") }
            skipSpace()
            switch peek {
            case nil: throw error("expected a value")
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try list(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            default: return .word(try word())
            }
        }

        mutating func object(depth: Int) throws(BTFValueError) -> ValueInput {
            position += 1
            var fields: [Field] = []
            skipSpace()
            if peek == UInt8(ascii: "}") { position += 1; return .object(fields) }
            while true {
                skipSpace()
                let key = peek == UInt8(ascii: "\"") ? try string() : try word()
                try expect(":")
                fields.append(Field(key: key, value: try value(depth: depth + 1)))
                skipSpace()
                switch peek {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "}"): position += 1; return .object(fields)
                default: throw error("expected ',' or '}'")
                }
            }
        }

        mutating func list(depth: Int) throws(BTFValueError) -> ValueInput {
            position += 1
            var items: [ValueInput] = []
            skipSpace()
            if peek == UInt8(ascii: "]") { position += 1; return .list(items) }
            while true {
                items.append(try value(depth: depth + 1))
                skipSpace()
                switch peek {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "]"): position += 1; return .list(items)
                default: throw error("expected ',' or ']'")
                }
            }
        }

        /// A bare token: bytes up to whitespace or a structural character.
        mutating func word() throws(BTFValueError) -> String {
            let start = position
            while let byte = peek, !Self.isDelimiter(byte) { position += 1 }
            guard position > start else { throw error("expected a value") }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        static func isDelimiter(_ byte: UInt8) -> Bool {
            switch byte {
            case 0x20, 0x09, 0x0a, 0x0d, UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"),
                 UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "\""): true
            default: false
            }
        }

        /// A JSON string with its escapes (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\uXXXX`).
        mutating func string() throws(BTFValueError) -> String {
            position += 1
            var out: [UInt8] = []
            while true {
                guard let byte = peek else { throw error("unterminated string") }
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    try escape(into: &out)
                case 0..<0x20:
                    position -= 1
                    throw error("control character in a string")
                default:
                    out.append(byte)
                }
            }
        }

        mutating func escape(into out: inout [UInt8]) throws(BTFValueError) {
            guard let byte = peek else { throw error("unterminated string") }
            position += 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0c)
            case UInt8(ascii: "n"): out.append(0x0a)
            case UInt8(ascii: "r"): out.append(0x0d)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xd800..<0xdc00).contains(scalar) {
                    // A UTF-16 surrogate pair: `\uD83D\uDE00`.
                    guard peek == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") else {
                        throw error("unpaired surrogate in \\u escape")
                    }
                    position += 2
                    let low = try hex4()
                    guard (0xdc00..<0xe000).contains(low) else { throw error("unpaired surrogate in \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xd800) << 10) + (low - 0xdc00)
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                out.append(contentsOf: Array(String(Character(unicode)).utf8))
            default:
                position -= 1
                throw error("unknown escape '\\\(Character(Unicode.Scalar(byte)))'")
            }
        }

        mutating func hex4() throws(BTFValueError) -> UInt32 {
            guard position + 4 <= bytes.count, bytes[position..<position + 4].allSatisfy(RawValueText.isHexDigit),
                  let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16) else {
                throw error("expected four hex digits after \\u")
            }
            position += 4
            return value
        }
    }
}
