/// The CRC-32 checksum that ends every gzip member (RFC 1952 section 8; the same polynomial as
/// Ethernet and zlib's `crc32()`): reflected, polynomial 0xEDB88320, initial value and final
/// XOR 0xFFFFFFFF.
public struct CRC32: Sendable, Equatable {
    /// The checksum of everything fed so far.
    public private(set) var value: UInt32 = 0

    /// Starts a checksum over no bytes (value 0).
    public init() {}

    /// The checksum of `bytes`.
    public static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }

    /// Feeds more bytes into the checksum.
    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        var crc = ~value
        for byte in bytes {
            crc = Self.table[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8)
        }
        value = ~crc
    }

    /// One entry per byte value: the remainder of that byte shifted through the polynomial.
    private static let table: [UInt32] = (0..<256).map { (index: UInt32) -> UInt32 in
        var remainder = index
        for _ in 0..<8 {
            remainder = remainder & 1 == 1 ? (remainder >> 1) ^ 0xEDB8_8320 : remainder >> 1
        }
        return remainder
    }
}
