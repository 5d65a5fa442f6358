/// Writes a fixed-size map key or value field by field, each in the byte order its C field
/// declares: `network` (big-endian, as in packet headers) or `host` (the CPU's order).
public struct MapBytesWriter: Sendable {
    /// The bytes written so far; padding is zero.
    public private(set) var bytes: [UInt8]

    /// A zero-filled buffer of `size` bytes.
    public init(size: Int) { bytes = [UInt8](repeating: 0, count: size) }

    /// Stores `value` at `offset` in the CPU's byte order (a `__u16`/`__u32`/`__u64` "host" field).
    public mutating func host<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        ByteOrder.host.store(value, into: &bytes, at: offset)
    }

    /// Stores `value` at `offset` big-endian (a `__be16`/`__be32` "network" field).
    public mutating func network<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        ByteOrder.big.store(value, into: &bytes, at: offset)
    }

    /// Copies `raw` to `offset` (byte arrays such as MAC addresses, nested structs).
    public mutating func raw(_ raw: [UInt8], at offset: Int) {
        bytes.replaceSubrange(offset..<offset + raw.count, with: raw)
    }
}

/// Reads a map key or value that must be exactly `size` bytes; fields as in ``MapBytesWriter``.
///
/// The bounds check and load repeat `ByteReader`'s on purpose. `ByteReader`'s reads are
/// `@inlinable` and specialise here too, but a `ByteReader` is a larger value (an array slice,
/// a context string, a base and a position) whose copies and value-witness destroy cost more
/// than the reads. Measured in release mode over 60,000 flow entries (tuple key + flow value,
/// most of the cost allocating the next-hop arrays): forwarding to `ByteReader` took 173
/// instructions per `LBTuple` against 119 here, 2406 per entry against 1755, and about 220
/// against 150 ns per entry. This reader holds only the array and the struct's name, and its
/// initializer is inlined (the errors are built out of line), so a decoder is a few loads.
public struct MapBytesReader: Sendable {
    private let bytes: [UInt8]
    private let structName: String

    /// Checks that `bytes` has exactly `size` bytes for the C struct `structName`.
    @inline(__always)
    public init(_ bytes: [UInt8], size: Int, structName: String) throws(ParseError) {
        guard bytes.count == size else { throw Self.sizeMismatch(structName, size: size, got: bytes.count) }
        self.bytes = bytes
        self.structName = structName
    }

    /// The error for a buffer that is not `sizeof` the struct.
    @inline(never)
    private static func sizeMismatch(_ structName: String, size: Int, got: Int) -> ParseError {
        ParseError(.invalid("\(structName) is \(size) bytes, got \(got)"), context: structName, offset: 0)
    }

    /// A host-order field at `offset`.
    @inline(__always)
    public func host<T: FixedWidthInteger & UnsignedInteger>(_: T.Type, at offset: Int) throws(ParseError) -> T {
        try load(T.self, at: offset)
    }

    /// A network-order (big-endian) field at `offset`.
    @inline(__always)
    public func network<T: FixedWidthInteger & UnsignedInteger>(_: T.Type, at offset: Int) throws(ParseError) -> T {
        T(bigEndian: try load(T.self, at: offset))
    }

    /// `length` raw bytes at `offset`.
    @inline(__always)
    public func raw(at offset: Int, length: Int) throws(ParseError) -> [UInt8] {
        try check(offset, length)
        return Array(bytes[offset..<offset + length])
    }

    /// The field's bytes as the CPU loads them.
    @inline(__always)
    private func load<T: FixedWidthInteger & UnsignedInteger>(_: T.Type, at offset: Int) throws(ParseError) -> T {
        try check(offset, MemoryLayout<T>.size)
        return bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) }
    }

    /// Throws `.truncated` unless `length` bytes lie at `offset` (a field past the struct's end
    /// is a bug in the caller's layout, reported rather than read).
    @inline(__always)
    private func check(_ offset: Int, _ length: Int) throws(ParseError) {
        guard offset >= 0, length >= 0, offset <= bytes.count, length <= bytes.count - offset else {
            throw outOfBounds(offset, length)
        }
    }

    /// The error for a field of `length` bytes at `offset` that does not fit.
    @inline(never)
    private func outOfBounds(_ offset: Int, _ length: Int) -> ParseError {
        ParseError(.truncated(needed: length, available: max(0, bytes.count - max(0, offset))),
                   context: structName, offset: max(0, min(offset, bytes.count)))
    }
}

/// A Swift value with a fixed C layout in one of xdp_lb's maps.
public protocol MapCodable: Sendable {
    /// `sizeof` the mirrored C struct.
    static var size: Int { get }
    /// The C struct's name in bpf/xdp_lb.h (also its BTF name), e.g. `xdp_lb_config`.
    static var cName: String { get }
    /// The struct's bytes as the kernel stores them (padding zero).
    var encoded: [UInt8] { get }
    /// Decodes the struct; throws unless `bytes.count == size`.
    init(decoding bytes: [UInt8]) throws(ParseError)
}
