import Foundation
import Synchronization
import Testing
import XDPLoadBalancer
@testable import XDPLoadBalancerCommands

extension LBKernelSuites {
    /// Several services on one load balancer through the control plane (`addService`,
    /// `removeService`, backends per service), checked with packets under BPF_PROG_TEST_RUN.
    @Suite(.privileged) struct ServiceTests {
        typealias P = TestPackets

        static let web = LBServiceKey(vip: IPv4Endpoint(PacketLab.vip, 80), proto: .tcp)
        static let api = LBServiceKey(vip: IPv4Endpoint("10.0.0.101:80")!, proto: .tcp)
        static let b1 = PacketLab.backends[1]!.0, b2 = PacketLab.backends[2]!.0, b3 = PacketLab.backends[3]!.0

        /// The lab with config only (no services, no backends) and a LoadBalancer over its maps.
        static func withBalancer(_ body: (PacketLab, LoadBalancer) throws -> Void) throws {
            let lab = try PacketLab()
            defer { lab.close() }
            try lab.maps.writeConfig(PacketLab.config)
            try body(lab, LoadBalancer(interface: "lb0", pinDirectory: "/nonexistent", program: lab.program, maps: lab.maps))
        }

        /// Where a client's SYN to `vip` goes: the rewritten destination, or nil with the verdict.
        static func syn(_ lab: PacketLab, from client: IPv4Endpoint, to vip: IPv4Endpoint) throws -> (UInt32, IPv4Endpoint?) {
            let (verdict, output) = try lab.run(P.frame(proto: P.tcp, from: client, to: vip, flags: P.syn))
            guard verdict == XDPAction.tx || verdict == XDPAction.redirect, let out = P.decode(output) else { return (verdict, nil) }
            #expect(out.ipChecksumExact && out.l4ChecksumExact)
            return (verdict, out.destination)
        }

        static func client(_ i: Int) -> IPv4Endpoint { IPv4Endpoint(IPv4Address(0x0a00_0400 + UInt32(i % 200)), UInt16(2000 + i)) }

