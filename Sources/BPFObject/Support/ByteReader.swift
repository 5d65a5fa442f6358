/// A bounds-checked cursor over a byte buffer with a fixed byte order.
///
/// Every reader in the object layer goes through this type, so no read can run past the end
/// of its input: a short read throws ``ParseError`` with `.truncated` and the absolute offset.
/// `base` is the offset of `bytes[startIndex]` inside the enclosing file, so errors report
/// file offsets even when a reader works on one section's slice.
///
/// The integer reads are `@inlinable`: other modules (netlink, the load balancer's map codecs)
/// get them specialised for each width and inlined, not a generic call per field. Only the
/// bounds check is inlined; the error is built out of line (`outOfBounds`).
public struct ByteReader: Sendable {
    /// The bytes being read.
    public let bytes: ArraySlice<UInt8>
    /// Byte order used for every multi-byte integer.
    public let order: ByteOrder
    /// What is being read, used as the context of errors (e.g. `".BTF"`).
    public let context: String
    /// Offset of `bytes.startIndex` in the enclosing input, added to error offsets.
    public let base: Int
    /// Current position, relative to the start of `bytes` (0 = first byte).
    public var position: Int = 0

    /// Creates a reader over `bytes`, reporting offsets as `base + position`.
    @inlinable
    public init(_ bytes: ArraySlice<UInt8>, order: ByteOrder, context: String, base: Int = 0) {
        self.bytes = bytes
        self.order = order
        self.context = context
        self.base = base
    }

    /// Creates a reader over a whole array.
    @inlinable
    public init(_ bytes: [UInt8], order: ByteOrder, context: String, base: Int = 0) {
        self.init(bytes[...], order: order, context: context, base: base)
    }

    /// Number of bytes in the buffer.
    public var count: Int { bytes.count }
    /// Bytes left after `position`.
    public var remaining: Int { bytes.count - position }
    /// True when every byte has been consumed.
    public var isAtEnd: Bool { position >= bytes.count }

    /// Throws `.truncated` unless `length` bytes are available at `offset` (relative).
    @inlinable @inline(__always)
    public func check(_ offset: Int, _ length: Int) throws(ParseError) {
        guard offset >= 0, length >= 0, offset <= bytes.count, length <= bytes.count - offset else {
            throw outOfBounds(offset, length)
        }
    }

    /// The error for a read of `length` bytes at `offset` that does not fit. A position past
    /// the end (a corrupt offset field) is reported at the end of the buffer, with the
    /// requested position in the message, so error offsets always lie inside the input.
    @usableFromInline @inline(never)
    internal func outOfBounds(_ offset: Int, _ length: Int) -> ParseError {
        guard offset >= 0, offset <= bytes.count else {
            return ParseError(.invalid("position \(offset) (+\(length) bytes) is past the end of the \(bytes.count) bytes"),
                              context: context, offset: base + (offset < 0 ? 0 : bytes.count))
        }
        return ParseError(.truncated(needed: length, available: bytes.count - offset), context: context, offset: base + offset)
    }

    /// An error of `kind` at relative `offset` (defaults to the current position).
    public func error(_ kind: ParseError.Kind, at offset: Int? = nil, context: String? = nil) -> ParseError {
        ParseError(kind, context: context ?? self.context, offset: base + (offset ?? position))
    }

    // MARK: Reads at an explicit offset (do not move the cursor)

    /// Reads one byte at relative `offset`.
    @inlinable @inline(__always)
    public func u8(at offset: Int) throws(ParseError) -> UInt8 {
        try check(offset, 1)
        return bytes[bytes.startIndex + offset]
    }

