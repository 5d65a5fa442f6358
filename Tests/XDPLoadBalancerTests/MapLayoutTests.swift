import Foundation
import Testing
import XDPLoadBalancer

/// The Swift mirrors of bpf/xdp_lb.h against the object's BTF: same size, and every field
/// encoded at the offset (and in the byte order) the C struct has.
@Suite struct MapLayoutTests {
    static let btf: BTF = {
        guard let btf = try? BPFObjectFile.read(path: LBFixtures.object).btf else { fatalError("xdp_lb.bpf.o has no BTF") }
        return btf
    }()

    /// Byte offsets of `structName`'s members, from BTF.
    static func offsets(_ structName: String) -> [String: Int] {
        guard let id = btf.typeID(named: structName, kind: .structure) else { return [:] }
        var result: [String: Int] = [:]
        for member in btf.members(of: id) { result[member.name] = Int(member.bitOffset / 8) }
        return result
    }

    static func btfSize(_ structName: String) -> Int? {
        btf.typeID(named: structName, kind: .structure).flatMap { btf.size(of: $0) }
    }

    @Test("sizes equal the object's BTF", arguments: [
        (LBConfig.cName, LBConfig.size), (LBServiceKey.cName, LBServiceKey.size), (LBService.cName, LBService.size),
        (LBBackend.cName, LBBackend.size), (LBTuple.cName, LBTuple.size), (LBNextHop.cName, LBNextHop.size),
        (LBFlow.cName, LBFlow.size), (LBReverse.cName, LBReverse.size), (LBCounter.cName, LBCounter.size),
        (LBBackendCounters.cName, LBBackendCounters.size),
    ])
    func sizes(name: String, size: Int) {
        #expect(Self.btfSize(name) == size)
    }

    @Test func configFieldsAtTheirOffsets() throws {
        let o = Self.offsets("xdp_lb_config")
        let config = LBConfig(lbIP: IPv4Address("10.0.0.5")!, portMin: 0x1122, portMax: 0x3344, hashSeed: 0xaabb_ccdd,
                              flags: 1, refreshJiffies: 0x0102_0304)
        let b = config.encoded
        #expect(Array(b[o["lb_ip"]!..<o["lb_ip"]! + 4]) == [10, 0, 0, 5])           // network
        #expect(Array(b[o["port_min"]!..<o["port_min"]! + 2]) == [0x22, 0x11])      // host (LE)
        #expect(Array(b[o["port_max"]!..<o["port_max"]! + 2]) == [0x44, 0x33])
        #expect(Array(b[o["hash_seed"]!..<o["hash_seed"]! + 4]) == [0xdd, 0xcc, 0xbb, 0xaa])
        #expect(b[o["flags"]!] == 1)
        #expect(Array(b[o["refresh_jiffies"]!..<o["refresh_jiffies"]! + 4]) == [4, 3, 2, 1])
        #expect(Array(b[o["pad"]!...]) == [0, 0, 0, 0])
        #expect(try LBConfig(decoding: b) == config)
    }

    @Test func serviceAndBackendFields() throws {
        var o = Self.offsets("xdp_lb_service_key")
        let key = LBServiceKey(vip: IPv4Endpoint("10.0.0.100:80")!, proto: .udp)
        var b = key.encoded
        #expect(Array(b[o["vip"]!..<o["vip"]! + 4]) == [10, 0, 0, 100])
        #expect(Array(b[o["port"]!..<o["port"]! + 2]) == [0, 80])
        #expect(b[o["proto"]!] == 17 && b[o["pad"]!] == 0)
        #expect(try LBServiceKey(decoding: b) == key)

        o = Self.offsets("xdp_lb_service")
        b = LBService(id: 3, flags: 0).encoded
        #expect(b[o["id"]!] == 3 && o["flags"] == 4)

        o = Self.offsets("xdp_lb_backend")
        let backend = LBBackend(endpoint: IPv4Endpoint("10.0.1.3:8080")!, flags: .draining)
        b = backend.encoded
        #expect(Array(b[o["ip"]!..<o["ip"]! + 4]) == [10, 0, 1, 3])
        #expect(Array(b[o["port"]!..<o["port"]! + 2]) == [0x1f, 0x90])
        #expect(Array(b[o["flags"]!..<o["flags"]! + 2]) == [2, 0])
        #expect(try LBBackend(decoding: b) == backend)
        // the service id in flags bits 8-15 (XDP_LB_BACKEND_SERVICE_SHIFT), the state below
        let served = LBBackend(endpoint: IPv4Endpoint("10.0.1.3:8080")!, flags: .active, serviceID: 15)
        #expect(Array(served.encoded[o["flags"]!..<o["flags"]! + 2]) == ByteOrder.host.bytes(of: UInt16(0x0f01)))
        #expect(try LBBackend(decoding: served.encoded) == served)
    }

