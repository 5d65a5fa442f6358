/// One attribute (type-length-value) read from a netlink message.
///
/// Mirrors `struct nlattr` in linux/netlink.h (`struct rtattr` in linux/rtnetlink.h has the
/// same layout): `nla_len` (u16, header included, padding excluded), `nla_type` (u16, whose
/// top bits are `NLA_F_NESTED` and `NLA_F_NET_BYTEORDER`), then the payload, padded to 4 bytes.
/// The payload is a slice of the received buffer; ``offset`` locates it for error messages.
public struct NetlinkAttribute: Sendable, Equatable {
    /// `NLA_HDRLEN`: the 4-byte attribute header.
    public static let headerSize = 4
    /// `NLA_F_NESTED` (1 << 15): the payload is itself a list of attributes.
    public static let nestedFlag: UInt16 = 1 << 15
    /// `NLA_F_NET_BYTEORDER` (1 << 14): the payload is in network byte order.
    public static let networkByteOrderFlag: UInt16 = 1 << 14
    /// `NLA_TYPE_MASK`: the type bits without the two flags.
    public static let typeMask: UInt16 = ~(nestedFlag | networkByteOrderFlag)

    /// The attribute type without flags (e.g. `IFLA_XDP` = 43).
    public var type: UInt16
    /// Whether `NLA_F_NESTED` was set.
    public var isNested: Bool
    /// Whether `NLA_F_NET_BYTEORDER` was set.
    public var isNetworkByteOrder: Bool
    /// The payload (without header and padding).
    public var payload: ArraySlice<UInt8>
    /// Offset of the attribute's header in the parsed input (for errors).
    public var offset: Int
    /// What is being read, e.g. `"RTM_NEWLINK attribute"`, used as error context.
    public var context: String

    /// Creates an attribute value (the parser does this; tests may too).
    public init(type: UInt16, isNested: Bool = false, isNetworkByteOrder: Bool = false,
                payload: ArraySlice<UInt8>, offset: Int = 0, context: String = "netlink attribute") {
        self.type = type
        self.isNested = isNested
        self.isNetworkByteOrder = isNetworkByteOrder
        self.payload = payload
        self.offset = offset
        self.context = context
    }

    /// A reader over the payload, reporting offsets in the whole input.
    public var payloadReader: ByteReader {
        ByteReader(payload, order: .host, context: context, base: offset + Self.headerSize)
    }

    /// The payload as a u8 (`nla_get_u8`); the payload must be exactly 1 byte.
    public func u8() throws(ParseError) -> UInt8 {
        try requireLength(1)
        return try payloadReader.u8(at: 0)
    }

    /// The payload as a host-order u32 (`nla_get_u32`); the payload must be exactly 4 bytes.
    public func u32() throws(ParseError) -> UInt32 {
        try requireLength(4)
        return try payloadReader.u32(at: 0)
    }

    /// The payload as a host-order s32 (`nla_get_s32`); the payload must be exactly 4 bytes.
    public func i32() throws(ParseError) -> Int32 {
        try requireLength(4)
        return try payloadReader.i32(at: 0)
    }

    /// The payload as a string (`NLA_NUL_STRING`/`NLA_STRING`): the bytes before the first
    /// NUL, or all of them when there is none; invalid UTF-8 is repaired.
    public func string() -> String {
        let end = payload.firstIndex(of: 0) ?? payload.endIndex
        return String(decoding: payload[payload.startIndex..<end], as: UTF8.self)
    }

    /// The payload parsed as a list of attributes (for nested attributes such as `IFLA_XDP`).
    public func nested(context: String? = nil) throws(ParseError) -> [NetlinkAttribute] {
        try NetlinkAttribute.parseList(
            ByteReader(payload, order: .host, context: context ?? self.context,
                       base: offset + Self.headerSize))
    }

    private func requireLength(_ length: Int) throws(ParseError) {
        guard payload.count == length else {
            throw ParseError(.invalid("attribute type \(type) has \(payload.count) payload bytes, expected \(length)"),
                             context: context, offset: offset)
        }
    }

    /// Parses every attribute in `reader` (from its start to its end).
    ///
    /// Each attribute must have `nla_len` ≥ 4 and fit in what is left; the next one starts at
    /// the 4-byte-aligned end (the padding of the last one may be missing). Leftover bytes
    /// too short for a header are an error.
    public static func parseList(_ reader: ByteReader) throws(ParseError) -> [NetlinkAttribute] {
        var attributes: [NetlinkAttribute] = []
        var position = 0
        while position < reader.count {
            let length = Int(try reader.u16(at: position))
            let rawType = try reader.u16(at: position + 2)
            guard length >= headerSize else {
                throw reader.error(.invalid("attribute length \(length) is shorter than its header"), at: position)
            }
            guard length <= reader.count - position else {
                throw reader.error(.truncated(needed: length, available: reader.count - position), at: position)
            }
            attributes.append(NetlinkAttribute(
                type: rawType & typeMask,
                isNested: rawType & nestedFlag != 0,
                isNetworkByteOrder: rawType & networkByteOrderFlag != 0,
                payload: try reader.slice(at: position + headerSize, length: length - headerSize),
                offset: reader.base + position,
                context: reader.context))
            position += min(NetlinkProtocol.aligned(length), reader.count - position)
        }
        return attributes
    }
}

extension Array where Element == NetlinkAttribute {
    /// The first attribute of `type`, if any (the kernel sends each at most once).
    public func first(ofType type: UInt16) -> NetlinkAttribute? {
        first { $0.type == type }
    }
}
