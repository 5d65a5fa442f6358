import Foundation
import Testing
import XDPLoadBalancer

extension LBKernelSuites {
    /// xdp_lb under BPF_PROG_TEST_RUN with maps filled through the typed view; every output
    /// frame's IP and TCP/UDP checksums are checked against a recomputation done here.
    @Suite(.privileged) struct PacketTests {
        typealias P = TestPackets

        static func withLab(_ body: (PacketLab) throws -> Void) throws {
            let lab = try PacketLab()
            defer { lab.close() }
            try body(lab)
        }

        static func statDelta(_ before: [LBStat: LBCounter], _ after: [LBStat: LBCounter]) -> [LBStat: UInt64] {
            var delta: [LBStat: UInt64] = [:]
            for (stat, counter) in after where counter.packets != before[stat]?.packets {
                delta[stat] = counter.packets - (before[stat]?.packets ?? 0)
            }
            return delta
        }

        @Test func unconfiguredPassesUntouched() throws {
            try Self.withLab { lab in
                let frame = P.frame(proto: P.tcp, from: IPv4Endpoint("10.0.0.4:40000")!, to: IPv4Endpoint(PacketLab.vip, 80), flags: P.syn)
                let before = try lab.maps.readStats()
                let (verdict, output) = try lab.run(frame)
                #expect(verdict == XDPAction.pass && output == frame)
                #expect(Self.statDelta(before, try lab.maps.readStats()) == [.pass: 1, .notConfigured: 1])
            }
        }

        @Test func tcpSynDataReplyAndFin() throws {
            try Self.withLab { lab in
                let table = try lab.configure()
                var seen: Set<UInt32> = []
                for i in 0..<24 {
                    let client = IPv4Endpoint(IPv4Address("10.0.0.4")!, UInt16(40000 + i))
                    let vip = IPv4Endpoint(PacketLab.vip, 80)
                    let tuple = LBTuple(source: client, destination: vip, proto: P.tcp)
                    let id = table[FlowHash.slot(tuple, seed: PacketLab.config.hashSeed)]
                    seen.insert(id)
                    let (backend, backendMAC, dev) = PacketLab.backends[id]!
                    let expectedVerdict = dev == "lb0" ? XDPAction.tx : XDPAction.redirect
                    let egressMAC = dev == "lb0" ? PacketLab.lb0MAC : PacketLab.lb1MAC

                    // SYN: Maglev's backend, the hashed first port, FIB MACs, exact checksums
                    let before = try lab.maps.readStats()
                    let syn = P.frame(proto: P.tcp, from: client, to: vip, flags: P.syn, payload: Array("hello".utf8))
                    let (v1, o1) = try lab.run(syn)
                    let out = try #require(P.decode(o1))
                    #expect(v1 == expectedVerdict)
                    #expect(out.source == IPv4Endpoint(PacketLab.lbIP, FlowHash.firstPort(tuple, config: PacketLab.config)))
                    #expect(out.destination == backend)
                    #expect(out.ipChecksumExact && out.l4ChecksumExact, "checksums of \(tuple)")
                    #expect(out.dmac == backendMAC && out.smac == egressMAC && out.ttl == 64 && out.payload == Array("hello".utf8))
                    #expect(Self.statDelta(before, try lab.maps.readStats()) == [.flowNew: 1, expectedVerdict == XDPAction.tx ? .tx : .redirect: 1])
                    let flow = try #require(try lab.maps.readFlow(tuple))
                    #expect(flow.backendID == id && flow.lbPort == out.source.port && !flow.isClosing)
                    let reverseKey = LBTuple(source: backend, destination: out.source, proto: P.tcp)
                    let reverse = try #require(try lab.maps.readReverse(reverseKey))
                    #expect(reverse.client == tuple && reverse.backendID == id)

                    // data: the same backend and port
                    let data = P.frame(proto: P.tcp, from: client, to: vip, flags: P.ack, payload: [UInt8](repeating: UInt8(i), count: i))
                    let (v2, o2) = try lab.run(data)
                    let out2 = try #require(P.decode(o2))
                    #expect(v2 == expectedVerdict && out2.source == out.source && out2.destination == backend)
                    #expect(out2.ipChecksumExact && out2.l4ChecksumExact)

                    // the backend's reply goes to the client from VIP:80
                    let reply = P.frame(proto: P.tcp, from: backend, to: out.source, flags: P.syn | P.ack, payload: Array("world".utf8),
                                        dmac: egressMAC, smac: backendMAC)
                    let (v3, o3) = try lab.run(reply, on: dev)
                    let back = try #require(P.decode(o3))
                    #expect(back.source == vip && back.destination == client)
                    #expect(back.ipChecksumExact && back.l4ChecksumExact)
                    #expect(back.dmac == PacketLab.clientMAC && back.smac == PacketLab.lb0MAC)
                    #expect(v3 == (dev == "lb0" ? XDPAction.tx : XDPAction.redirect))

                    // FIN: forwarded, the flow is marked closing
                    let (v4, o4) = try lab.run(P.frame(proto: P.tcp, from: client, to: vip, flags: P.fin | P.ack))
                    #expect(v4 == expectedVerdict && P.decode(o4)?.l4ChecksumExact == true)
                    #expect(try lab.maps.readFlow(tuple)?.isClosing == true)

                    let counters = try lab.maps.readBackendCounters(id: id)
                    #expect(counters.to.packets >= 3 && counters.from.packets >= 1)
                }
                #expect(seen.count >= 2, "the 24 clients reached several backends: \(seen)")
                let stats = try lab.maps.readStats()
                #expect(stats[.flowNew]?.packets == 24 && stats[.reply]?.packets == 24 && stats[.aborted]?.packets == 0)
            }
        }

