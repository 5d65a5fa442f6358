/// Unchecked integer loads for tight loops over a range that was bounds-checked once.
///
/// The readers check a whole table's range with ``ByteReader/check(_:_:)`` (or the ELF reader
/// checks a section's range when it reads the header table), then decode its fixed-size entries
/// through these loads instead of paying one check per field. Every caller keeps its offsets
/// inside the range it checked; nothing else in the object layer reads memory unchecked.
extension UnsafeRawBufferPointer {
    /// The `T` at byte `offset`, stored in `order`.
    @inline(__always)
    func load<T: FixedWidthInteger>(_: T.Type, at offset: Int, order: ByteOrder) -> T {
        let raw = loadUnaligned(fromByteOffset: offset, as: T.self)
        return order == .little ? T(littleEndian: raw) : T(bigEndian: raw)
    }
}

extension ArraySlice<UInt8> {
    /// The NUL-terminated string at `offset` (relative to `startIndex`, in `0..<count`), or nil
    /// when no NUL follows before the end of the slice; invalid UTF-8 is repaired.
    func cString(at offset: Int) -> String? {
        withUnsafeBufferPointer { buffer -> String? in
            guard offset >= 0, let end = buffer.firstNUL(from: offset) else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[offset..<end]), as: UTF8.self)
        }
    }

    /// True when the NUL-terminated string at `offset` equals `string` byte for byte (no
    /// `String` is created). False when `offset` is outside the slice.
    func cStringEquals(at offset: Int, _ string: String) -> Bool {
        guard offset >= 0, offset < count else { return false }
        // The string's UTF-8 view is read in place (copying the `String` to call `withUTF8`
        // cost more than the comparison); a different length fails at the NUL test.
        let utf8 = string.utf8
        let length = utf8.count
        guard count - offset > length else { return false }
        return withUnsafeBufferPointer { buffer in
            guard buffer[offset + length] == 0 else { return false }
            // Native and small strings lend their bytes; walking the view is the fallback.
            if let equal = utf8.withContiguousStorageIfAvailable({ bytes -> Bool in
                for i in 0..<length where buffer[offset + i] != bytes[i] { return false }
                return true
            }) {
                return equal
            }
            var at = offset
            for byte in utf8 {
                if buffer[at] != byte { return false }
                at += 1
            }
            return true
        }
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// The index of the first NUL byte at or after `start` (in `0...count`), or nil when there
    /// is none before the end.
    ///
    /// Names in ELF and BTF string tables are found this way, eight bytes at a time: a word
    /// has a zero byte exactly when `(word - 0x01…01) & ~word & 0x80…80` is not zero, and the
    /// lowest set bit of that value marks the first one (bytes loaded little-endian).
    @inline(__always)
    func firstNUL(from start: Int) -> Int? {
        var at = start
        if let base = baseAddress {
            let raw = UnsafeRawPointer(base)
            while at + 8 <= count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))
                let zeros = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
                if zeros != 0 { return at + zeros.trailingZeroBitCount / 8 }
                at += 8
            }
        }
        while at < count {
            if self[at] == 0 { return at }
            at += 1
        }
        return nil
    }

    /// True when these bytes are exactly `literal`'s UTF-8 bytes.
    func equals(_ literal: StaticString) -> Bool {
        count == literal.utf8CodeUnitCount && starts(with: literal)
    }

    /// True when these bytes begin with `literal`'s UTF-8 bytes.
    func starts(with literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard count >= length else { return false }
        for i in 0..<length where self[i] != literal.utf8Start[i] { return false }
        return true
    }
}
