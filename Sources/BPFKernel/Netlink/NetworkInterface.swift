/// The XDP programs attached to one interface, as the kernel reports them.
///
/// Mirrors the nested `IFLA_XDP` attribute of an `RTM_NEWLINK` reply (filled by
/// `rtnl_xdp_fill` in net/core/rtnetlink.c): `IFLA_XDP_ATTACHED`, `IFLA_XDP_PROG_ID` (only
/// when exactly one mode is attached) and the per-mode ids `IFLA_XDP_{DRV,SKB,HW}_PROG_ID`.
public struct XDPStatus: Sendable, Equatable {
    /// `IFLA_XDP_ATTACHED`: which mode(s) have a program.
    public var attachedMode: XDPAttachedMode
    /// `IFLA_XDP_PROG_ID`: the program id when a single mode is attached.
    public var programID: UInt32?
    /// `IFLA_XDP_DRV_PROG_ID`: the native-mode program id.
    public var nativeProgramID: UInt32?
    /// `IFLA_XDP_SKB_PROG_ID`: the generic-mode program id.
    public var genericProgramID: UInt32?
    /// `IFLA_XDP_HW_PROG_ID`: the offloaded program id.
    public var offloadProgramID: UInt32?

    /// Creates a status value.
    public init(attachedMode: XDPAttachedMode = .none, programID: UInt32? = nil, nativeProgramID: UInt32? = nil,
                genericProgramID: UInt32? = nil, offloadProgramID: UInt32? = nil) {
        self.attachedMode = attachedMode
        self.programID = programID
        self.nativeProgramID = nativeProgramID
        self.genericProgramID = genericProgramID
        self.offloadProgramID = offloadProgramID
    }

    /// No program attached.
    public static let none = XDPStatus()

    /// True when any program is attached.
    public var isAttached: Bool { attachedMode != .none }

    /// The id of the program attached in `mode` (``XDPMode/auto``: the single program, if any).
    public func programID(for mode: XDPMode) -> UInt32? {
        switch mode {
        case .auto: programID
        case .native: nativeProgramID
        case .generic: genericProgramID
        case .offload: offloadProgramID
        }
    }

    /// Decodes the attributes nested in `IFLA_XDP`; unknown ones are skipped.
    public init(parsing attributes: [NetlinkAttribute]) throws(ParseError) {
        self.init()
        for attribute in attributes {
            switch attribute.type {
            case XDPLinkAttribute.attached:
                let raw = try attribute.u8()
                guard let mode = XDPAttachedMode(rawValue: raw) else {
                    throw ParseError(.invalid("unknown IFLA_XDP_ATTACHED value \(raw)"),
                                     context: attribute.context, offset: attribute.offset)
                }
                attachedMode = mode
            case XDPLinkAttribute.programID: programID = try attribute.u32()
            case XDPLinkAttribute.driverProgramID: nativeProgramID = try attribute.u32()
            case XDPLinkAttribute.skbProgramID: genericProgramID = try attribute.u32()
            case XDPLinkAttribute.hardwareProgramID: offloadProgramID = try attribute.u32()
            default: break
            }
        }
    }
}

/// One network interface as described by an `RTM_NEWLINK` message: `struct ifinfomsg`
/// (linux/rtnetlink.h) plus the `IFLA_IFNAME` and `IFLA_XDP` attributes (linux/if_link.h).
public struct NetworkInterface: Sendable, Equatable {
    /// `ifi_index`.
    public var index: Int32
    /// `IFLA_IFNAME`, e.g. `"eth0"`.
    public var name: String
    /// `ifi_type`: `ARPHRD_*` hardware type (1 = Ethernet, 772 = loopback).
    public var deviceType: UInt16
    /// `ifi_flags`: `IFF_*` bits (linux/if.h), e.g. `IFF_UP` = 1.
    public var flags: UInt32
    /// The XDP programs attached (``XDPStatus/none`` when the kernel sent no `IFLA_XDP`).
    public var xdp: XDPStatus

    /// Creates an interface value.
    public init(index: Int32, name: String, deviceType: UInt16 = 1, flags: UInt32 = 0, xdp: XDPStatus = .none) {
        self.index = index
        self.name = name
        self.deviceType = deviceType
        self.flags = flags
        self.xdp = xdp
    }

    /// `IFF_UP` (1) is set.
    public var isUp: Bool { flags & 1 != 0 }

    /// Decodes an `RTM_NEWLINK` message.
    public init(parsing message: NetlinkMessage) throws(ParseError) {
        let reader = message.payloadReader(context: "RTM_NEWLINK")
        guard message.header.type == .newLink else {
            throw reader.error(.invalid("expected RTM_NEWLINK, got \(message.header.type)"), at: 0)
        }
        let info = try InterfaceInfoMessage(from: reader)
        let attributes = try NetlinkAttribute.parseList(
            reader.subReader(at: InterfaceInfoMessage.size, length: reader.count - InterfaceInfoMessage.size,
                             context: "RTM_NEWLINK attribute"))
        guard let name = attributes.first(ofType: InterfaceLinkAttribute.interfaceName) else {
            throw reader.error(.invalid("interface \(info.index) has no IFLA_IFNAME"), at: 0)
        }
        var xdp = XDPStatus.none
        if let nested = attributes.first(ofType: InterfaceLinkAttribute.xdp) {
            xdp = try XDPStatus(parsing: nested.nested(context: "IFLA_XDP attribute"))
        }
        self.init(index: info.index, name: name.string(), deviceType: info.deviceType, flags: info.flags, xdp: xdp)
    }
}
