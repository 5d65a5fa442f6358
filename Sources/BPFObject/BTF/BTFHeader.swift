/// The header at the start of a `.BTF` blob. Mirrors `struct btf_header` in `linux/btf.h`.
///
/// The section offsets are relative to the end of the header (`headerLength` bytes).
public struct BTFHeader: Sendable, Equatable {
    /// `BTF_MAGIC`: 0xEB9F, written in the blob's byte order.
    public static let magic: UInt16 = 0xEB9F
    /// `BTF_VERSION`: the only version defined.
    public static let version: UInt8 = 1
    /// `sizeof(struct btf_header)`: the fields below take 24 bytes.
    public static let size = 24

    /// `magic`: always ``BTFHeader/magic`` once parsed.
    public var magic: UInt16
    /// `version`.
    public var version: UInt8
    /// `flags` (no flags are defined; kept as read).
    public var flags: UInt8
    /// `hdr_len`: the header's length, at least 24; the kernel requires any extra bytes to be 0.
    public var headerLength: UInt32
    /// `type_off`: where the type section starts, after the header.
    public var typeOffset: UInt32
    /// `type_len`: the type section's length in bytes.
    public var typeLength: UInt32
    /// `str_off`: where the string section starts, after the header.
    public var stringOffset: UInt32
    /// `str_len`: the string section's length in bytes.
    public var stringLength: UInt32

    /// Creates a header from its fields.
    public init(magic: UInt16 = BTFHeader.magic, version: UInt8 = BTFHeader.version, flags: UInt8 = 0,
                headerLength: UInt32 = UInt32(BTFHeader.size), typeOffset: UInt32, typeLength: UInt32,
                stringOffset: UInt32, stringLength: UInt32) {
        self.magic = magic
        self.version = version
        self.flags = flags
        self.headerLength = headerLength
        self.typeOffset = typeOffset
        self.typeLength = typeLength
        self.stringOffset = stringOffset
        self.stringLength = stringLength
    }

    /// Finds the byte order of a BTF or BTF.ext blob from its leading 16-bit magic 0xEB9F:
    /// read in the wrong order it reads 0x9FEB. Throws `.badMagic` for anything else.
    public static func detectOrder(_ bytes: ArraySlice<UInt8>, context: String, base: Int = 0) throws(ParseError) -> ByteOrder {
        let reader = ByteReader(bytes, order: .little, context: context, base: base)
        let value = try reader.u16(at: 0)
        if value == magic { return .little }
        if value == magic.byteSwapped { return .big }
        throw reader.error(.badMagic, at: 0)
    }

    /// Reads the header with `reader` (positioned at the start of the blob) and checks it:
    /// magic, version, a header length of at least 24 that fits, and both sections in bounds.
    public init(reading reader: ByteReader) throws(ParseError) {
        magic = try reader.u16(at: 0)
        guard magic == Self.magic else { throw reader.error(.badMagic, at: 0) }
        version = try reader.u8(at: 2)
        guard version == Self.version else {
            throw reader.error(.unsupported("BTF version \(version)"), at: 2)
        }
        flags = try reader.u8(at: 3)
        headerLength = try reader.u32(at: 4)
        guard headerLength >= UInt32(Self.size) else {
            throw reader.error(.invalid("hdr_len \(headerLength) is smaller than \(Self.size)"), at: 4)
        }
        try reader.check(0, Int(headerLength))
        typeOffset = try reader.u32(at: 8)
        typeLength = try reader.u32(at: 12)
        stringOffset = try reader.u32(at: 16)
        stringLength = try reader.u32(at: 20)
        let body = reader.count - Int(headerLength)
        guard Int(typeOffset) + Int(typeLength) <= body else {
            // Reported at the header fields that point outside the blob.
            throw reader.error(.truncated(needed: Int(typeLength), available: body - Int(typeOffset)), at: 8,
                               context: reader.context + " header (type_off/type_len)")
        }
        guard Int(stringOffset) + Int(stringLength) <= body else {
            throw reader.error(.truncated(needed: Int(stringLength), available: body - Int(stringOffset)), at: 16,
                               context: reader.context + " header (str_off/str_len)")
        }
        guard typeOffset % 4 == 0, typeLength % 4 == 0 else {
            throw reader.error(.invalid("type section (off \(typeOffset), len \(typeLength)) is not 4-byte aligned"), at: 8)
        }
    }

    /// The 24 header bytes in `order`.
    public func encoded(order: ByteOrder) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Self.size)
        order.store(magic, into: &bytes, at: 0)
        bytes[2] = version
        bytes[3] = flags
        order.store(headerLength, into: &bytes, at: 4)
        order.store(typeOffset, into: &bytes, at: 8)
        order.store(typeLength, into: &bytes, at: 12)
        order.store(stringOffset, into: &bytes, at: 16)
        order.store(stringLength, into: &bytes, at: 20)
        return bytes
    }
}
