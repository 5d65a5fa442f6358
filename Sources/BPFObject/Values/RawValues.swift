/// Keys and values without BTF (a map created with `btf_key_type_id`/`btf_value_type_id` 0, or
/// legacy `maps` definitions): a plain integer of the key/value size, or hex bytes, as
/// `bpftool map update … key hex c6 12 00 02` takes them.
extension BTFValue {
    /// Parses a key or value of `size` bytes that has no BTF type.
    ///
    /// - A plain integer — decimal (`2`, `-1`) or `0x`/`0b` (`0xC6120002`) — for sizes 1, 2, 4
    ///   and 8, stored in `order` (the host's, as the kernel expects). A negative number is
    ///   stored as its two's complement.
    /// - Otherwise hex bytes in memory order, exactly `size` of them: `c6 12 00 02` or
    ///   `c6120002` (see ``parseHexBytes(_:)``). Text made of decimal digits only is always
    ///   read as a number; use ``parseHexBytes(_:)`` directly (the CLI's `--hex`) for such bytes.
    public static func encodeRaw(text: String, size: Int, order: ByteOrder = .host) throws(BTFValueError) -> [UInt8] {
        let word = ValueInput.trimmed(text)
        let valueType = "a \(size)-byte value"
        let integerSizes = [1, 2, 4, 8]
        let outcome = integerSizes.contains(size)
            ? IntegerText.parse(word, bits: size * 8, signed: word.hasPrefix("-"))
            : IntegerText.parse(word, bits: 64, signed: word.hasPrefix("-"))
        switch outcome {
        case let .value(number) where integerSizes.contains(size):
            var bytes = [UInt8](repeating: 0, count: size)
            ValueBits.store(number, into: &bytes, at: 0, size: size, order: order)
            return bytes
        case .outOfRange where integerSizes.contains(size):
            throw BTFValueError(.outOfRange(text: word, type: valueType,
                                            range: IntegerText.range(bits: size * 8, signed: word.hasPrefix("-"))))
        case .value, .outOfRange:
            if word.allSatisfy({ $0.isASCII && $0.isNumber }) { throw BTFValueError(.unsupportedSize(size)) }
        case .notANumber:
            break
        }
        guard let bytes = try? parseHexBytes(word) else {
            throw BTFValueError(.expected(what: "an integer or hex bytes", type: valueType, got: word))
        }
        guard bytes.count == size else {
            throw BTFValueError(.sizeMismatch(type: valueType, expected: size, actual: bytes.count))
        }
        return bytes
    }

    /// Decodes through BTF when there is a type (`btf` given and `type` not 0), else returns the
    /// bytes as ``bytes(_:)`` (printed as hex, like bpftool for maps without BTF).
    public static func decodeOrRaw(bytes: ArraySlice<UInt8>, type: BTFTypeID, btf: BTF?,
                                   order: ByteOrder = .host) throws(BTFValueError) -> BTFValue {
        guard let btf, type != 0 else { return .bytes(Array(bytes)) }
        return try decode(bytes: bytes, type: type, btf: btf, order: order)
    }

    /// Parses `text` through BTF when there is a type (`btf` given and `type` not 0), else with
    /// ``encodeRaw(text:size:order:)``. Either way the result must be `size` bytes (the map's
    /// `key_size` or `value_size`).
    public static func encodeOrRaw(text: String, type: BTFTypeID, btf: BTF?, size: Int,
                                   order: ByteOrder = .host) throws(BTFValueError) -> [UInt8] {
        guard let btf, type != 0 else { return try encodeRaw(text: text, size: size, order: order) }
        let bytes = try encode(text: text, type: type, btf: btf, order: order)
        guard bytes.count == size else {
            throw BTFValueError(.unsupportedType(type: btf.typeDescription(type),
                                                 reason: "the type is \(bytes.count) bytes, the map's size is \(size)"))
        }
        return bytes
    }

    /// Reads hex bytes in memory order: whitespace-separated tokens, each one or two hex digits
    /// (`c6 12 0 2`) or an even number of them (`c6120002`), each optionally prefixed by `0x`
    /// (`0xc6 0x12 0x00 0x02`, bpftool's form).
    public static func parseHexBytes(_ text: String) throws(BTFValueError) -> [UInt8] {
        var result: [UInt8] = []
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
        guard !tokens.isEmpty else { throw BTFValueError(.badHex(text: text)) }
        for token in tokens {
            var digits = Array(token.utf8)
            if digits.count > 2, digits[0] == UInt8(ascii: "0"), digits[1] | 0x20 == UInt8(ascii: "x") {
                digits.removeFirst(2)
            }
            guard !digits.isEmpty, digits.allSatisfy(RawValueText.isHexDigit), digits.count <= 2 || digits.count % 2 == 0 else {
                throw BTFValueError(.badHex(text: text))
            }
            if digits.count == 1 { digits.insert(UInt8(ascii: "0"), at: 0) }
            for pair in stride(from: 0, to: digits.count, by: 2) {
                result.append(RawValueText.nibble(digits[pair]) << 4 | RawValueText.nibble(digits[pair + 1]))
            }
        }
        return result
    }

    /// Bytes as lowercase hex pairs separated by spaces: `c6 12 00 02` (what
    /// ``parseHexBytes(_:)`` reads back, and how bpftool prints keys and values without BTF).
    public static func formatHex<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 3)
        for byte in bytes {
            if !text.isEmpty { text.append(UInt8(ascii: " ")) }
            text.append(RawValueText.digits[Int(byte >> 4)])
            text.append(RawValueText.digits[Int(byte & 0xf)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// Hex digit helpers shared by the raw codec and the text parser.
enum RawValueText {
    static let digits = Array("0123456789abcdef".utf8)

    static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
    }

    /// The value of a hex digit (the caller checked ``isHexDigit(_:)``).
    static func nibble(_ byte: UInt8) -> UInt8 {
        byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : (byte | 0x20) - UInt8(ascii: "a") + 10
    }
}