        @Test(arguments: [true, false])
        func udpWithAndWithoutChecksum(withChecksum: Bool) throws {
            try Self.withLab { lab in
                _ = try lab.configure()
                let client = IPv4Endpoint("10.0.0.4:5353")!, vip = IPv4Endpoint(PacketLab.vip, 53)
                let (verdict, output) = try lab.run(P.frame(proto: P.udp, from: client, to: vip, payload: Array("query".utf8), udpChecksum: withChecksum))
                let out = try #require(P.decode(output))
                #expect(verdict == XDPAction.tx && out.destination == PacketLab.backends[1]!.0 && out.source.address == PacketLab.lbIP)
                #expect(out.ipChecksumExact && out.l4ChecksumExact && (out.l4Checksum == 0) == !withChecksum)
                let reply = P.frame(proto: P.udp, from: PacketLab.backends[1]!.0, to: out.source, payload: Array("answer".utf8),
                                    udpChecksum: withChecksum, smac: PacketLab.backends[1]!.1)
                let back = try #require(P.decode(try lab.run(reply).output))
                #expect(back.source == vip && back.destination == client && back.ipChecksumExact && back.l4ChecksumExact)
            }
        }

        @Test func nonServiceTrafficPasses() throws {
            try Self.withLab { lab in
                _ = try lab.configure()
                let client = IPv4Endpoint("10.0.0.4:40000")!
                var arp = P.frame(proto: P.tcp, from: client, to: IPv4Endpoint(PacketLab.vip, 80))
                arp[12] = 0x08; arp[13] = 0x06
                let cases: [(LBStat, [UInt8])] = [
                    (.noService, P.frame(proto: P.tcp, from: client, to: IPv4Endpoint(PacketLab.vip, 81))),
                    (.noService, P.frame(proto: P.udp, from: client, to: IPv4Endpoint(PacketLab.vip, 80))),
                    (.noService, P.frame(proto: P.tcp, from: client, to: IPv4Endpoint("10.0.0.101:80")!)),
                    (.fragment, P.frame(proto: P.udp, from: client, to: IPv4Endpoint(PacketLab.vip, 53), fragment: 0x2000)),
                    (.fragment, P.frame(proto: P.udp, from: client, to: IPv4Endpoint(PacketLab.vip, 53), fragment: 0x0010)),
                    (.notTCPUDP, P.frame(proto: P.icmp, from: client, to: IPv4Endpoint(PacketLab.vip, 1), payload: [8, 0, 0xf7, 0xff, 0, 0, 0, 0])),
                    (.notIPv4, arp),
                    (.malformed, Array(P.frame(proto: P.tcp, from: client, to: IPv4Endpoint(PacketLab.vip, 80)).prefix(40))),
                ]
                for (reason, frame) in cases {
                    let before = try lab.maps.readStats()
                    let (verdict, output) = try lab.run(frame)
                    #expect(verdict == XDPAction.pass && output == frame, "\(reason)")
                    #expect(Self.statDelta(before, try lab.maps.readStats()) == [.pass: 1, reason: 1], "\(reason)")
                }
            }
        }