    @Test func tupleFlowAndReverseFields() throws {
        var o = Self.offsets("xdp_lb_tuple")
        let tuple = LBTuple(source: IPv4Endpoint("10.0.0.4:40000")!, destination: IPv4Endpoint("10.0.0.100:80")!, proto: 6)
        var b = tuple.encoded
        #expect(Array(b[o["saddr"]!..<o["saddr"]! + 4]) == [10, 0, 0, 4])
        #expect(Array(b[o["daddr"]!..<o["daddr"]! + 4]) == [10, 0, 0, 100])
        #expect(Array(b[o["sport"]!..<o["sport"]! + 2]) == [0x9c, 0x40])
        #expect(Array(b[o["dport"]!..<o["dport"]! + 2]) == [0, 80])
        #expect(b[o["proto"]!] == 6 && Array(b[13...]) == [0, 0, 0])
        #expect(try LBTuple(decoding: b) == tuple)

        o = Self.offsets("xdp_lb_flow")
        let hop = LBNextHop(ifindex: 7, destinationMAC: [2, 0, 0, 0, 0, 2], sourceMAC: [2, 0, 0, 0, 0, 5])
        let flow = LBFlow(backendID: 9, lbPort: 20001, flags: LBFlow.closing, lastRefresh: 0x0102_0304_0506_0708, nextHop: hop)
        b = flow.encoded
        #expect(b[o["backend_id"]!] == 9)
        #expect(Array(b[o["lb_port"]!..<o["lb_port"]! + 2]) == [0x4e, 0x21])
        #expect(b[o["flags"]!] == 1)
        #expect(b[o["last_refresh"]!] == 8)
        let hopOffsets = Self.offsets("xdp_lb_nexthop")
        #expect(b[o["nexthop"]! + hopOffsets["ifindex"]!] == 7)
        #expect(Array(b[o["nexthop"]! + hopOffsets["dmac"]!..<o["nexthop"]! + hopOffsets["dmac"]! + 6]) == [2, 0, 0, 0, 0, 2])
        #expect(Array(b[o["nexthop"]! + hopOffsets["smac"]!..<o["nexthop"]! + hopOffsets["smac"]! + 6]) == [2, 0, 0, 0, 0, 5])
        #expect(try LBFlow(decoding: b) == flow)

        o = Self.offsets("xdp_lb_reverse")
        let reverse = LBReverse(client: tuple, backendID: 5, flags: LBReverse.backendFIN, lastRefresh: 77, nextHop: hop, closedAt: 99)
        b = reverse.encoded
        #expect(Array(b[o["client"]!..<o["client"]! + 16]) == tuple.encoded)
        #expect(b[o["backend_id"]!] == 5 && b[o["last_refresh"]!] == 77 && b[o["nexthop"]!] == 7)
        #expect(b[o["flags"]!] == 2 && b[o["closed_at"]!] == 99)
        #expect(!reverse.hasEnded && LBReverse(client: tuple, backendID: 5, flags: 3).hasEnded && LBReverse(client: tuple, backendID: 5, flags: 4).hasEnded)
        #expect(try LBReverse(decoding: b) == reverse)
    }

    @Test func countersAndStatEnum() throws {
        let o = Self.offsets("xdp_lb_backend_counters")
        let counters = LBBackendCounters(to: LBCounter(packets: 1, bytes: 2), from: LBCounter(packets: 3, bytes: 4))
        let b = counters.encoded
        #expect(b[o["to_packets"]!] == 1 && b[o["to_bytes"]!] == 2 && b[o["from_packets"]!] == 3 && b[o["from_bytes"]!] == 4)
        #expect(try LBBackendCounters(decoding: b) == counters)
    }

    /// `enum xdp_lb_stat` and the #defines of bpf/xdp_lb.h (not in BTF: the enum is only used
    /// as map keys), read from the header text.
    @Test func constantsMatchTheHeader() throws {
        let header = try String(contentsOfFile: LBFixtures.root.appendingPathComponent("bpf/xdp_lb.h").path, encoding: .utf8)
        var values: [String: Int] = [:]
        for line in header.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
            if words.count >= 3, words[0] == "#define",
               let v = words[2].hasPrefix("0x") ? Int(words[2].dropFirst(2), radix: 16) : Int(words[2]) {
                values[String(words[1])] = v
            }
            if words.count >= 3, words[0].hasPrefix("XDP_LB_STAT_"), words[1] == "=", let v = Int(words[2]) { values[String(words[0])] = v }
        }
        for stat in LBStat.allCases {
            let name = "XDP_LB_STAT_" + stat.description.uppercased()
            #expect(values[name] == Int(stat.rawValue), "\(name)")
        }
        #expect(values["XDP_LB_STAT_COUNT"] == LBStat.count)
        #expect(values["XDP_LB_MAGLEV_SIZE"] == LBConstants.maglevSize)
        #expect(values["XDP_LB_MAX_SERVICES"] == LBConstants.maxServices)
        #expect(values["XDP_LB_MAX_BACKENDS"] == LBConstants.maxBackends)
        #expect(values["XDP_LB_MAX_FLOWS"] == LBConstants.maxFlows)
        #expect(values["XDP_LB_PORT_PROBES"] == LBConstants.portProbes)
        #expect(values["XDP_LB_DEFAULT_REFRESH_JIFFIES"] == Int(LBConstants.defaultRefreshJiffies))
        #expect(values["XDP_LB_UDP_IDLE_PERIODS"] == LBConstants.udpIdlePeriods)
        #expect(values["XDP_LB_FLOW_CLOSING"] == Int(LBFlow.closing))
        #expect(values["XDP_LB_REVERSE_CLIENT_FIN"] == Int(LBReverse.clientFIN))
        #expect(values["XDP_LB_REVERSE_BACKEND_FIN"] == Int(LBReverse.backendFIN))
        #expect(values["XDP_LB_REVERSE_RESET"] == Int(LBReverse.reset))
        #expect(values["XDP_LB_BACKEND_SERVICE_SHIFT"] == Int(LBBackend.serviceShift))
    }

    @Test func wrongSizesAreTypedErrors() {
        #expect(throws: ParseError.self) { try LBConfig(decoding: [1, 2, 3]) }
        #expect(throws: ParseError.self) { try LBFlow(decoding: [UInt8](repeating: 0, count: 48)) }
        #expect(throws: ParseError.self) { try LBTuple(decoding: []) }
    }
}
