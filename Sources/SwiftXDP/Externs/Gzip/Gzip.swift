/// The gzip file format (RFC 1952): one or more members, each a header, a DEFLATE stream and
/// a trailer holding the CRC-32 and the length (mod 2³²) of the uncompressed data.
///
/// Used for `/proc/config.gz`; swift-xdp links no zlib. Malformed input is a ``ParseError``
/// naming the member and the byte offset: bad magic, a compression method other than
/// DEFLATE (8), reserved flag bits, a header CRC16 mismatch, truncation, any DEFLATE error
/// (see ``Deflate``), a CRC-32 or length mismatch in the trailer, or bytes after the last
/// member that are not another member.
public enum Gzip {
    /// The two magic bytes `ID1 ID2` that start a gzip member.
    public static let magic: [UInt8] = [0x1f, 0x8b]

    /// The header of one member, as far as it is worth keeping.
    public struct Member: Sendable, Equatable {
        /// `FNAME`: the original file name, if the header has one.
        public var fileName: String?
        /// `FCOMMENT`: a comment, if the header has one.
        public var comment: String?
        /// `MTIME`: the modification time in Unix seconds (0 = none).
        public var modificationTime: UInt32
        /// The DEFLATE block kinds of the member's stream, in order.
        public var blocks: [Deflate.BlockKind]
        /// Size of the member's uncompressed data.
        public var uncompressedSize: Int
    }

    /// True when `bytes` starts with the gzip magic.
    public static func hasMagic<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        bytes.starts(with: magic)
    }

    /// Decompresses a whole gzip file (every member, concatenated). Output beyond `limit`
    /// bytes in total is an error.
    public static func decompress(_ bytes: [UInt8], limit: Int = Deflate.defaultLimit) throws(ParseError) -> [UInt8] {
        try decompressMembers(bytes, limit: limit).bytes
    }

    /// Decompresses a whole gzip file and also returns the header of each member.
    public static func decompressMembers(_ bytes: [UInt8],
                                         limit: Int = Deflate.defaultLimit) throws(ParseError) -> (bytes: [UInt8], members: [Member]) {
        var output: [UInt8] = []
        var members: [Member] = []
        var offset = 0
        repeat {
            let context = "gzip member \(members.count)"
            if !members.isEmpty, !hasMagic(bytes[offset...]) {
                throw ParseError(.invalid("\(bytes.count - offset) bytes after the last member are not a gzip member"),
                                 context: context, offset: offset)
            }
            let header = try readHeader(bytes, at: offset, context: context)
            let stream = try Deflate.decompress(bytes[header.end...], limit: limit - output.count, base: header.end)
            let trailerStart = header.end + stream.consumed
            let trailer = ByteReader(bytes, order: .little, context: context + " trailer")
            let expectedCRC = try trailer.u32(at: trailerStart)
            let expectedSize = try trailer.u32(at: trailerStart + 4)
            let actualCRC = CRC32.checksum(stream.bytes)
            guard actualCRC == expectedCRC else {
                throw trailer.error(.invalid("CRC-32 is \(hex(actualCRC)), the trailer says \(hex(expectedCRC))"),
                                    at: trailerStart)
            }
            guard UInt32(truncatingIfNeeded: stream.bytes.count) == expectedSize else {
                throw trailer.error(.invalid("\(stream.bytes.count) bytes decompressed, the trailer says \(expectedSize)"),
                                    at: trailerStart + 4)
            }
            output += stream.bytes
            members.append(Member(fileName: header.fileName, comment: header.comment,
                                  modificationTime: header.modificationTime, blocks: stream.blocks,
                                  uncompressedSize: stream.bytes.count))
            offset = trailerStart + 8
        } while offset < bytes.count
        return (output, members)
    }

    // MARK: - Header (RFC 1952 section 2.3)

    /// `FLG` bits.
    private enum Flag {
        static let text: UInt8 = 1 << 0
        static let headerCRC: UInt8 = 1 << 1
        static let extra: UInt8 = 1 << 2
        static let name: UInt8 = 1 << 3
        static let comment: UInt8 = 1 << 4
        static let reserved: UInt8 = 0xe0
    }

    private struct Header {
        var fileName: String?
        var comment: String?
        var modificationTime: UInt32
        /// Offset of the first byte after the header (the DEFLATE stream).
        var end: Int
    }

    private static func readHeader(_ bytes: [UInt8], at start: Int, context: String) throws(ParseError) -> Header {
        let reader = ByteReader(bytes, order: .little, context: context + " header")
        try reader.check(start, 10)
        guard try reader.u8(at: start) == magic[0], try reader.u8(at: start + 1) == magic[1] else {
            throw reader.error(.badMagic, at: start)
        }
        let method = try reader.u8(at: start + 2)
        guard method == 8 else { throw reader.error(.unsupported("compression method \(method) (only 8, DEFLATE)"), at: start + 2) }
        let flags = try reader.u8(at: start + 3)
        guard flags & Flag.reserved == 0 else {
            throw reader.error(.invalid("reserved flag bits set (FLG 0x\(String(flags, radix: 16)))"), at: start + 3)
        }
        var header = Header(modificationTime: try reader.u32(at: start + 4), end: start + 10)
        if flags & Flag.extra != 0 {
            let length = Int(try reader.u16(at: header.end))
            try reader.check(header.end + 2, length)
            header.end += 2 + length
        }
        if flags & Flag.name != 0 {
            header.fileName = try readZeroTerminated(reader, at: &header.end)
        }
        if flags & Flag.comment != 0 {
            header.comment = try readZeroTerminated(reader, at: &header.end)
        }
        if flags & Flag.headerCRC != 0 {
            let stored = try reader.u16(at: header.end)
            let actual = UInt16(truncatingIfNeeded: CRC32.checksum(bytes[start..<header.end]))
            guard stored == actual else {
                throw reader.error(.invalid("header CRC16 is \(hex(UInt32(actual))), the header says \(hex(UInt32(stored)))"),
                                   at: header.end)
            }
            header.end += 2
        }
        return header
    }

    /// Reads a NUL-terminated ISO 8859-1 string (`FNAME`, `FCOMMENT`) and moves past it.
    private static func readZeroTerminated(_ reader: ByteReader, at offset: inout Int) throws(ParseError) -> String {
        var end = offset
        while try reader.u8(at: end) != 0 { end += 1 }
        let field = try reader.slice(at: offset, length: end - offset)
        offset = end + 1
        return String(field.map { Character(Unicode.Scalar($0)) })
    }

    private static func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }
}
