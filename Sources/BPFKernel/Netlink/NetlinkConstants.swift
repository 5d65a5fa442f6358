// The numbers of the rtnetlink protocol that swift-xdp speaks. Values are facts from the
// kernel UAPI headers linux/netlink.h, linux/rtnetlink.h and linux/if_link.h.

/// The type of a netlink message (`nlmsghdr.nlmsg_type`).
///
/// Mirrors the control types `NLMSG_*` of linux/netlink.h and the link messages `RTM_*LINK`
/// of linux/rtnetlink.h.
public struct NetlinkMessageType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The 16-bit type number.
    public let rawValue: UInt16
    /// Wraps a type number.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// `NLMSG_NOOP` (1): nothing; skipped.
    public static let noop = NetlinkMessageType(rawValue: 1)
    /// `NLMSG_ERROR` (2): an acknowledgement (error 0) or an error (−errno); `struct nlmsgerr`.
    public static let error = NetlinkMessageType(rawValue: 2)
    /// `NLMSG_DONE` (3): the end of a multi-part (dump) reply.
    public static let done = NetlinkMessageType(rawValue: 3)
    /// `NLMSG_OVERRUN` (4): data was lost.
    public static let overrun = NetlinkMessageType(rawValue: 4)
    /// `RTM_NEWLINK` (16): a description of one network interface (reply to `RTM_GETLINK`).
    public static let newLink = NetlinkMessageType(rawValue: 16)
    /// `RTM_DELLINK` (17): deletes an interface.
    public static let delLink = NetlinkMessageType(rawValue: 17)
    /// `RTM_GETLINK` (18): asks for one interface (by index or `IFLA_IFNAME`) or all (dump).
    public static let getLink = NetlinkMessageType(rawValue: 18)
    /// `RTM_SETLINK` (19): changes an interface, e.g. its XDP program (`IFLA_XDP`).
    public static let setLink = NetlinkMessageType(rawValue: 19)

    /// The header name, e.g. `"RTM_SETLINK"`, or `"type 42"`.
    public var description: String {
        switch rawValue {
        case 1: "NLMSG_NOOP"
        case 2: "NLMSG_ERROR"
        case 3: "NLMSG_DONE"
        case 4: "NLMSG_OVERRUN"
        case 16: "RTM_NEWLINK"
        case 17: "RTM_DELLINK"
        case 18: "RTM_GETLINK"
        case 19: "RTM_SETLINK"
        default: "type \(rawValue)"
        }
    }
}

/// The flags of a netlink message (`nlmsghdr.nlmsg_flags`).
///
/// Mirrors the `NLM_F_*` constants of linux/netlink.h. Bits 8–11 mean different things for
/// GET requests (`ROOT`, `MATCH`, `ATOMIC`), NEW requests and `NLMSG_ERROR` replies
/// (`CAPPED`, `ACK_TLVS`), so several names share a value.
public struct NetlinkMessageFlags: OptionSet, Hashable, Sendable, CustomStringConvertible {
    /// The 16-bit flag word.
    public let rawValue: UInt16
    /// Wraps a flag word.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// `NLM_F_REQUEST` (0x01): a request to the kernel (set on everything user space sends).
    public static let request = NetlinkMessageFlags(rawValue: 0x01)
    /// `NLM_F_MULTI` (0x02): part of a multi-part reply ended by `NLMSG_DONE`.
    public static let multi = NetlinkMessageFlags(rawValue: 0x02)
    /// `NLM_F_ACK` (0x04): asks for an `NLMSG_ERROR` acknowledgement.
    public static let ack = NetlinkMessageFlags(rawValue: 0x04)
    /// `NLM_F_ECHO` (0x08): echo the request back.
    public static let echo = NetlinkMessageFlags(rawValue: 0x08)
    /// `NLM_F_DUMP_INTR` (0x10): the dump was inconsistent because the table changed meanwhile.
    public static let dumpInterrupted = NetlinkMessageFlags(rawValue: 0x10)
    /// `NLM_F_DUMP_FILTERED` (0x20): the dump was filtered as requested.
    public static let dumpFiltered = NetlinkMessageFlags(rawValue: 0x20)
    /// `NLM_F_ROOT` (0x100, GET requests): return the whole table.
    public static let root = NetlinkMessageFlags(rawValue: 0x100)
    /// `NLM_F_MATCH` (0x200, GET requests): return all matching entries.
    public static let match = NetlinkMessageFlags(rawValue: 0x200)
    /// `NLM_F_DUMP` (`ROOT|MATCH`, 0x300): a dump request.
    public static let dump: NetlinkMessageFlags = [.root, .match]
    /// `NLM_F_CAPPED` (0x100, `NLMSG_ERROR`): the echoed request is only its header
    /// (the socket has `NETLINK_CAP_ACK`).
    public static let capped = NetlinkMessageFlags(rawValue: 0x100)
    /// `NLM_F_ACK_TLVS` (0x200, `NLMSG_ERROR`/`NLMSG_DONE`): extended-ack attributes follow.
    public static let ackTLVs = NetlinkMessageFlags(rawValue: 0x200)

