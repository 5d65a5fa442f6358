/// Integers as people type them: decimal (`80`, `-1`), hex (`0xC6120002`) or binary (`0b101`),
/// checked against the width and signedness of the type they are for.
enum IntegerText {
    /// The result of reading a text as an integer of a given width.
    enum Outcome: Equatable {
        /// The number's two's complement bit pattern, masked to the width.
        case value(UInt64)
        /// The text is not an integer.
        case notANumber
        /// An integer, but outside the type's range.
        case outOfRange
    }

    /// Reads `text` as an integer of `bits` bits (1…64).
    ///
    /// Unsigned types take `0 … 2^bits − 1`. Signed types take `−2^(bits−1) … 2^(bits−1) − 1`
    /// in decimal; hex and binary spell a bit pattern, so `0xffffffff` is accepted for an
    /// `int` (it is −1), as C would store it.
    static func parse(_ text: String, bits: Int, signed: Bool) -> Outcome {
        let bytes = Array(text.utf8)
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative || bytes.first == UInt8(ascii: "+") { index += 1 }
        var radix: UInt64 = 10
        if bytes.count - index > 2, bytes[index] == UInt8(ascii: "0") {
            switch bytes[index + 1] | 0x20 {
            case UInt8(ascii: "x"): radix = 16; index += 2
            case UInt8(ascii: "b"): radix = 2; index += 2
            default: break
            }
        }
        guard index < bytes.count else { return .notANumber }
        var magnitude: UInt64 = 0
        var overflow = false
        for byte in bytes[index...] {
            guard RawValueText.isHexDigit(byte) else { return .notANumber }
            let digit = UInt64(RawValueText.nibble(byte))
            guard digit < radix else { return .notANumber }
            let (shifted, first) = magnitude.multipliedReportingOverflow(by: radix)
            let (sum, second) = shifted.addingReportingOverflow(digit)
            overflow = overflow || first || second
            magnitude = sum
        }
        // Every character is a digit, so this is a number, just one above UInt64.max.
        if overflow { return .outOfRange }
        let all = ValueBits.mask(bits)
        if !signed {
            guard magnitude <= all, !negative || magnitude == 0 else { return .outOfRange }
            return .value(magnitude)
        }
        let limit = UInt64(1) << UInt64(bits - 1)
        if negative {
            guard magnitude <= limit else { return .outOfRange }
            return .value((0 &- magnitude) & all)
        }
        guard radix == 10 ? magnitude < limit : magnitude <= all else { return .outOfRange }
        return .value(magnitude)
    }

    /// The range of a type spelled for an error message: `0 to 255`, `-128 to 127`.
    static func range(bits: Int, signed: Bool) -> String {
        guard signed else { return "0 to \(ValueBits.mask(bits))" }
        let limit = UInt64(1) << UInt64(bits - 1)
        return "-\(limit) to \(limit - 1)"
    }
}
