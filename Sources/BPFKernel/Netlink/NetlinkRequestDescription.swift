/// Turns a link request back into named fields for ``KernelTrace`` (`--explain`), by decoding
/// the bytes that are actually sent: `ifindex=3`, `IFLA_XDP_FD=7`,
/// `IFLA_XDP_FLAGS=SKB_MODE|UPDATE_IF_NOEXIST`.
///
/// Names come from linux/rtnetlink.h and linux/if_link.h; unknown attributes appear as
/// `attr<N>` with their length.
public enum NetlinkRequestDescription {
    /// The fields of a request message (empty if the bytes cannot be decoded).
    public static func fields(of request: [UInt8]) -> [KernelCall.Field] {
        guard let message = try? NetlinkMessage.parseDatagram(request).first else { return [] }
        var fields: [KernelCall.Field] = []
        if message.header.flags.contains(.dump) {
            fields.append(.init("nlmsg_flags", message.header.flags.description))
        }
        let reader = message.payloadReader(context: "request")
        guard let info = try? InterfaceInfoMessage(from: reader) else { return fields }
        if info.index != 0 || !message.header.flags.contains(.dump) {
            fields.append(.init("ifindex", String(info.index)))
        }
        guard let body = try? reader.subReader(at: InterfaceInfoMessage.size, length: reader.count - InterfaceInfoMessage.size),
              let attributes = try? NetlinkAttribute.parseList(body) else { return fields }
        for attribute in attributes {
            if attribute.type == InterfaceLinkAttribute.xdp, let inner = try? attribute.nested() {
                fields += inner.map(xdpField)
            } else {
                fields.append(linkField(attribute))
            }
        }
        return fields
    }

    private static func linkField(_ attribute: NetlinkAttribute) -> KernelCall.Field {
        switch attribute.type {
        case InterfaceLinkAttribute.interfaceName:
            return .init("IFLA_IFNAME", attribute.string())
        case InterfaceLinkAttribute.extendedMask:
            let mask = (try? attribute.u32()).map { $0 == LinkRequest.skipStatistics ? "SKIP_STATS" : "0x" + String($0, radix: 16) }
            return .init("IFLA_EXT_MASK", mask ?? "?")
        default:
            let name = InterfaceLinkAttribute.name(of: attribute.type) ?? "attr\(attribute.type)"
            return .init(name, "\(attribute.payload.count) bytes")
        }
    }

    private static func xdpField(_ attribute: NetlinkAttribute) -> KernelCall.Field {
        let name = XDPLinkAttribute.name(of: attribute.type) ?? "IFLA_XDP attr\(attribute.type)"
        switch attribute.type {
        case XDPLinkAttribute.fd, XDPLinkAttribute.expectedFD:
            return .init(name, (try? attribute.i32()).map(String.init) ?? "?")
        case XDPLinkAttribute.flags:
            return .init(name, (try? attribute.u32()).map { XDPFlags(rawValue: $0).description } ?? "?")
        default:
            return .init(name, "\(attribute.payload.count) bytes")
        }
    }
}