        /// One source port (port_min = port_max) and a refresh period of one tick: a second
        /// flow finds the port taken and is dropped, until the first flow's connection ends
        /// (client FIN, backend FIN, or a RST) and a tick passes; then the port is recycled.
        @Test func portsOfEndedConnectionsAreRecycled() throws {
            try Self.withLab { lab in
                _ = try lab.configure(ids: [1])
                try lab.useOnePortAndOneTickRefresh()
                let balancer = LoadBalancer(interface: "lb0", pinDirectory: "/nonexistent", program: lab.program, maps: lab.maps)
                let vip = IPv4Endpoint(PacketLab.vip, 80)
                let (backend, backendMAC, _) = PacketLab.backends[1]!
                let lbPort = IPv4Endpoint(PacketLab.lbIP, 20000)
                let reverseKey = LBTuple(source: backend, destination: lbPort, proto: P.tcp)
                let a = IPv4Endpoint("10.0.0.4:40001")!, b = IPv4Endpoint("10.0.0.4:40002")!, c = IPv4Endpoint("10.0.0.4:40003")!
                let tupleA = LBTuple(source: a, destination: vip, proto: P.tcp), tupleB = LBTuple(source: b, destination: vip, proto: P.tcp)
                let tick = 0.05  // at least one jiffy with any CONFIG_HZ >= 100

                // A takes the only port; B finds it taken.
                let outA = try #require(P.decode(try lab.run(P.frame(proto: P.tcp, from: a, to: vip, flags: P.syn)).output))
                #expect(outA.source == lbPort && outA.destination == backend)
                var before = try lab.maps.readStats()
                #expect(try lab.run(P.frame(proto: P.tcp, from: b, to: vip, flags: P.syn)).verdict == XDPAction.drop)
                #expect(Self.statDelta(before, try lab.maps.readStats()) == [.portExhausted: 1, .drop: 1])

                // Half closed is not ended: the client's FIN alone keeps the port.
                _ = try lab.run(P.frame(proto: P.tcp, from: a, to: vip, flags: P.fin | P.ack))
                #expect(try lab.maps.readReverse(reverseKey)?.flags == LBReverse.clientFIN)
                Thread.sleep(forTimeInterval: tick)
                #expect(try lab.run(P.frame(proto: P.tcp, from: b, to: vip, flags: P.syn)).verdict == XDPAction.drop)
                #expect(try balancer.flowStates().first { $0.tuple == tupleA }?.isOpen == true)

                // The backend's FIN ends it; a tick later B recycles the port.
                let finBack = P.frame(proto: P.tcp, from: backend, to: lbPort, flags: P.fin | P.ack, dmac: PacketLab.lb0MAC, smac: backendMAC)
                let back = try #require(P.decode(try lab.run(finBack).output))
                #expect(back.destination == a && back.source == vip && back.l4ChecksumExact)
                let ended = try #require(try lab.maps.readReverse(reverseKey))
                #expect(ended.hasEnded && ended.closedAt != 0)
                #expect(try balancer.flowStates().first { $0.tuple == tupleA }?.isOpen == false)
                Thread.sleep(forTimeInterval: tick)
                before = try lab.maps.readStats()
                let outB = try #require(P.decode(try lab.run(P.frame(proto: P.tcp, from: b, to: vip, flags: P.syn)).output))
                #expect(outB.source == lbPort && outB.destination == backend && outB.l4ChecksumExact)
                #expect(Self.statDelta(before, try lab.maps.readStats())[.portRecycled] == 1)
                let recycled = try #require(try lab.maps.readReverse(reverseKey))
                #expect(recycled.client == tupleB && recycled.flags == 0 && !recycled.hasEnded)
                // B's reply reaches B, not A.
                let replyB = P.frame(proto: P.tcp, from: backend, to: lbPort, flags: P.syn | P.ack, dmac: PacketLab.lb0MAC, smac: backendMAC)
                #expect(P.decode(try lab.run(replyB).output)?.destination == b)
                let states = try balancer.flowStates()
                #expect(states.first { $0.tuple == tupleB }?.isOpen == true && states.first { $0.tuple == tupleA }?.isOpen == false)

                // A late packet of A cannot take the port back while B is open.
                Thread.sleep(forTimeInterval: tick)
                #expect(try lab.run(P.frame(proto: P.tcp, from: a, to: vip, flags: P.ack)).verdict == XDPAction.drop)
                #expect(try lab.maps.readReverse(reverseKey)?.client == tupleB)

                // A RST from the backend ends B at once; C recycles the port a tick later.
                _ = try lab.run(P.frame(proto: P.tcp, from: backend, to: lbPort, flags: P.rst, dmac: PacketLab.lb0MAC, smac: backendMAC))
                #expect(try lab.maps.readReverse(reverseKey)?.flags == LBReverse.reset)
                Thread.sleep(forTimeInterval: tick)
                let outC = try #require(P.decode(try lab.run(P.frame(proto: P.tcp, from: c, to: vip, flags: P.syn)).output))
                #expect(outC.source == lbPort)
                #expect(try lab.maps.readReverse(reverseKey)?.client == LBTuple(source: c, destination: vip, proto: P.tcp))
            }
        }