        @Test func servicesHaveTheirOwnBackends() throws {
            try Self.withBalancer { lab, balancer in
                #expect(throws: LBError(.serviceRequired(count: 0))) { try balancer.addBackend(Self.b1) }
                let web = try balancer.addService(Self.web, backends: [Self.b1, Self.b3])
                let api = try balancer.addService(Self.api, backends: [Self.b2])
                #expect(web.id == 0 && api.id == 1)
                #expect(Set(web.backendIDs.values).isDisjoint(with: api.backendIDs.values))
                #expect(throws: LBError(.duplicateService(Self.api))) { try balancer.addService(Self.api, backends: []) }
                #expect(try lab.maps.readBackends().allSatisfy { $0.backend.serviceID == ($0.backend.endpoint == Self.b2 ? 1 : 0) })

                for i in 0..<40 {
                    let (_, toWeb) = try Self.syn(lab, from: Self.client(i), to: Self.web.vip)
                    #expect(toWeb == Self.b1 || toWeb == Self.b3)
                    let (_, toAPI) = try Self.syn(lab, from: Self.client(i), to: Self.api.vip)
                    #expect(toAPI == Self.b2)
                }

                // with two services a backend change must say which; the same address may serve both
                #expect(throws: LBError(.serviceRequired(count: 2))) { try balancer.addBackend(Self.b2) }
                let added = try balancer.addBackend(Self.b2, to: Self.web)
                #expect(try lab.maps.readBackend(id: added.id).serviceID == 0 && added.id != api.backendIDs[Self.b2])
                #expect(try lab.maps.readMaglev(serviceID: 0).contains(added.id))
                #expect(try lab.maps.readMaglev(serviceID: 1).allSatisfy { $0 == api.backendIDs[Self.b2] })
                #expect(throws: LBError(.unknownBackend(Self.b1))) { try balancer.removeBackend(Self.b1, from: Self.api) }

                // removing api's only backend: it drains (its flows are open), api's new flows are dropped
                let drained = try balancer.removeBackend(Self.b2, from: Self.api)
                #expect(drained.flags == .draining && drained.id == api.backendIDs[Self.b2])
                #expect(try lab.maps.readMaglev(serviceID: 1).allSatisfy { $0 == 0 })
                #expect(try Self.syn(lab, from: IPv4Endpoint("10.0.9.9:999")!, to: Self.api.vip).0 == XDPAction.drop)
                let (_, established) = try Self.syn(lab, from: Self.client(3), to: Self.api.vip)
                #expect(established == Self.b2, "an established api flow keeps its draining backend")

                let status = try NetworkNamespace.run(in: lab.namespace) { try balancer.status() }
                #expect(status.services == [LBServiceStatus(key: Self.web, id: 0), LBServiceStatus(key: Self.api, id: 1)])
                #expect(status.service == Self.web)
                #expect(status.backends.filter { $0.serviceID == 0 }.map(\.flags) == [.active, .active, .active])
                #expect(status.backends.filter { $0.serviceID == 1 }.map(\.flags) == [.draining])
                let text = StatusRendering.text(status)
                #expect(text.contains("services:") && text.contains("10.0.0.101:80/tcp"))
                let json = StatusRendering.jsonText(status)
                #expect(json.contains("\"services\":[{\"id\":0,\"vip\":\"10.0.0.100\",\"port\":80,\"proto\":\"tcp\"},{\"id\":1,"))
                #expect(json.contains("\"service_id\":1"))

                // removing api ends its flows, frees its ports and backend, and its id
                let apiFlows = try lab.maps.readFlows().filter { $0.tuple.destination == Self.api.vip }.count
                let removal = try balancer.removeService(Self.api)
                #expect(removal.id == 1 && removal.flowsDeleted == apiFlows && removal.portsFreed == apiFlows)
                #expect(removal.backendsFreed == [Self.b2])
                #expect(try lab.maps.readFlows().allSatisfy { $0.tuple.destination == Self.web.vip })
                #expect(try lab.maps.readReverseEntries().values.allSatisfy { $0.client.destination == Self.web.vip })
                #expect(try lab.maps.readBackends().allSatisfy { $0.backend.serviceID == 0 })
                let (verdict, _) = try Self.syn(lab, from: Self.client(3), to: Self.api.vip)
                #expect(verdict == XDPAction.pass, "no flow and no service: to the stack")
                #expect(throws: LBError(.unknownService(Self.api))) { try balancer.removeService(Self.api) }
                // one service again: backend commands need no --vip; the freed id is reused
                _ = try balancer.addBackend(IPv4Endpoint("10.0.0.7:8080")!)
                #expect(try balancer.addService(Self.api, backends: [Self.b2]).id == 1)
            }
        }

        /// The `bpf()` calls that read the `backends` map (lookups of any kind) while `body` runs.
        static func backendReads(_ maps: LBMaps, _ body: () throws -> Void) throws -> Int {
            let fd = KernelCall.Field("map_fd", "\(maps.backends.fd.rawValue)")
            let calls = Mutex<[KernelCall]>([])
            try KernelTrace.withObserver({ call in calls.withLock { $0.append(call) } }) { try body() }
            return calls.withLock { $0 }.filter {
                $0.interface == "bpf" && $0.command != BPFCommand.mapUpdateElem.name && $0.fields.contains(fd)
            }.count
        }

