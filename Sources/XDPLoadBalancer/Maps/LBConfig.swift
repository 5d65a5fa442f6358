/// The load balancer's own settings, value of `config[0]`.
///
/// Mirrors `struct xdp_lb_config` in bpf/xdp_lb.h (24 bytes): `lb_ip` @0 (network),
/// `port_min` @4, `port_max` @6, `hash_seed` @8, `flags` @12, `refresh_jiffies` @16, `pad` @20
/// (all host order).
public struct LBConfig: MapCodable, Equatable {
    /// `sizeof(struct xdp_lb_config)`.
    public static let size = 24
    /// The C struct's name.
    public static let cName = "xdp_lb_config"
    /// `XDP_LB_CONFIG_FIB_EVERY_PACKET`: call bpf_fib_lookup for every packet.
    public static let fibEveryPacket: UInt32 = 0x1

    /// `lb_ip`: the LB's address, source of packets to backends, destination of their replies.
    public var lbIP: IPv4Address
    /// `port_min`: first source port the LB allocates towards backends.
    public var portMin: UInt16
    /// `port_max`: last source port (inclusive).
    public var portMax: UInt16
    /// `hash_seed`: seed of the flow hash.
    public var hashSeed: UInt32
    /// `flags`: `XDP_LB_CONFIG_*`.
    public var flags: UInt32
    /// `refresh_jiffies`: next-hop refresh period in kernel ticks (0 = the default 250).
    public var refreshJiffies: UInt32

    /// A config; the program balances only once `lbIP != 0` and `0 < portMin <= portMax`.
    public init(lbIP: IPv4Address, portMin: UInt16, portMax: UInt16, hashSeed: UInt32,
                flags: UInt32 = 0, refreshJiffies: UInt32 = 0) {
        self.lbIP = lbIP
        self.portMin = portMin
        self.portMax = portMax
        self.hashSeed = hashSeed
        self.flags = flags
        self.refreshJiffies = refreshJiffies
    }

    /// True when the program will balance with this config (otherwise it passes everything).
    public var isComplete: Bool { lbIP.value != 0 && portMin > 0 && portMin <= portMax }

    /// The 24 bytes of `struct xdp_lb_config`.
    public var encoded: [UInt8] {
        var w = MapBytesWriter(size: Self.size)
        w.network(lbIP.value, at: 0)
        w.host(portMin, at: 4)
        w.host(portMax, at: 6)
        w.host(hashSeed, at: 8)
        w.host(flags, at: 12)
        w.host(refreshJiffies, at: 16)
        return w.bytes
    }

    /// Decodes `struct xdp_lb_config`.
    public init(decoding bytes: [UInt8]) throws(ParseError) {
        let r = try MapBytesReader(bytes, size: Self.size, structName: Self.cName)
        lbIP = IPv4Address(try r.network(UInt32.self, at: 0))
        portMin = try r.host(UInt16.self, at: 4)
        portMax = try r.host(UInt16.self, at: 6)
        hashSeed = try r.host(UInt32.self, at: 8)
        flags = try r.host(UInt32.self, at: 12)
        refreshJiffies = try r.host(UInt32.self, at: 16)
    }
}
