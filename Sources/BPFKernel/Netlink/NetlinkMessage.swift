/// One message read from a netlink datagram: its header and its payload.
///
/// A datagram from the kernel may carry several messages back to back (a dump sends many
/// `RTM_NEWLINK` messages per datagram), each starting on a 4-byte boundary
/// (`NLMSG_ALIGN`), as walked by `NLMSG_OK`/`NLMSG_NEXT` in linux/netlink.h.
public struct NetlinkMessage: Sendable, Equatable {
    /// The message's `struct nlmsghdr`.
    public var header: NetlinkMessageHeader
    /// The bytes after the header, up to `nlmsg_len`.
    public var payload: ArraySlice<UInt8>
    /// Offset of the header in the datagram (for errors).
    public var offset: Int

    /// Creates a message value (the parser does this).
    public init(header: NetlinkMessageHeader, payload: ArraySlice<UInt8>, offset: Int) {
        self.header = header
        self.payload = payload
        self.offset = offset
    }

    /// A reader over the payload that reports offsets within the datagram.
    public func payloadReader(context: String) -> ByteReader {
        ByteReader(payload, order: .host, context: context, base: offset + NetlinkMessageHeader.size)
    }

    /// Splits a received datagram into its messages.
    ///
    /// Every message must have `nlmsg_len` ≥ 16 and fit in the datagram; the next one starts
    /// at the aligned end. A datagram that ends inside a header or a message is an error.
    public static func parseDatagram(_ bytes: ArraySlice<UInt8>) throws(ParseError) -> [NetlinkMessage] {
        let reader = ByteReader(bytes, order: .host, context: "netlink reply")
        var messages: [NetlinkMessage] = []
        var position = 0
        while position < reader.count {
            let header = try NetlinkMessageHeader(from: reader, at: position)
            let length = Int(header.length)
            guard length >= NetlinkMessageHeader.size else {
                throw reader.error(.invalid("nlmsg_len \(length) is shorter than the header"), at: position)
            }
            guard length <= reader.count - position else {
                throw reader.error(.truncated(needed: length, available: reader.count - position), at: position)
            }
            let payload = try reader.slice(at: position + NetlinkMessageHeader.size,
                                           length: length - NetlinkMessageHeader.size)
            messages.append(NetlinkMessage(header: header, payload: payload, offset: position))
            position += min(NetlinkProtocol.aligned(length), reader.count - position)
        }
        return messages
    }

    /// Splits a whole received datagram held in an array.
    public static func parseDatagram(_ bytes: [UInt8]) throws(ParseError) -> [NetlinkMessage] {
        try parseDatagram(bytes[...])
    }
}
