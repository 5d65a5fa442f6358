/// Integers and bitfields inside a value's bytes, in either byte order.
///
/// Bit positions follow BTF (`struct btf_member.offset`): counted from the start of the value.
/// On a little-endian target bit `n` is bit `n % 8` (from the least significant end) of byte
/// `n / 8`, and a field's lowest bit comes first; on a big-endian target bit `n` is counted
/// from the most significant end of byte `n / 8`, and a field's highest bit comes first. This
/// is how C compilers lay out bitfields on each kind of machine.
enum ValueBits {
    /// A mask of the low `count` bits (`count` in 0...64).
    static func mask(_ count: Int) -> UInt64 {
        count >= 64 ? .max : (UInt64(1) << UInt64(count)) - 1
    }

    /// `value`'s low `count` bits read as a two's complement number, widened to 64 bits.
    static func signExtend(_ value: UInt64, bits count: Int) -> Int64 {
        guard count > 0, count < 64 else { return Int64(bitPattern: value) }
        let sign = UInt64(1) << UInt64(count - 1)
        let low = value & mask(count)
        return Int64(bitPattern: low & sign == 0 ? low : low | ~mask(count))
    }

    /// Reads an unsigned integer of `size` bytes (1…8) at byte `offset`.
    /// `order` overrides the reader's (a `__be32` is big-endian on every machine).
    static func load(_ reader: ByteReader, at offset: Int, size: Int, order: ByteOrder? = nil) throws(ParseError) -> UInt64 {
        try reader.check(offset, size)
        let little = (order ?? reader.order) == .little
        var value: UInt64 = 0
        for i in 0..<size {
            let byte = UInt64(try reader.u8(at: little ? offset + size - 1 - i : offset + i))
            value = value << 8 | byte
        }
        return value
    }

    /// Reads the `count` bits (1…64) that start at bit `position`.
    static func loadBits(_ reader: ByteReader, at position: Int, count: Int) throws(ParseError) -> UInt64 {
        try reader.check(position / 8, byteSpan(at: position, count: count))
        var value: UInt64 = 0
        for i in 0..<count {
            let bit = position + i
            let byte = try reader.u8(at: bit / 8)
            if reader.order == .little {
                value |= UInt64((byte >> UInt8(bit % 8)) & 1) << UInt64(i)
            } else {
                value = value << 1 | UInt64((byte >> UInt8(7 - bit % 8)) & 1)
            }
        }
        return value
    }

    /// True when `size` bytes at `offset` lie inside a buffer of `count` bytes.
    static func fits(_ offset: Int, _ size: Int, in count: Int) -> Bool {
        offset >= 0 && size >= 0 && offset <= count && size <= count - offset
    }

    /// Writes the low `size` bytes (1…8) of `value` at byte `offset` (the caller checks
    /// ``fits(_:_:in:)``).
    static func store(_ value: UInt64, into bytes: inout [UInt8], at offset: Int, size: Int, order: ByteOrder) {
        for i in 0..<size {
            let byte = UInt8(truncatingIfNeeded: value >> UInt64(8 * i))
            bytes[order == .little ? offset + i : offset + size - 1 - i] = byte
        }
    }

    /// Writes the low `count` bits (1…64) of `value` at bit `position`, leaving the other bits
    /// of the bytes it touches alone (the caller checks the bytes exist).
    static func storeBits(_ value: UInt64, into bytes: inout [UInt8], at position: Int, count: Int, order: ByteOrder) {
        for i in 0..<count {
            let bit = position + i
            let set: Bool
            let shift: UInt8
            if order == .little {
                set = (value >> UInt64(i)) & 1 == 1
                shift = UInt8(bit % 8)
            } else {
                set = (value >> UInt64(count - 1 - i)) & 1 == 1
                shift = UInt8(7 - bit % 8)
            }
            if set { bytes[bit / 8] |= 1 << shift } else { bytes[bit / 8] &= ~(1 << shift) }
        }
    }

    /// The number of bytes bits `position ..< position + count` touch, from byte `position / 8`.
    static func byteSpan(at position: Int, count: Int) -> Int {
        (position % 8 + count + 7) / 8
    }
}
