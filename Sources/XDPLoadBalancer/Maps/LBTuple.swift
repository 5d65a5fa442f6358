/// A packet's IPv4 5-tuple as it appears in its headers: the key of `flows` (the client's
/// packet) and of `reverse` (the backend's reply).
///
/// Mirrors `struct xdp_lb_tuple` in bpf/xdp_lb.h (16 bytes): `saddr` @0, `daddr` @4,
/// `sport` @8, `dport` @10 (all network), `proto` @12, `pad[3]` @13 (zero).
public struct LBTuple: MapCodable, Hashable, CustomStringConvertible {
    /// `sizeof(struct xdp_lb_tuple)`.
    public static let size = 16
    /// The C struct's name.
    public static let cName = "xdp_lb_tuple"

    /// `saddr`:`sport`.
    public var source: IPv4Endpoint
    /// `daddr`:`dport`.
    public var destination: IPv4Endpoint
    /// `proto`.
    public var proto: UInt8

    /// A tuple.
    public init(source: IPv4Endpoint, destination: IPv4Endpoint, proto: UInt8) {
        self.source = source
        self.destination = destination
        self.proto = proto
    }

    /// `SRC -> DST/proto`.
    public var description: String {
        "\(source) -> \(destination)/\(LBProtocol(rawValue: proto)?.description ?? "\(proto)")"
    }

    /// The 16 key bytes.
    public var encoded: [UInt8] {
        var w = MapBytesWriter(size: Self.size)
        w.network(source.address.value, at: 0)
        w.network(destination.address.value, at: 4)
        w.network(source.port, at: 8)
        w.network(destination.port, at: 10)
        w.host(proto, at: 12)
        return w.bytes
    }

    /// Decodes `struct xdp_lb_tuple`.
    public init(decoding bytes: [UInt8]) throws(ParseError) {
        let r = try MapBytesReader(bytes, size: Self.size, structName: Self.cName)
        source = IPv4Endpoint(IPv4Address(try r.network(UInt32.self, at: 0)), try r.network(UInt16.self, at: 8))
        destination = IPv4Endpoint(IPv4Address(try r.network(UInt32.self, at: 4)), try r.network(UInt16.self, at: 10))
        proto = try r.host(UInt8.self, at: 12)
    }
}

/// A cached `bpf_fib_lookup` result: where a flow's packets go.
///
/// Mirrors `struct xdp_lb_nexthop` in bpf/xdp_lb.h (16 bytes): `ifindex` @0 (host),
/// `dmac[6]` @4, `smac[6]` @10.
public struct LBNextHop: MapCodable, Hashable {
    /// `sizeof(struct xdp_lb_nexthop)`.
    public static let size = 16
    /// The C struct's name.
    public static let cName = "xdp_lb_nexthop"

    /// `ifindex`: egress interface; 0 = not known yet.
    public var ifindex: UInt32
    /// `dmac`: the next hop's MAC.
    public var destinationMAC: [UInt8]
    /// `smac`: the egress interface's MAC.
    public var sourceMAC: [UInt8]

    /// A next hop (MACs are padded or cut to 6 bytes when encoded).
    public init(ifindex: UInt32 = 0, destinationMAC: [UInt8] = [0, 0, 0, 0, 0, 0],
                sourceMAC: [UInt8] = [0, 0, 0, 0, 0, 0]) {
        self.ifindex = ifindex
        self.destinationMAC = destinationMAC
        self.sourceMAC = sourceMAC
    }

    /// The 16 bytes.
    public var encoded: [UInt8] {
        var w = MapBytesWriter(size: Self.size)
        w.host(ifindex, at: 0)
        w.raw(Array((destinationMAC + [0, 0, 0, 0, 0, 0]).prefix(6)), at: 4)
        w.raw(Array((sourceMAC + [0, 0, 0, 0, 0, 0]).prefix(6)), at: 10)
        return w.bytes
    }

    /// Decodes `struct xdp_lb_nexthop`.
    public init(decoding bytes: [UInt8]) throws(ParseError) {
        let r = try MapBytesReader(bytes, size: Self.size, structName: Self.cName)
        ifindex = try r.host(UInt32.self, at: 0)
        destinationMAC = try r.raw(at: 4, length: 6)
        sourceMAC = try r.raw(at: 10, length: 6)
    }
}
