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
/// The loads are written out here rather than forwarded to `ByteReader`: a generic function
/// of another module runs unspecialised (its type metadata looked up per call), which made
/// decoding 65,536 flows cost more than reading them from the kernel. Within this module the
/// compiler specialises these for each field type.
public struct MapBytesReader: Sendable {
    private let bytes: [UInt8]
    private let structName: String

    /// Checks that `bytes` has exactly `size` bytes for the C struct `structName`.
    public init(_ bytes: [UInt8], size: Int, structName: String) throws(ParseError) {
        guard bytes.count == size else {
            throw ParseError(.invalid("\(structName) is \(size) bytes, got \(bytes.count)"), context: structName, offset: 0)
        }
        self.bytes = bytes
        self.structName = structName
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
            throw ParseError(.truncated(needed: length, available: max(0, bytes.count - max(0, offset))),
                             context: structName, offset: max(0, min(offset, bytes.count)))
        }
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
