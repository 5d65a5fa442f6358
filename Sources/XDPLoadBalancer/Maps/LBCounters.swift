/// Keys of the `stats` map. Mirrors `enum xdp_lb_stat` in bpf/xdp_lb.h: 0-4 are the verdicts
/// (`enum xdp_action`), the rest reasons and events.
public enum LBStat: UInt32, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `XDP_LB_STAT_ABORTED`: verdict XDP_ABORTED.
    case aborted = 0
    /// `XDP_LB_STAT_DROP`: verdict XDP_DROP.
    case drop = 1
    /// `XDP_LB_STAT_PASS`: verdict XDP_PASS.
    case pass = 2
    /// `XDP_LB_STAT_TX`: verdict XDP_TX.
    case tx = 3
    /// `XDP_LB_STAT_REDIRECT`: verdict XDP_REDIRECT.
    case redirect = 4
    /// `XDP_LB_STAT_NOT_IPV4`: pass, EtherType is not IPv4.
    case notIPv4 = 5
    /// `XDP_LB_STAT_MALFORMED`: pass, truncated headers.
    case malformed = 6
    /// `XDP_LB_STAT_FRAGMENT`: pass, IP fragment.
    case fragment = 7
    /// `XDP_LB_STAT_IP_OPTIONS`: pass, IP options.
    case ipOptions = 8
    /// `XDP_LB_STAT_NOT_TCP_UDP`: pass, ICMP and other protocols.
    case notTCPUDP = 9
    /// `XDP_LB_STAT_NOT_CONFIGURED`: pass, config not set.
    case notConfigured = 10
    /// `XDP_LB_STAT_NO_SERVICE`: pass, not for a service.
    case noService = 11
    /// `XDP_LB_STAT_NO_BACKEND`: drop, no active backend in the slot.
    case noBackend = 12
    /// `XDP_LB_STAT_PORT_EXHAUSTED`: drop, no free source port.
    case portExhausted = 13
    /// `XDP_LB_STAT_FIB_NO_NEIGH`: pass (rewritten), no neighbour entry.
    case fibNoNeighbour = 14
    /// `XDP_LB_STAT_FIB_FAIL`: pass (rewritten), other bpf_fib_lookup failure.
    case fibFail = 15
    /// `XDP_LB_STAT_FLOW_NEW`: a new flow (Maglev choice).
    case flowNew = 16
    /// `XDP_LB_STAT_FLOW_HIT`: a packet followed its flow.
    case flowHit = 17
    /// `XDP_LB_STAT_FLOW_RESELECT`: a flow re-selected its backend.
    case flowReselect = 18
    /// `XDP_LB_STAT_REPLY`: a backend reply translated back.
    case reply = 19
    /// `XDP_LB_STAT_PORT_RECYCLED`: a new flow took over the port of an ended connection.
    case portRecycled = 20

    /// `XDP_LB_STAT_COUNT`: the number of keys.
    public static let count = 21

    /// True for the five verdicts (every packet is counted in exactly one).
    public var isVerdict: Bool { rawValue <= 4 }

    /// The header's name in lower case without the prefix: `not_tcp_udp`, `fib_no_neigh`.
    public var description: String {
        ["aborted", "drop", "pass", "tx", "redirect", "not_ipv4", "malformed", "fragment",
         "ip_options", "not_tcp_udp", "not_configured", "no_service", "no_backend",
         "port_exhausted", "fib_no_neigh", "fib_fail", "flow_new", "flow_hit",
         "flow_reselect", "reply", "port_recycled"][Int(rawValue)]
    }
}

/// Value of the `stats` map (per CPU). Mirrors `struct xdp_lb_counter` in bpf/xdp_lb.h
/// (16 bytes): `packets` @0, `bytes` @8 (host).
public struct LBCounter: MapCodable, Hashable {
    /// `sizeof(struct xdp_lb_counter)`.
    public static let size = 16
    /// The C struct's name.
    public static let cName = "xdp_lb_counter"

    /// `packets`.
    public var packets: UInt64
    /// `bytes`: frame bytes including the Ethernet header.
    public var bytes: UInt64

    /// A counter.
    public init(packets: UInt64 = 0, bytes: UInt64 = 0) {
        self.packets = packets
        self.bytes = bytes
    }

    /// The 16 bytes.
    public var encoded: [UInt8] {
        var w = MapBytesWriter(size: Self.size)
        w.host(packets, at: 0)
        w.host(bytes, at: 8)
        return w.bytes
    }

    /// Decodes `struct xdp_lb_counter`.
    public init(decoding bytes: [UInt8]) throws(ParseError) {
        let r = try MapBytesReader(bytes, size: Self.size, structName: Self.cName)
        packets = try r.host(UInt64.self, at: 0)
        self.bytes = try r.host(UInt64.self, at: 8)
    }

    /// The sum of two counters (per-CPU values add up).
    public static func + (a: LBCounter, b: LBCounter) -> LBCounter {
        LBCounter(packets: a.packets &+ b.packets, bytes: a.bytes &+ b.bytes)
    }
}

/// Value of the `backend_stats` map (per CPU). Mirrors `struct xdp_lb_backend_counters` in
/// bpf/xdp_lb.h (32 bytes): `to_packets` @0, `to_bytes` @8, `from_packets` @16,
/// `from_bytes` @24 (host).
public struct LBBackendCounters: MapCodable, Hashable {
    /// `sizeof(struct xdp_lb_backend_counters)`.
    public static let size = 32
    /// The C struct's name.
    public static let cName = "xdp_lb_backend_counters"

    /// `to_packets` and `to_bytes`: client packets sent to the backend.
    public var to: LBCounter
    /// `from_packets` and `from_bytes`: replies sent back to clients.
    public var from: LBCounter

    /// Counters.
    public init(to: LBCounter = LBCounter(), from: LBCounter = LBCounter()) {
        self.to = to
        self.from = from
    }

    /// The 32 bytes.
    public var encoded: [UInt8] { to.encoded + from.encoded }

    /// Decodes `struct xdp_lb_backend_counters`.
    public init(decoding bytes: [UInt8]) throws(ParseError) {
        let r = try MapBytesReader(bytes, size: Self.size, structName: Self.cName)
        to = try LBCounter(decoding: try r.raw(at: 0, length: 16))
        from = try LBCounter(decoding: try r.raw(at: 16, length: 16))
    }

    /// The sum of two counter sets.
    public static func + (a: LBBackendCounters, b: LBBackendCounters) -> LBBackendCounters {
        LBBackendCounters(to: a.to + b.to, from: a.from + b.from)
    }
}
