/// The IPv4 addresses of an interface, read with an `RTM_GETADDR` dump (rtnetlink(7)).
///
/// The request is `struct nlmsghdr` (type `RTM_GETADDR` = 22, `NLM_F_REQUEST | NLM_F_DUMP`)
/// plus `struct ifaddrmsg` (linux/if_addr.h: `ifa_family` u8 = `AF_INET` 2, `ifa_prefixlen`,
/// `ifa_flags`, `ifa_scope` u8, `ifa_index` u32); each `RTM_NEWADDR` (20) reply carries an
/// `ifaddrmsg` and the attributes `IFA_ADDRESS` (1) and `IFA_LOCAL` (2).
public enum InterfaceAddresses {
    /// `RTM_GETADDR`.
    public static let getAddress = NetlinkMessageType(rawValue: 22)
    /// `RTM_NEWADDR`.
    public static let newAddress = NetlinkMessageType(rawValue: 20)
    /// `IFA_ADDRESS`.
    public static let attributeAddress: UInt16 = 1
    /// `IFA_LOCAL`: the local address (differs from `IFA_ADDRESS` only on point-to-point links).
    public static let attributeLocal: UInt16 = 2
    /// `sizeof(struct ifaddrmsg)`.
    public static let headerSize = 8
    /// `AF_INET`.
    public static let familyIPv4: UInt8 = 2

    /// The dump request for every IPv4 address.
    public static func dumpRequest() -> [UInt8] {
        var builder = NetlinkMessageBuilder(type: getAddress, flags: [.request, .dump], sequence: 0)
        builder.append([familyIPv4, 0, 0, 0, 0, 0, 0, 0])
        return builder.bytes
    }

    /// The IPv4 addresses of interface `ifindex` in the `RTM_NEWADDR` replies, in order.
    public static func parse(_ messages: [NetlinkMessage], ifindex: Int32) throws(ParseError) -> [IPv4Address] {
        var result: [IPv4Address] = []
        for message in messages where message.header.type == newAddress {
            let reader = message.payloadReader(context: "RTM_NEWADDR")
            guard try reader.u8(at: 0) == familyIPv4, try reader.i32(at: 4) == ifindex else { continue }
            let attributes = try NetlinkAttribute.parseList(
                reader.subReader(at: headerSize, length: reader.count - headerSize, context: "RTM_NEWADDR attribute"))
            guard let attribute = attributes.first(ofType: attributeLocal) ?? attributes.first(ofType: attributeAddress),
                  attribute.payload.count == 4 else { continue }
            let value = try ByteReader(attribute.payload, order: .big, context: "IFA_LOCAL").u32(at: 0)
            result.append(IPv4Address(value))
        }
        return result
    }

    /// The IPv4 addresses of interface `name` in the calling thread's network namespace.
    public static func of(_ name: String) throws -> [IPv4Address] {
        let netlink = try XDPNetlink()
        let index = try netlink.interfaceIndex(named: name)
        let messages = try netlink.socket.exchange(dumpRequest(), operation: .request(getAddress))
        return try parse(messages, ifindex: index)
    }
}
