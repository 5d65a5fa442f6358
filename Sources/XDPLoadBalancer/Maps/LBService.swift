/// Key of the `services` map: a VIP, port and protocol.
///
/// Mirrors `struct xdp_lb_service_key` in bpf/xdp_lb.h (8 bytes): `vip` @0 (network),
/// `port` @4 (network), `proto` @6, `pad` @7 (zero).
public struct LBServiceKey: MapCodable, Hashable, CustomStringConvertible {
    /// `sizeof(struct xdp_lb_service_key)`.
    public static let size = 8
    /// The C struct's name.
    public static let cName = "xdp_lb_service_key"

    /// `vip` and `port`: what clients connect to.
    public var vip: IPv4Endpoint
    /// `proto`: `IPPROTO_TCP` or `IPPROTO_UDP`.
    public var proto: UInt8

    /// A service key.
    public init(vip: IPv4Endpoint, proto: LBProtocol) {
        self.vip = vip
        self.proto = proto.rawValue
    }

    /// `ADDR:PORT/tcp`.
    public var description: String {
        "\(vip)/\(LBProtocol(rawValue: proto)?.description ?? "proto \(proto)")"
    }

    /// The 8 key bytes.
    public var encoded: [UInt8] {
        var w = MapBytesWriter(size: Self.size)
        w.network(vip.address.value, at: 0)
        w.network(vip.port, at: 4)
        w.host(proto, at: 6)
        return w.bytes
    }

    /// Decodes `struct xdp_lb_service_key`.
    public init(decoding bytes: [UInt8]) throws(ParseError) {
        let r = try MapBytesReader(bytes, size: Self.size, structName: Self.cName)
        vip = IPv4Endpoint(IPv4Address(try r.network(UInt32.self, at: 0)), try r.network(UInt16.self, at: 4))
        proto = try r.host(UInt8.self, at: 6)
    }
}

/// Value of the `services` map.
///
/// Mirrors `struct xdp_lb_service` in bpf/xdp_lb.h (8 bytes): `id` @0, `flags` @4 (host).
public struct LBService: MapCodable, Equatable {
    /// `sizeof(struct xdp_lb_service)`.
    public static let size = 8
    /// The C struct's name.
    public static let cName = "xdp_lb_service"

    /// `id`: 0 ..< `XDP_LB_MAX_SERVICES`, selects the service's Maglev table.
    public var id: UInt32
    /// `flags`: reserved, 0.
    public var flags: UInt32

    /// A service value.
    public init(id: UInt32, flags: UInt32 = 0) {
        self.id = id
        self.flags = flags
    }

    /// The 8 value bytes.
    public var encoded: [UInt8] {
        var w = MapBytesWriter(size: Self.size)
        w.host(id, at: 0)
        w.host(flags, at: 4)
        return w.bytes
    }

    /// Decodes `struct xdp_lb_service`.
    public init(decoding bytes: [UInt8]) throws(ParseError) {
        let r = try MapBytesReader(bytes, size: Self.size, structName: Self.cName)
        id = try r.host(UInt32.self, at: 0)
        flags = try r.host(UInt32.self, at: 4)
    }
}
