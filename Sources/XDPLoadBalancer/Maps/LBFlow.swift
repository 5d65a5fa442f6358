/// Value of the `flows` map: the backend and LB port a client flow is pinned to.
///
/// Mirrors `struct xdp_lb_flow` in bpf/xdp_lb.h (32 bytes): `backend_id` @0 (host),
/// `lb_port` @4 (network), `flags` @6 (host), `last_refresh` @8 (host), `nexthop` @16.
public struct LBFlow: MapCodable, Hashable {
    /// `sizeof(struct xdp_lb_flow)`.
    public static let size = 32
    /// The C struct's name.
    public static let cName = "xdp_lb_flow"
    /// `XDP_LB_FLOW_CLOSING`: the client sent FIN or RST.
    public static let closing: UInt16 = 0x1

    /// `backend_id`.
    public var backendID: UInt32
    /// `lb_port`: the source port the LB uses towards the backend.
    public var lbPort: UInt16
    /// `flags`: `XDP_LB_FLOW_*`.
    public var flags: UInt16
    /// `last_refresh`: jiffies of creation or last refresh.
    public var lastRefresh: UInt64
    /// `nexthop`: towards the backend.
    public var nextHop: LBNextHop

    /// A flow entry.
    public init(backendID: UInt32, lbPort: UInt16, flags: UInt16 = 0, lastRefresh: UInt64 = 0,
                nextHop: LBNextHop = LBNextHop()) {
        self.backendID = backendID
        self.lbPort = lbPort
        self.flags = flags
        self.lastRefresh = lastRefresh
        self.nextHop = nextHop
    }

    /// True when `XDP_LB_FLOW_CLOSING` is set.
    public var isClosing: Bool { flags & Self.closing != 0 }

    /// The 32 bytes.
    public var encoded: [UInt8] {
        var w = MapBytesWriter(size: Self.size)
        w.host(backendID, at: 0)
        w.network(lbPort, at: 4)
        w.host(flags, at: 6)
        w.host(lastRefresh, at: 8)
        w.raw(nextHop.encoded, at: 16)
        return w.bytes
    }

    /// Decodes `struct xdp_lb_flow`.
    public init(decoding bytes: [UInt8]) throws(ParseError) {
        let r = try MapBytesReader(bytes, size: Self.size, structName: Self.cName)
        backendID = try r.host(UInt32.self, at: 0)
        lbPort = try r.network(UInt16.self, at: 4)
        flags = try r.host(UInt16.self, at: 6)
        lastRefresh = try r.host(UInt64.self, at: 8)
        nextHop = try LBNextHop(decoding: try r.raw(at: 16, length: LBNextHop.size))
    }
}

/// Value of the `reverse` map: which client a backend's reply belongs to, and how the TCP
/// connection on this LB port is closing.
///
/// Mirrors `struct xdp_lb_reverse` in bpf/xdp_lb.h (56 bytes): `client` @0, `backend_id` @16
/// (host), `flags` @20 (host), `last_refresh` @24 (host), `nexthop` @32, `closed_at` @48 (host).
public struct LBReverse: MapCodable, Hashable {
    /// `sizeof(struct xdp_lb_reverse)`.
    public static let size = 56
    /// The C struct's name.
    public static let cName = "xdp_lb_reverse"
    /// `XDP_LB_REVERSE_CLIENT_FIN`: the client sent FIN.
    public static let clientFIN: UInt32 = 0x1
    /// `XDP_LB_REVERSE_BACKEND_FIN`: the backend sent FIN.
    public static let backendFIN: UInt32 = 0x2
    /// `XDP_LB_REVERSE_RESET`: either side sent RST.
    public static let reset: UInt32 = 0x4

    /// `client`: the client's tuple {client, VIP:port, proto}.
    public var client: LBTuple
    /// `backend_id`.
    public var backendID: UInt32
    /// `flags`: `XDP_LB_REVERSE_*`.
    public var flags: UInt32
    /// `last_refresh`: jiffies of the last next-hop lookup for replies.
    public var lastRefresh: UInt64
    /// `nexthop`: towards the client.
    public var nextHop: LBNextHop
    /// `closed_at`: TCP: jiffies of the last FIN or RST (0 = none); UDP: of the last packet
    /// seen, noted once a refresh period.
    public var closedAt: UInt64

    /// A reverse entry.
    public init(client: LBTuple, backendID: UInt32, flags: UInt32 = 0, lastRefresh: UInt64 = 0,
                nextHop: LBNextHop = LBNextHop(), closedAt: UInt64 = 0) {
        self.client = client
        self.backendID = backendID
        self.flags = flags
        self.lastRefresh = lastRefresh
        self.nextHop = nextHop
        self.closedAt = closedAt
    }

    /// True when the connection has closed: both FINs passed, or a RST (the program's
    /// `closed_flags`). Its port may be recycled a refresh period later.
    public var hasEnded: Bool {
        flags & Self.reset != 0 || flags & (Self.clientFIN | Self.backendFIN) == Self.clientFIN | Self.backendFIN
    }

    /// The 56 bytes.
    public var encoded: [UInt8] {
        var w = MapBytesWriter(size: Self.size)
        w.raw(client.encoded, at: 0)
        w.host(backendID, at: 16)
        w.host(flags, at: 20)
        w.host(lastRefresh, at: 24)
        w.raw(nextHop.encoded, at: 32)
        w.host(closedAt, at: 48)
        return w.bytes
    }

    /// Decodes `struct xdp_lb_reverse`.
    public init(decoding bytes: [UInt8]) throws(ParseError) {
        let r = try MapBytesReader(bytes, size: Self.size, structName: Self.cName)
        client = try LBTuple(decoding: try r.raw(at: 0, length: LBTuple.size))
        backendID = try r.host(UInt32.self, at: 16)
        flags = try r.host(UInt32.self, at: 20)
        lastRefresh = try r.host(UInt64.self, at: 24)
        nextHop = try LBNextHop(decoding: try r.raw(at: 32, length: LBNextHop.size))
        closedAt = try r.host(UInt64.self, at: 48)
    }
}