    /// The request-side names joined by `|`, e.g. `"REQUEST|ACK"` or `"REQUEST|DUMP"`.
    public var description: String {
        let names: [(NetlinkMessageFlags, String)] = [
            (.request, "REQUEST"), (.multi, "MULTI"), (.ack, "ACK"), (.echo, "ECHO"),
            (.dumpInterrupted, "DUMP_INTR"), (.dumpFiltered, "DUMP_FILTERED"),
            (.dump, "DUMP"), (.root, "ROOT"), (.match, "MATCH"), (NetlinkMessageFlags(rawValue: 0x400), "ATOMIC"),
        ]
        return flagNames(rawValue, names.map { ($0.0.rawValue, $0.1) })
    }
}

/// Socket-level constants of the netlink protocol family.
///
/// Mirrors linux/netlink.h (`NETLINK_ROUTE`, `SOL_NETLINK`, the socket options) and the
/// alignment rules `NLMSG_ALIGNTO` / `NLA_ALIGNTO`.
public enum NetlinkProtocol {
    /// `NETLINK_ROUTE` (0): the rtnetlink protocol (links, addresses, routes).
    public static let route: Int32 = 0
    /// `SOL_NETLINK` (270): the `setsockopt` level of the options below.
    public static let socketLevel: Int32 = 270
    /// `NETLINK_CAP_ACK` (10): do not echo the whole request in error replies.
    public static let capAckOption: Int32 = 10
    /// `NETLINK_EXT_ACK` (11): add extended-ack attributes (the kernel's error text).
    public static let extendedAckOption: Int32 = 11
    /// `NLMSG_ALIGNTO` / `NLA_ALIGNTO` (4): messages and attributes start on 4-byte boundaries.
    public static let alignment = 4

    /// Rounds `length` up to the netlink alignment (`NLMSG_ALIGN` / `NLA_ALIGN`).
    @inline(__always)
    public static func aligned(_ length: Int) -> Int {
        (length + alignment - 1) & ~(alignment - 1)
    }
}

/// Route link attribute types (`IFLA_*`), the top-level attributes of `RTM_*LINK` messages.
///
/// Mirrors the `IFLA_*` enum of linux/if_link.h (only the ones swift-xdp reads or sends).
public enum InterfaceLinkAttribute {
    /// `IFLA_ADDRESS` (1): the link-layer address.
    public static let address: UInt16 = 1
    /// `IFLA_IFNAME` (3): the interface name, a NUL-terminated string.
    public static let interfaceName: UInt16 = 3
    /// `IFLA_MTU` (4): the MTU, u32.
    public static let mtu: UInt16 = 4
    /// `IFLA_LINK` (5): the index of the peer/lower interface, u32.
    public static let link: UInt16 = 5
    /// `IFLA_EXT_MASK` (29): what to include in the reply (`RTEXT_FILTER_*`), u32.
    public static let extendedMask: UInt16 = 29
    /// `IFLA_XDP` (43): the nested XDP attributes (`IFLA_XDP_*`).
    public static let xdp: UInt16 = 43

    /// The header name of a top-level link attribute type, or nil when unnamed here.
    public static func name(of type: UInt16) -> String? {
        switch type {
        case address: "IFLA_ADDRESS"
        case interfaceName: "IFLA_IFNAME"
        case mtu: "IFLA_MTU"
        case link: "IFLA_LINK"
        case extendedMask: "IFLA_EXT_MASK"
        case xdp: "IFLA_XDP"
        default: nil
        }
    }
}

