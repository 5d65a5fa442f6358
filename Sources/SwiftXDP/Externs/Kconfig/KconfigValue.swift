/// Turns one kernel config value (`y`, `m`, `250`, `0x1f`, `"text"`) into the bytes of a
/// `__kconfig` extern, following libbpf's rules (`bpf_object__process_kconfig_line`,
/// `set_kcfg_value_tri`, `set_kcfg_value_str`, `set_kcfg_value_num`):
///
/// - a value starting with `y`, `n` or `m` is a letter: a `bool` takes `y`/`n` (1/0), a
///   tristate `y`/`n`/`m` (1/0/2), a `char` the letter itself; other types refuse it;
/// - a value starting with `"` is a string: only char arrays take it; it must end with `"`;
///   the text between the quotes is stored NUL-terminated, cut to fit (as libbpf does);
/// - anything else is an integer in C syntax (`strtoull` base 0: decimal, `0x` hex, leading-0
///   octal, optional sign; the whole value must be a number): only integer and `char` externs
///   take it, and it must fit their size (signed or unsigned).
///
/// Integers are stored in `order`, the byte order of the object (and of the kernel).
public enum KconfigValue {
    /// The bytes of a `size`-byte extern of type `type` holding config value `text`, or the
    /// reason the value does not fit.
    public static func encode(_ text: String, as type: KconfigType, size: Int,
                              order: ByteOrder) throws(ExternError.Reason) -> [UInt8] {
        switch text.utf8.first {
        case UInt8(ascii: "y"), UInt8(ascii: "n"), UInt8(ascii: "m"):
            let letter = text.utf8.first!
            switch type {
            case .bool:
                guard letter != UInt8(ascii: "m") else {
                    throw .invalidValue(value: text, reason: "'m' needs a tristate or char extern, not bool")
                }
                return integerBytes(letter == UInt8(ascii: "y") ? 1 : 0, size: size, order: order)
            case .tristate:
                let value: KconfigType.Tristate = letter == UInt8(ascii: "y") ? .yes : letter == UInt8(ascii: "m") ? .module : .no
                return integerBytes(value.rawValue, size: size, order: order)
            case .char:
                return integerBytes(UInt64(letter), size: size, order: order)
            case .integer, .charArray:
                throw .invalidValue(value: text, reason: "a y/n/m value needs a bool, tristate or char extern, not \(type)")
            }
        case UInt8(ascii: "\""):
            guard case let .charArray(count) = type else {
                throw .invalidValue(value: text, reason: "a string value needs a char array extern, not \(type)")
            }
            let utf8 = Array(text.utf8)
            guard utf8.count >= 2, utf8.last == UInt8(ascii: "\"") else {
                throw .invalidValue(value: text, reason: "the string has no closing quote")
            }
            var bytes = Array(utf8[1..<(utf8.count - 1)].prefix(count - 1))
            bytes += repeatElement(0, count: size - bytes.count)
            return bytes
        default:
            guard let number = parseInteger(text) else {
                throw .invalidValue(value: text, reason: "not an integer")
            }
            switch type {
            case .integer, .char:
                return try encode(number: number, text: text, as: type, size: size, order: order)
            case .bool, .tristate, .charArray:
                throw .invalidValue(value: text, reason: "a number needs an integer or char extern, not \(type)")
            }
        }
    }

    /// The bytes of a number (a config integer, or a computed `LINUX_*` value): integer and
    /// `char` externs take any value that fits, `bool` only 0 and 1. `text` is the value as
    /// written, for messages.
    public static func encode(number: UInt64, text: String? = nil, as type: KconfigType, size: Int,
                              order: ByteOrder) throws(ExternError.Reason) -> [UInt8] {
        let shown = text ?? String(number)
        let isSigned: Bool
        switch type {
        case let .integer(_, signed), let .char(signed):
            isSigned = signed
        case .bool:
            guard number <= 1 else { throw .valueOutOfRange(value: shown, size: size) }
            isSigned = false
        default:
            throw .invalidValue(value: shown, reason: "a number needs an integer or char extern, not \(type)")
        }
        guard fits(number, size: size, isSigned: isSigned) else { throw .valueOutOfRange(value: shown, size: size) }
        return integerBytes(number, size: size, order: order)
    }

    /// Whether a 64-bit value (two's complement for negative numbers) fits `size` bytes
    /// without losing information: the high bits are zero (unsigned) or a sign extension
    /// (signed). `is_kcfg_value_in_range` in libbpf.
    static func fits(_ value: UInt64, size: Int, isSigned: Bool) -> Bool {
        guard size < 8 else { return true }
        let bits = UInt64(size * 8)
        if isSigned {
            return value &+ (1 << (bits - 1)) < (1 << bits)
        }
        return value >> bits == 0
    }

    /// `strtoull(text, &end, 0)` that must consume all of `text`: optional leading spaces,
    /// optional `+`/`-` (negation wraps, as in C), then `0x`/`0X` hex, `0` octal or decimal.
    /// Nil when there are no digits, when anything follows them, or on overflow (`ERANGE`).
    static func parseInteger(_ text: String) -> UInt64? {
        var bytes = Array(text.utf8)[...]
        while let first = bytes.first, first == UInt8(ascii: " ") || (9...13).contains(first) { bytes.removeFirst() }
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            bytes.removeFirst()
        }
        var radix: UInt64 = 10
        if bytes.starts(with: [UInt8(ascii: "0"), UInt8(ascii: "x")]) || bytes.starts(with: [UInt8(ascii: "0"), UInt8(ascii: "X")]) {
            radix = 16
            bytes.removeFirst(2)
        } else if bytes.first == UInt8(ascii: "0") {
            radix = 8
        }
        guard !bytes.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            guard let digit = digitValue(byte), digit < radix else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: radix)
            let (sum, overflow2) = times.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return negative ? 0 &- value : value
    }

    private static func digitValue(_ byte: UInt8) -> UInt64? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt64(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt64(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt64(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// The low `size` bytes of `value` in `order`.
    static func integerBytes(_ value: UInt64, size: Int, order: ByteOrder) -> [UInt8] {
        let little = (0..<size).map { UInt8(truncatingIfNeeded: $0 < 8 ? value >> (8 * UInt64($0)) : 0) }
        return order == .little ? little : little.reversed()
    }
}
