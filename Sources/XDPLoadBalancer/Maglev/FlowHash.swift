/// The flow hash of xdp_lb.bpf.c, so the control plane (and tests) can predict which Maglev
/// slot and which first source port a new flow gets.
///
/// Mirrors `xdp_lb_flow_hash` and `xdp_lb_mix` in bpf/xdp_lb.h: the tuple's fields are taken
/// as the CPU loads them from memory (network bytes read in host order), mixed with
/// MurmurHash3's 32-bit finaliser.
public enum FlowHash {
    /// `xdp_lb_mix`: MurmurHash3's fmix32.
    public static func mix(_ value: UInt32) -> UInt32 {
        var h = value
        h ^= h >> 16
        h = h &* 0x85eb_ca6b
        h ^= h >> 13
        h = h &* 0xc2b2_ae35
        h ^= h >> 16
        return h
    }

    /// `xdp_lb_flow_hash(tuple, seed)`.
    public static func hash(_ tuple: LBTuple, seed: UInt32) -> UInt32 {
        let bytes = tuple.encoded
        let reader = ByteReader(bytes, order: .host, context: LBTuple.cName)
        // The key is always 16 bytes, so these reads cannot fail.
        let saddr = (try? reader.u32(at: 0)) ?? 0
        let daddr = (try? reader.u32(at: 4)) ?? 0
        let sport = UInt32((try? reader.u16(at: 8)) ?? 0)
        let dport = UInt32((try? reader.u16(at: 10)) ?? 0)
        var h = seed
        h = mix(h ^ saddr)
        h = mix(h ^ daddr)
        h = mix(h ^ (sport << 16 | dport))
        h = mix(h ^ UInt32(tuple.proto))
        return h
    }

    /// The Maglev slot (0 ..< M) of a new flow: `hash % XDP_LB_MAGLEV_SIZE`.
    public static func slot(_ tuple: LBTuple, seed: UInt32) -> Int {
        Int(hash(tuple, seed: seed) % UInt32(LBConstants.maglevSize))
    }

    /// The first source port a new flow tries:
    /// `port_min + mix(h ^ XDP_LB_PORT_SALT) % (port_max - port_min + 1)`.
    public static func firstPort(_ tuple: LBTuple, config: LBConfig) -> UInt16 {
        let h = hash(tuple, seed: config.hashSeed)
        let span = UInt32(config.portMax) - UInt32(config.portMin) + 1
        return UInt16(UInt32(config.portMin) + mix(h ^ LBConstants.portSalt) % span)
    }
}