        /// UDP has no FIN: with one source port and a one-tick refresh period, a second UDP
        /// flow gets the port only after the first was idle for XDP_LB_UDP_IDLE_PERIODS
        /// ticks; a flow that keeps sending keeps its port.
        @Test func idleUDPPortsAreRecycled() throws {
            try Self.withLab { lab in
                _ = try lab.configure()
                try lab.useOnePortAndOneTickRefresh()
                let vip = IPv4Endpoint(PacketLab.vip, 53)
                let backend = PacketLab.backends[1]!.0
                let reverseKey = LBTuple(source: backend, destination: IPv4Endpoint(PacketLab.lbIP, 20000), proto: P.udp)
                let a = IPv4Endpoint("10.0.0.4:5001")!, b = IPv4Endpoint("10.0.0.4:5002")!, c = IPv4Endpoint("10.0.0.4:5003")!
                func query(_ from: IPv4Endpoint) throws -> UInt32 {
                    try lab.run(P.frame(proto: P.udp, from: from, to: vip, payload: Array("q".utf8))).verdict
                }
                // Idle long enough with any CONFIG_HZ >= 100 (30 ticks <= 0.3 s).
                let idle = 0.1 + Double(LBConstants.udpIdlePeriods) / 100

                #expect(try query(a) == XDPAction.tx)
                #expect(try query(b) == XDPAction.drop, "the only port is a's")
                Thread.sleep(forTimeInterval: idle)
                let before = try lab.maps.readStats()
                #expect(try query(b) == XDPAction.tx, "a was idle: b recycles its port")
                #expect(Self.statDelta(before, try lab.maps.readStats())[.portRecycled] == 1)
                #expect(try lab.maps.readReverse(reverseKey)?.client == LBTuple(source: b, destination: vip, proto: P.udp))

                // b keeps sending (each packet at least a tick apart): c finds the port busy.
                let start = Date()
                while Date().timeIntervalSince(start) < idle {
                    #expect(try query(b) == XDPAction.tx)
                    Thread.sleep(forTimeInterval: 0.03)
                }
                #expect(try query(c) == XDPAction.drop, "b is active: its port stays")
                #expect(try lab.maps.readReverse(reverseKey)?.client == LBTuple(source: b, destination: vip, proto: P.udp))
            }
        }

