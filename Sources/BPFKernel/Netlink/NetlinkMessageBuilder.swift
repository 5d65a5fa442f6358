/// Builds one netlink request: a `struct nlmsghdr`, a fixed body (such as
/// `struct ifinfomsg`), then attributes (`struct nlattr`), each padded to 4 bytes.
///
/// The header's `nlmsg_len` is filled in by ``bytes``; nested attributes get their
/// `nla_len` when their closure returns. Everything is in host byte order, as netlink wants.
///
/// ```swift
/// var message = NetlinkMessageBuilder(type: .setLink, flags: [.request, .ack], sequence: 1)
/// message.append(InterfaceInfoMessage(index: 3).bytes)
/// message.appendNested(InterfaceLinkAttribute.xdp) { xdp in
///     xdp.appendAttribute(XDPLinkAttribute.fd, int32: 7)
/// }
/// let request = message.bytes
/// ```
public struct NetlinkMessageBuilder: Sendable {
    private var buffer: [UInt8]

    /// Starts a message with the given header fields (`nlmsg_pid` 0: addressed to the kernel).
    public init(type: NetlinkMessageType, flags: NetlinkMessageFlags, sequence: UInt32, portID: UInt32 = 0) {
        buffer = NetlinkMessageHeader(length: 0, type: type, flags: flags,
                                      sequence: sequence, portID: portID).bytes
    }

    /// The finished message: header with `nlmsg_len` set to the total length.
    public var bytes: [UInt8] {
        var out = buffer
        ByteOrder.host.store(UInt32(out.count), into: &out, at: 0)
        return out
    }

    /// Appends raw bytes (a fixed body such as `ifinfomsg`), then pads to 4 bytes.
    public mutating func append(_ body: [UInt8]) {
        buffer += body
        pad()
    }

    /// Appends an attribute: `nla_len` = 4 + payload size, `nla_type`, payload, padding.
    public mutating func appendAttribute(_ type: UInt16, payload: [UInt8]) {
        let start = buffer.count
        buffer += [0, 0, 0, 0]
        buffer += payload
        writeAttributeHeader(at: start, type: type)
        pad()
    }

    /// Appends an attribute holding a host-order u32 (`nla_put_u32`).
    public mutating func appendAttribute(_ type: UInt16, uint32 value: UInt32) {
        appendAttribute(type, payload: ByteOrder.host.bytes(of: value))
    }

    /// Appends an attribute holding a host-order s32 (`nla_put_s32`).
    public mutating func appendAttribute(_ type: UInt16, int32 value: Int32) {
        appendAttribute(type, payload: ByteOrder.host.bytes(of: value))
    }

    /// Appends an attribute holding a u8 (`nla_put_u8`).
    public mutating func appendAttribute(_ type: UInt16, uint8 value: UInt8) {
        appendAttribute(type, payload: [value])
    }

    /// Appends a NUL-terminated string attribute (`nla_put_string`).
    public mutating func appendAttribute(_ type: UInt16, string value: String) {
        appendAttribute(type, payload: Array(value.utf8) + [0])
    }

    /// Appends a nested attribute (`nla_nest_start`/`nla_nest_end`): `type | NLA_F_NESTED`,
    /// whose payload is whatever `body` appends; its `nla_len` covers the inner padding.
    public mutating func appendNested(_ type: UInt16, _ body: (inout NetlinkMessageBuilder) -> Void) {
        let start = buffer.count
        buffer += [0, 0, 0, 0]
        body(&self)
        writeAttributeHeader(at: start, type: type | NetlinkAttribute.nestedFlag)
    }

    private mutating func writeAttributeHeader(at start: Int, type: UInt16) {
        precondition(buffer.count - start <= Int(UInt16.max), "netlink attribute longer than 65535 bytes")
        ByteOrder.host.store(UInt16(truncatingIfNeeded: buffer.count - start), into: &buffer, at: start)
        ByteOrder.host.store(type, into: &buffer, at: start + 2)
    }

    private mutating func pad() {
        let padding = NetlinkProtocol.aligned(buffer.count) - buffer.count
        if padding > 0 { buffer += [UInt8](repeating: 0, count: padding) }
    }
}
