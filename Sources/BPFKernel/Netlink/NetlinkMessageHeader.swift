/// The 16-byte header in front of every netlink message.
///
/// Mirrors `struct nlmsghdr` in linux/netlink.h: `nlmsg_len` (u32, header included),
/// `nlmsg_type` (u16), `nlmsg_flags` (u16), `nlmsg_seq` (u32), `nlmsg_pid` (u32, the sender's
/// port id; 0 for the kernel), all in host byte order.
public struct NetlinkMessageHeader: Sendable, Hashable {
    /// `sizeof(struct nlmsghdr)` (= `NLMSG_HDRLEN`).
    public static let size = 16

    /// `nlmsg_len`: length of the message including this header (without trailing padding).
    public var length: UInt32
    /// `nlmsg_type`.
    public var type: NetlinkMessageType
    /// `nlmsg_flags`.
    public var flags: NetlinkMessageFlags
    /// `nlmsg_seq`: chosen by the requester, copied into every reply.
    public var sequence: UInt32
    /// `nlmsg_pid`: the port id of the sender (0 when sent by or to the kernel).
    public var portID: UInt32

    /// Creates a header.
    public init(length: UInt32, type: NetlinkMessageType, flags: NetlinkMessageFlags,
                sequence: UInt32, portID: UInt32 = 0) {
        self.length = length
        self.type = type
        self.flags = flags
        self.sequence = sequence
        self.portID = portID
    }

    /// The 16 header bytes in host byte order.
    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: Self.size)
        write(into: &out, at: 0)
        return out
    }

    /// Stores the header at `offset` of `buffer` (which must have 16 bytes there).
    func write(into buffer: inout [UInt8], at offset: Int) {
        let order = ByteOrder.host
        order.store(length, into: &buffer, at: offset)
        order.store(type.rawValue, into: &buffer, at: offset + 4)
        order.store(flags.rawValue, into: &buffer, at: offset + 6)
        order.store(sequence, into: &buffer, at: offset + 8)
        order.store(portID, into: &buffer, at: offset + 12)
    }

    /// Reads a header at relative `offset` of `reader` (bounds-checked).
    public init(from reader: ByteReader, at offset: Int = 0) throws(ParseError) {
        length = try reader.u32(at: offset)
        type = NetlinkMessageType(rawValue: try reader.u16(at: offset + 4))
        flags = NetlinkMessageFlags(rawValue: try reader.u16(at: offset + 6))
        sequence = try reader.u32(at: offset + 8)
        portID = try reader.u32(at: offset + 12)
    }
}