        /// The control plane's remove (LoadBalancer.removeBackend on these maps): established
        /// flows keep their draining backend, new flows avoid it, and the id is freed once
        /// its flows are gone.
        @Test func stickinessThroughDraining() throws {
            try Self.withLab { lab in
                let table = try lab.configure()
                let balancer = LoadBalancer(interface: "lb0", pinDirectory: "/nonexistent", program: lab.program, maps: lab.maps)
                let vip = IPv4Endpoint(PacketLab.vip, 80)
                var assigned: [IPv4Endpoint: (UInt32, UInt16)] = [:]
                for i in 0..<60 {
                    let client = IPv4Endpoint(IPv4Address(0x0a00_0200 + UInt32(i)), UInt16(1024 + 7 * i))
                    let out = try #require(P.decode(try lab.run(P.frame(proto: P.tcp, from: client, to: vip, flags: P.syn)).output))
                    let id = table[FlowHash.slot(LBTuple(source: client, destination: vip, proto: P.tcp), seed: PacketLab.config.hashSeed)]
                    #expect(out.destination == PacketLab.backends[id]!.0)
                    assigned[client] = (id, out.source.port)
                }
                let removed = PacketLab.backends[2]!.0
                #expect(assigned.values.contains { $0.0 == 2 }, "some flows on backend 2")
                let web = LBServiceKey(vip: vip, proto: .tcp)   // the lab's second service is VIP:53/udp
                let change = try balancer.removeBackend(removed, from: web)
                #expect(change.id == 2 && change.flags == .draining && change.freed.isEmpty)
                #expect(try lab.maps.readBackend(id: 2).flags == .draining)
                let newTable = try lab.maps.readMaglev(serviceID: 0)
                #expect(!newTable.contains(2) && !newTable.contains(0))
                #expect(Double(MaglevTable.changedSlots(table, newTable)) < Double(LBConstants.maglevSize) * (1.0 / 3 + 0.03))

                for (client, (id, port)) in assigned {
                    let out = try #require(P.decode(try lab.run(P.frame(proto: P.tcp, from: client, to: vip)).output))
                    #expect(out.destination == PacketLab.backends[id]!.0 && out.source.port == port, "established \(client) stays")
                    #expect(out.l4ChecksumExact)
                }
                for i in 0..<60 {
                    let client = IPv4Endpoint(IPv4Address("10.0.9.9")!, UInt16(5000 + i))
                    let out = try #require(P.decode(try lab.run(P.frame(proto: P.tcp, from: client, to: vip, flags: P.syn)).output))
                    let id = newTable[FlowHash.slot(LBTuple(source: client, destination: vip, proto: P.tcp), seed: PacketLab.config.hashSeed)]
                    #expect(out.destination != removed && out.destination == PacketLab.backends[id]!.0)
                }

                // status from inside the namespace: backend 2 draining with its flows
                let status = try NetworkNamespace.run(in: lab.namespace) { try balancer.status() }
                let drained = try #require(status.backends.first { $0.id == 2 })
                #expect(drained.flags == .draining && drained.maglevSlots == 0 && drained.flows == assigned.values.filter { $0.0 == 2 }.count)
                #expect(status.flowCount == 120 && status.attachedMode == .none)

                // once its flows are gone the next change frees the id; re-adding reuses it
                try lab.maps.deleteFlows { tuple in assigned[tuple.source]?.0 == 2 }
                #expect(try balancer.freeDrainedBackends() == [removed])
                #expect(try lab.maps.readBackend(id: 2).flags == [])
                let again = try balancer.addBackend(removed, to: web)
                let refilled = try lab.maps.readMaglev(serviceID: 0)
                #expect(again.id == 2 && refilled == table)
                #expect(throws: LBError(.duplicateBackend(removed))) { try balancer.addBackend(removed, to: web) }
                #expect(throws: LBError(.unknownBackend(IPv4Endpoint("10.9.9.9:1")!))) {
                    try balancer.removeBackend(IPv4Endpoint("10.9.9.9:1")!, from: web)
                }
            }
        }
    }
}