    /// Reads an unsigned integer of `T`'s width at relative `offset` in `order`: one bounds
    /// check, then an unaligned load and a byte swap if the order is not the host's.
    @inlinable @inline(__always)
    public func integer<T: FixedWidthInteger & UnsignedInteger>(_: T.Type, at offset: Int) throws(ParseError) -> T {
        try check(offset, MemoryLayout<T>.size)
        let raw = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) }
        return order == .little ? T(littleEndian: raw) : T(bigEndian: raw)
    }

    /// Reads a `UInt16` at relative `offset`.
    @inlinable
    public func u16(at offset: Int) throws(ParseError) -> UInt16 { try integer(UInt16.self, at: offset) }
    /// Reads a `UInt32` at relative `offset`.
    @inlinable
    public func u32(at offset: Int) throws(ParseError) -> UInt32 { try integer(UInt32.self, at: offset) }
    /// Reads a `UInt64` at relative `offset`.
    @inlinable
    public func u64(at offset: Int) throws(ParseError) -> UInt64 { try integer(UInt64.self, at: offset) }
    /// Reads an `Int16` at relative `offset`.
    @inlinable
    public func i16(at offset: Int) throws(ParseError) -> Int16 { Int16(bitPattern: try u16(at: offset)) }
    /// Reads an `Int32` at relative `offset`.
    @inlinable
    public func i32(at offset: Int) throws(ParseError) -> Int32 { Int32(bitPattern: try u32(at: offset)) }
    /// Reads an `Int64` at relative `offset`.
    @inlinable
    public func i64(at offset: Int) throws(ParseError) -> Int64 { Int64(bitPattern: try u64(at: offset)) }

    /// Returns `length` bytes at relative `offset` as a slice of the underlying buffer.
    @inlinable
    public func slice(at offset: Int, length: Int) throws(ParseError) -> ArraySlice<UInt8> {
        try check(offset, length)
        let start = bytes.startIndex + offset
        return bytes[start..<(start + length)]
    }

    /// A reader over `length` bytes at relative `offset`, with its own context and the same order.
    public func subReader(at offset: Int, length: Int, context: String? = nil) throws(ParseError) -> ByteReader {
        ByteReader(try slice(at: offset, length: length), order: order,
                   context: context ?? self.context, base: base + offset)
    }

    /// Reads a NUL-terminated string starting at relative `offset`. The string must end
    /// before the buffer does; bytes are decoded as UTF-8 (invalid sequences repaired).
    public func cString(at offset: Int) throws(ParseError) -> String {
        try check(offset, 0)
        let start = bytes.startIndex + offset
        guard let end = bytes[start...].firstIndex(of: 0) else {
            throw error(.invalid("string is not NUL-terminated"), at: offset)
        }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    // MARK: Sequential reads (advance the cursor)

    /// Reads one byte and advances.
    public mutating func u8() throws(ParseError) -> UInt8 { defer { position += 1 }; return try u8(at: position) }
    /// Reads a `UInt16` and advances.
    public mutating func u16() throws(ParseError) -> UInt16 { defer { position += 2 }; return try u16(at: position) }
    /// Reads a `UInt32` and advances.
    public mutating func u32() throws(ParseError) -> UInt32 { defer { position += 4 }; return try u32(at: position) }
    /// Reads a `UInt64` and advances.
    public mutating func u64() throws(ParseError) -> UInt64 { defer { position += 8 }; return try u64(at: position) }
    /// Reads an `Int32` and advances.
    public mutating func i32() throws(ParseError) -> Int32 { defer { position += 4 }; return try i32(at: position) }
    /// Reads an `Int64` and advances.
    public mutating func i64() throws(ParseError) -> Int64 { defer { position += 8 }; return try i64(at: position) }

    /// Reads `length` bytes and advances.
    public mutating func bytes(_ length: Int) throws(ParseError) -> ArraySlice<UInt8> {
        let result = try slice(at: position, length: length)
        position += length
        return result
    }

    /// Advances by `length` bytes, checking that they exist.
    public mutating func skip(_ length: Int) throws(ParseError) {
        try check(position, length)
        position += length
    }
}

extension ByteOrder {
    /// Encodes `value` in this byte order (used by writers: relocated instructions, fixed-up BTF).
    @inlinable
    public func bytes<T: FixedWidthInteger>(of value: T) -> [UInt8] {
        let size = MemoryLayout<T>.size
        var result = [UInt8](repeating: 0, count: size)
        for i in 0..<size {
            let byte = UInt8(truncatingIfNeeded: value >> (8 * i))
            result[self == .little ? i : size - 1 - i] = byte
        }
        return result
    }

    /// Writes `value` in this byte order into `buffer` at `offset` (caller checks bounds).
    @inlinable
    public func store<T: FixedWidthInteger>(_ value: T, into buffer: inout [UInt8], at offset: Int) {
        let size = MemoryLayout<T>.size
        for i in 0..<size {
            let byte = UInt8(truncatingIfNeeded: value >> (8 * i))
            buffer[offset + (self == .little ? i : size - 1 - i)] = byte
        }
    }
}
