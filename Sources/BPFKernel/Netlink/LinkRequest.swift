/// The rtnetlink link requests swift-xdp sends, as pure functions from arguments to bytes.
///
/// Each builds a complete message (`struct nlmsghdr` + `struct ifinfomsg` + attributes,
/// linux/netlink.h, linux/rtnetlink.h, linux/if_link.h). The sequence number defaults to 0;
/// ``NetlinkSocket`` stamps its own into the header before sending.
public enum LinkRequest {
    /// `RTEXT_FILTER_SKIP_STATS` (linux/rtnetlink.h): leave the statistics out of replies.
    public static let skipStatistics: UInt32 = 1 << 3

    /// `RTM_SETLINK` for interface `index` with a nested `IFLA_XDP` holding `IFLA_XDP_FD`
    /// (`programFD`, −1 to detach), `IFLA_XDP_FLAGS` (when not empty) and
    /// `IFLA_XDP_EXPECTED_FD` (when given; pair it with ``XDPFlags/replace``).
    public static func setXDP(interfaceIndex index: Int32, programFD: Int32, flags: XDPFlags,
                              expectedFD: Int32? = nil, sequence: UInt32 = 0) -> [UInt8] {
        var message = NetlinkMessageBuilder(type: .setLink, flags: [.request, .ack], sequence: sequence)
        message.append(InterfaceInfoMessage(index: index).bytes)
        message.appendNested(InterfaceLinkAttribute.xdp) { xdp in
            xdp.appendAttribute(XDPLinkAttribute.fd, int32: programFD)
            if !flags.isEmpty { xdp.appendAttribute(XDPLinkAttribute.flags, uint32: flags.rawValue) }
            if let expectedFD { xdp.appendAttribute(XDPLinkAttribute.expectedFD, int32: expectedFD) }
        }
        return message.bytes
    }

    /// The `RTM_SETLINK` that attaches `programFD` in `mode` under `policy`.
    public static func attachXDP(interfaceIndex index: Int32, programFD: Int32, mode: XDPMode,
                                 policy: XDPReplacePolicy, sequence: UInt32 = 0) -> [UInt8] {
        var expected: Int32?
        if case let .replace(fd) = policy { expected = fd }
        return setXDP(interfaceIndex: index, programFD: programFD, flags: mode.flags.union(policy.flags),
                      expectedFD: expected, sequence: sequence)
    }

    /// The `RTM_SETLINK` that detaches the program of `mode` (`IFLA_XDP_FD` = −1).
    public static func detachXDP(interfaceIndex index: Int32, mode: XDPMode, sequence: UInt32 = 0) -> [UInt8] {
        setXDP(interfaceIndex: index, programFD: -1, flags: mode.flags, sequence: sequence)
    }

    /// `RTM_GETLINK` for one interface by index (`NLM_F_REQUEST|NLM_F_ACK`).
    public static func getLink(index: Int32, sequence: UInt32 = 0) -> [UInt8] {
        var message = NetlinkMessageBuilder(type: .getLink, flags: [.request, .ack], sequence: sequence)
        message.append(InterfaceInfoMessage(index: index).bytes)
        message.appendAttribute(InterfaceLinkAttribute.extendedMask, uint32: skipStatistics)
        return message.bytes
    }

    /// `RTM_GETLINK` for one interface by name (`ifi_index` 0 and `IFLA_IFNAME`).
    public static func getLink(name: String, sequence: UInt32 = 0) -> [UInt8] {
        var message = NetlinkMessageBuilder(type: .getLink, flags: [.request, .ack], sequence: sequence)
        message.append(InterfaceInfoMessage(index: 0).bytes)
        message.appendAttribute(InterfaceLinkAttribute.extendedMask, uint32: skipStatistics)
        message.appendAttribute(InterfaceLinkAttribute.interfaceName, string: name)
        return message.bytes
    }

    /// `RTM_GETLINK` dump of every interface (`NLM_F_REQUEST|NLM_F_DUMP`).
    public static func dumpLinks(sequence: UInt32 = 0) -> [UInt8] {
        var message = NetlinkMessageBuilder(type: .getLink, flags: [.request, .dump], sequence: sequence)
        message.append(InterfaceInfoMessage(index: 0).bytes)
        message.appendAttribute(InterfaceLinkAttribute.extendedMask, uint32: skipStatistics)
        return message.bytes
    }

    /// Whether `name` can be an interface name: 1–15 bytes (`IFNAMSIZ` − 1), no `/`, NUL or
    /// whitespace, not `.` or `..` (the rules of `dev_valid_name` in net/core/dev.c).
    public static func isValidInterfaceName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count < 16, name != ".", name != ".." else { return false }
        return !bytes.contains { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: ":") || $0 == 0 || $0 == 0x20 || ($0 >= 9 && $0 <= 13) }
    }
}
