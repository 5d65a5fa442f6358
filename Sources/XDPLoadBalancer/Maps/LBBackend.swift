/// The state of a backend slot: `XDP_LB_BACKEND_*` in bpf/xdp_lb.h.
public struct LBBackendFlags: OptionSet, Sendable, Hashable, CustomStringConvertible {
    /// The raw `__u16` flags.
    public let rawValue: UInt16
    /// Creates flags from their raw value.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// `XDP_LB_BACKEND_ACTIVE` (0x1): new flows may be sent to it.
    public static let active = LBBackendFlags(rawValue: 0x1)
    /// `XDP_LB_BACKEND_DRAINING` (0x2): established flows continue, no new ones.
    public static let draining = LBBackendFlags(rawValue: 0x2)

    /// `active`, `draining`, `unused` (0) or the hex value.
    public var description: String {
        switch self {
        case []: "unused"
        case .active: "active"
        case .draining: "draining"
        default: "0x" + String(rawValue, radix: 16)
        }
    }
}

/// Value of the `backends` map (key: the backend id, host `__u32`).
///
/// Mirrors `struct xdp_lb_backend` in bpf/xdp_lb.h (8 bytes): `ip` @0 (network),
/// `port` @4 (network), `flags` @6 (host): the state in bits 0-7 and the service id in bits
/// 8-15 (`XDP_LB_BACKEND_SERVICE_SHIFT`), which only the control plane reads.
public struct LBBackend: MapCodable, Hashable {
    /// `sizeof(struct xdp_lb_backend)`.
    public static let size = 8
    /// The C struct's name.
    public static let cName = "xdp_lb_backend"
    /// `XDP_LB_BACKEND_SERVICE_SHIFT`: where the service id sits in `flags`.
    public static let serviceShift: UInt16 = 8

    /// `ip` and `port`: where the backend listens.
    public var endpoint: IPv4Endpoint
    /// `flags` bits 0-7: `XDP_LB_BACKEND_*`; empty = slot unused.
    public var flags: LBBackendFlags
    /// `flags` bits 8-15: the service (`struct xdp_lb_service` id) whose Maglev table the
    /// backend is in, or was in while it drains.
    public var serviceID: UInt32

    /// A backend slot of service `serviceID` (below `XDP_LB_MAX_SERVICES`).
    public init(endpoint: IPv4Endpoint, flags: LBBackendFlags, serviceID: UInt32 = 0) {
        self.endpoint = endpoint
        self.flags = flags
        self.serviceID = serviceID
    }

    /// The 8 value bytes.
    public var encoded: [UInt8] {
        var w = MapBytesWriter(size: Self.size)
        w.network(endpoint.address.value, at: 0)
        w.network(endpoint.port, at: 4)
        w.host((flags.rawValue & 0xff) | UInt16(truncatingIfNeeded: serviceID) << Self.serviceShift, at: 6)
        return w.bytes
    }

    /// Decodes `struct xdp_lb_backend`.
    public init(decoding bytes: [UInt8]) throws(ParseError) {
        let r = try MapBytesReader(bytes, size: Self.size, structName: Self.cName)
        endpoint = IPv4Endpoint(IPv4Address(try r.network(UInt32.self, at: 0)), try r.network(UInt16.self, at: 4))
        let raw = try r.host(UInt16.self, at: 6)
        flags = LBBackendFlags(rawValue: raw & 0xff)
        serviceID = UInt32(raw >> Self.serviceShift)
    }
}
