import XDPLoadBalancer

/// Frames for BPF_PROG_TEST_RUN, built and checked independently of the program: the
/// Internet checksum (RFC 1071) computed here from scratch over the whole header.
enum TestPackets {
    static let tcp: UInt8 = 6, udp: UInt8 = 17, icmp: UInt8 = 1
    static let fin: UInt8 = 0x01, syn: UInt8 = 0x02, rst: UInt8 = 0x04, ack: UInt8 = 0x10

    /// ~(one's-complement sum of 16-bit big-endian words), odd lengths padded with a zero.
    static func checksum(_ data: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < data.count {
            sum += UInt32(data[index]) << 8 | UInt32(data[index + 1])
            index += 2
        }
        if index < data.count { sum += UInt32(data[index]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xffff) + (sum >> 16) }
        return ~UInt16(sum)
    }

    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xff)] }
    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
    static func word(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) << 8 | UInt16(b[at + 1]) }

    static func pseudoHeader(_ src: IPv4Address, _ dst: IPv4Address, _ proto: UInt8, _ length: Int) -> [UInt8] {
        src.bytes + dst.bytes + [0, proto] + be16(UInt16(length))
    }

    /// Ethernet + IPv4 (no options) + TCP or UDP (or raw `payload` for other protocols).
    static func frame(proto: UInt8, from src: IPv4Endpoint, to dst: IPv4Endpoint, flags: UInt8 = ack,
                      payload: [UInt8] = [], udpChecksum: Bool = true, fragment: UInt16 = 0,
                      dmac: [UInt8] = [2, 0, 0, 0, 0, 5], smac: [UInt8] = [2, 0, 0, 0, 0, 4]) -> [UInt8] {
        var l4: [UInt8]
        switch proto {
        case tcp:
            l4 = be16(src.port) + be16(dst.port) + be32(1000) + be32(2000) + [5 << 4, flags] + be16(65535) + [0, 0, 0, 0] + payload
            let c = checksum(pseudoHeader(src.address, dst.address, tcp, l4.count) + l4)
            l4[16] = UInt8(c >> 8); l4[17] = UInt8(c & 0xff)
        case udp:
            l4 = be16(src.port) + be16(dst.port) + be16(UInt16(8 + payload.count)) + [0, 0] + payload
            if udpChecksum {
                var c = checksum(pseudoHeader(src.address, dst.address, udp, l4.count) + l4)
                if c == 0 { c = 0xffff }
                l4[6] = UInt8(c >> 8); l4[7] = UInt8(c & 0xff)
            }
        default:
            l4 = payload
        }
        var ip: [UInt8] = [0x45, 0] + be16(UInt16(20 + l4.count)) + be16(0x1234) + be16(fragment) + [64, proto, 0, 0]
            + src.address.bytes + dst.address.bytes
        let c = checksum(ip)
        ip[10] = UInt8(c >> 8); ip[11] = UInt8(c & 0xff)
        return dmac + smac + [0x08, 0x00] + ip + l4
    }

    /// The fields of an output frame and whether its checksums equal a full recomputation.
    struct Decoded: Equatable {
        var dmac: [UInt8], smac: [UInt8]
        var source: IPv4Endpoint, destination: IPv4Endpoint
        var proto: UInt8, ttl: UInt8
        var ipChecksumExact: Bool
        var l4ChecksumExact: Bool
        var l4Checksum: UInt16
        var payload: [UInt8]
    }

    static func decode(_ b: [UInt8]) -> Decoded? {
        guard b.count >= 34 + 8 else { return nil }
        let ip = Array(b[14..<34])
        let total = Int(word(ip, 2))
        guard b.count >= 14 + total else { return nil }
        let l4 = Array(b[34..<14 + total])
        let proto = ip[9]
        let src = IPv4Address(UInt32(word(ip, 12)) << 16 | UInt32(word(ip, 14)))
        let dst = IPv4Address(UInt32(word(ip, 16)) << 16 | UInt32(word(ip, 18)))
        var zeroIP = ip; zeroIP[10] = 0; zeroIP[11] = 0
        let checksumAt = proto == tcp ? 16 : 6
        let got = word(l4, checksumAt)
        var zeroL4 = l4; zeroL4[checksumAt] = 0; zeroL4[checksumAt + 1] = 0
        var want = checksum(pseudoHeader(src, dst, proto, l4.count) + zeroL4)
        if proto == udp && want == 0 { want = 0xffff }
        let exact = proto == udp && got == 0 ? true : got == want
        return Decoded(dmac: Array(b[0..<6]), smac: Array(b[6..<12]),
                       source: IPv4Endpoint(src, word(l4, 0)), destination: IPv4Endpoint(dst, word(l4, 2)),
                       proto: proto, ttl: ip[8], ipChecksumExact: word(ip, 10) == checksum(zeroIP),
                       l4ChecksumExact: exact, l4Checksum: got, payload: Array(l4[(proto == tcp ? 20 : 8)...]))
    }
}

