/// The header of a `.BTF.ext` section. Mirrors `struct btf_ext_header` (libbpf's
/// `libbpf_internal.h`; the format is the ELF contract between clang and loaders).
///
/// Offsets are relative to the end of the header (`headerLength` bytes). The CO-RE fields
/// exist only when `hdr_len` is at least 32; older objects have a 24-byte header.
public struct BTFExtHeader: Sendable, Equatable {
    /// Bytes up to and including `line_info_len`: the smallest valid header.
    public static let minimumSize = 24
    /// Bytes up to and including `core_relo_len`.
    public static let sizeWithCoreRelocations = 32

    /// `magic`: 0xEB9F in the section's byte order.
    public var magic: UInt16
    /// `version`: 1.
    public var version: UInt8
    /// `flags`.
    public var flags: UInt8
    /// `hdr_len`.
    public var headerLength: UInt32
    /// `func_info_off`.
    public var funcInfoOffset: UInt32
    /// `func_info_len` (0 = no func_info).
    public var funcInfoLength: UInt32
    /// `line_info_off`.
    public var lineInfoOffset: UInt32
    /// `line_info_len` (0 = no line_info).
    public var lineInfoLength: UInt32
    /// `core_relo_off` (0 when the header is too short to have it).
    public var coreRelocationOffset: UInt32
    /// `core_relo_len` (0 when absent).
    public var coreRelocationLength: UInt32

    /// Reads and checks the header: magic, version 1, `hdr_len` ≥ 24 and inside the input.
    public init(reading reader: ByteReader) throws(ParseError) {
        magic = try reader.u16(at: 0)
        guard magic == BTFHeader.magic else { throw reader.error(.badMagic, at: 0) }
        version = try reader.u8(at: 2)
        guard version == 1 else { throw reader.error(.unsupported("BTF.ext version \(version)"), at: 2) }
        flags = try reader.u8(at: 3)
        headerLength = try reader.u32(at: 4)
        guard headerLength >= UInt32(Self.minimumSize) else {
            throw reader.error(.invalid("hdr_len \(headerLength) is smaller than \(Self.minimumSize)"), at: 4)
        }
        try reader.check(0, Int(headerLength))
        funcInfoOffset = try reader.u32(at: 8)
        funcInfoLength = try reader.u32(at: 12)
        lineInfoOffset = try reader.u32(at: 16)
        lineInfoLength = try reader.u32(at: 20)
        if headerLength >= UInt32(Self.sizeWithCoreRelocations) {
            coreRelocationOffset = try reader.u32(at: 24)
            coreRelocationLength = try reader.u32(at: 28)
        } else {
            coreRelocationOffset = 0
            coreRelocationLength = 0
        }
    }
}