/// The attributes nested inside `IFLA_XDP`.
///
/// Mirrors the `IFLA_XDP_*` enum of linux/if_link.h.
public enum XDPLinkAttribute {
    /// `IFLA_XDP_FD` (1): the program fd to attach, s32; −1 detaches.
    public static let fd: UInt16 = 1
    /// `IFLA_XDP_ATTACHED` (2): u8, `XDP_ATTACHED_*` (replies only).
    public static let attached: UInt16 = 2
    /// `IFLA_XDP_FLAGS` (3): u32, `XDP_FLAGS_*`.
    public static let flags: UInt16 = 3
    /// `IFLA_XDP_PROG_ID` (4): u32, the program id when exactly one mode is attached.
    public static let programID: UInt16 = 4
    /// `IFLA_XDP_DRV_PROG_ID` (5): u32, the native (driver) mode program id.
    public static let driverProgramID: UInt16 = 5
    /// `IFLA_XDP_SKB_PROG_ID` (6): u32, the generic (skb) mode program id.
    public static let skbProgramID: UInt16 = 6
    /// `IFLA_XDP_HW_PROG_ID` (7): u32, the offloaded (hardware) program id.
    public static let hardwareProgramID: UInt16 = 7
    /// `IFLA_XDP_EXPECTED_FD` (8): s32, the fd of the program expected to be attached now
    /// (with `XDP_FLAGS_REPLACE`).
    public static let expectedFD: UInt16 = 8

    /// The header name of an `IFLA_XDP_*` type, or nil when unknown.
    public static func name(of type: UInt16) -> String? {
        switch type {
        case fd: "IFLA_XDP_FD"
        case attached: "IFLA_XDP_ATTACHED"
        case flags: "IFLA_XDP_FLAGS"
        case programID: "IFLA_XDP_PROG_ID"
        case driverProgramID: "IFLA_XDP_DRV_PROG_ID"
        case skbProgramID: "IFLA_XDP_SKB_PROG_ID"
        case hardwareProgramID: "IFLA_XDP_HW_PROG_ID"
        case expectedFD: "IFLA_XDP_EXPECTED_FD"
        default: nil
        }
    }
}

/// The extended-ack attributes that may follow an `NLMSG_ERROR` or `NLMSG_DONE` payload.
///
/// Mirrors `enum nlmsgerr_attrs` (`NLMSGERR_ATTR_*`) in linux/netlink.h.
public enum ExtendedAckAttribute {
    /// `NLMSGERR_ATTR_MSG` (1): the kernel's error text, a NUL-terminated string.
    public static let message: UInt16 = 1
    /// `NLMSGERR_ATTR_OFFS` (2): u32 byte offset of the offending attribute in the request.
    public static let offset: UInt16 = 2
    /// `NLMSGERR_ATTR_COOKIE` (3): subsystem-specific bytes.
    public static let cookie: UInt16 = 3
    /// `NLMSGERR_ATTR_POLICY` (4): the policy of a rejected attribute (nested).
    public static let policy: UInt16 = 4
    /// `NLMSGERR_ATTR_MISS_TYPE` (5): u32 type of a missing required attribute.
    public static let missingType: UInt16 = 5
    /// `NLMSGERR_ATTR_MISS_NEST` (6): u32 offset of the nest where it was missing.
    public static let missingNest: UInt16 = 6
}

/// Address family numbers used in `ifinfomsg.ifi_family`.
///
/// Mirrors `AF_UNSPEC` in linux/socket.h.
public enum NetlinkAddressFamily {
    /// `AF_UNSPEC` (0): any family; what link requests use.
    public static let unspecified: UInt8 = 0
}

/// Joins the names of the set bits of `value` with `|`; unnamed bits appear as hex.
func flagNames<T: FixedWidthInteger & UnsignedInteger>(_ value: T, _ names: [(T, String)]) -> String {
    if value == 0 { return "0" }
    var parts: [String] = []
    var rest = value
    for (bit, name) in names where value & bit == bit && rest & bit != 0 {
        parts.append(name)
        rest &= ~bit
    }
    if rest != 0 { parts.append("0x" + String(rest, radix: 16)) }
    return parts.joined(separator: "|")
}