        /// A backend change reads the `backends` table once (as ``LBMaps/readBackends()`` does)
        /// however many steps it has: free drained ids, pick an id, refill Maglev; the later
        /// steps see the earlier steps' writes.
        @Test func backendChangesReadTheBackendTableOnce() throws {
            try Self.withBalancer { lab, balancer in
                _ = try balancer.addService(Self.web, backends: [Self.b1, Self.b2])
                let oneRead = try Self.backendReads(lab.maps) { _ = try lab.maps.readBackends() }
                #expect(oneRead >= 1)

                // no flows: removing b2 frees its id at once, and Maglev holds b1 alone
                var removal: LBBackendChange?
                let reads1 = try Self.backendReads(lab.maps) { removal = try balancer.removeBackend(Self.b2) }
                #expect(reads1 == oneRead)
                #expect(removal?.flags == [] && removal?.freed == [Self.b2])
                #expect(try lab.maps.readBackends().map(\.backend.endpoint) == [Self.b1])
                let b1 = try #require(try lab.maps.readBackends().first?.id)
                #expect(try lab.maps.readMaglev(serviceID: 0).allSatisfy { $0 == b1 })

                // an open flow keeps b1 draining; adding b3 frees nothing and takes the lowest free id
                let (_, first) = try Self.syn(lab, from: Self.client(1), to: Self.web.vip)
                #expect(first == Self.b1)
                var change: LBBackendChange?
                let reads2 = try Self.backendReads(lab.maps) { change = try balancer.removeBackend(Self.b1) }
                #expect(reads2 == oneRead)
                #expect(change?.flags == .draining && change?.freed == [])
                let reads3 = try Self.backendReads(lab.maps) { change = try balancer.addBackend(Self.b3) }
                #expect(reads3 == oneRead)
                #expect(change?.id == removal.map { $0.id } && change?.freed == [])
                #expect(try lab.maps.readMaglev(serviceID: 0).allSatisfy { $0 == change?.id })

                // once b1's flow is gone, the next add frees it on the way and Maglev splits
                // between b3 and the new b2 (not the freed b1)
                try lab.maps.deleteFlows { _ in true }
                let reads4 = try Self.backendReads(lab.maps) { change = try balancer.addBackend(Self.b2) }
                #expect(reads4 == oneRead)
                #expect(change?.freed == [Self.b1] && change?.id == b1, "b1's id is free again and the lowest")
                let table = try lab.maps.readMaglev(serviceID: 0)
                let ids = try lab.maps.readBackends().map(\.id)
                #expect(Set(table) == Set(ids) && ids.count == 2)
            }
        }
    }
}

/// `xdp-lb service add|remove` and `backend --vip` command lines (no kernel needed).
@Suite struct ServiceCommandLineTests {
    @Test func serviceCommandLines() throws {
        let add = try #require(try XDPLoadBalancerCommand.parseAsRoot(
            ["service", "add", "--vip", "10.0.0.9:53", "--proto", "udp", "--backend", "10.0.0.2:53", "--dev", "eth0"]) as? ServiceCommand.Add)
        #expect(try add.service.key() == LBServiceKey(vip: IPv4Endpoint("10.0.0.9:53")!, proto: .udp))
        #expect(add.backend == ["10.0.0.2:53"] && add.interface.dev == "eth0")
        let remove = try #require(try XDPLoadBalancerCommand.parseAsRoot(
            ["service", "remove", "--vip", "10.0.0.9:80", "--dev", "eth0"]) as? ServiceCommand.Remove)
        #expect(try remove.service.key().proto == LBProtocol.tcp.rawValue)
        let backend = try #require(try XDPLoadBalancerCommand.parseAsRoot(
            ["backend", "add", "10.0.0.2:80", "--vip", "10.0.0.9:80", "--dev", "eth0"]) as? BackendCommand.Add)
        #expect(try backend.selection.service() == LBServiceKey(vip: IPv4Endpoint("10.0.0.9:80")!, proto: .tcp))
        #expect(throws: (any Error).self) { try XDPLoadBalancerCommand.parseAsRoot(["service", "add", "--vip", "nope", "--dev", "eth0"]) }
        #expect(throws: (any Error).self) { try XDPLoadBalancerCommand.parseAsRoot(["service", "remove", "--dev", "eth0"]) }
        #expect(throws: (any Error).self) {
            try XDPLoadBalancerCommand.parseAsRoot(["backend", "add", "10.0.0.2:80", "--proto", "udp", "--dev", "eth0"])
        }
    }
}
