import Foundation
import Synchronization
import Testing
import XDPLoadBalancer

extension LBKernelSuites {
    /// Reading the `flows` and `reverse` tables (``LoadBalancer/flowStates()``, status,
    /// draining) goes through `BPF_MAP_LOOKUP_BATCH`: a few syscalls per table, not two per entry.
    @Suite(.privileged) struct FlowReadTests {
        static let backend = IPv4Endpoint("10.0.0.2:8080")!
        static let vip = IPv4Endpoint("10.0.0.100:80")!
        static let lbIP = IPv4Address("10.0.0.5")!

        /// Flow `index`: its client tuple, `flows` value, `reverse` key and value. Every third
        /// connection has ended (both FINs), every fifth reverse entry names another client
        /// (its port was recycled), the rest are open.
        static func flow(_ index: Int) -> (tuple: LBTuple, flow: LBFlow, reverseKey: LBTuple, reverse: LBReverse) {
            let client = IPv4Endpoint(IPv4Address(0x0a01_0000 | UInt32(index / 60_000) << 8 | UInt32(index % 250)),
                                      UInt16(1024 + index % 60_000))
            let tuple = LBTuple(source: client, destination: vip, proto: LBConstants.tcp)
            let port = UInt16(20000 + index % 40_000)
            let reverseKey = LBTuple(source: backend, destination: IPv4Endpoint(lbIP, port), proto: LBConstants.tcp)
            var owner = tuple
            if index % 5 == 0 { owner.source.port &+= 1 }
            let flags = index % 3 == 0 ? LBReverse.clientFIN | LBReverse.backendFIN : 0
            return (tuple, LBFlow(backendID: 1, lbPort: port), reverseKey,
                    LBReverse(client: owner, backendID: 1, flags: flags))
        }

        static func isOpen(_ index: Int) -> Bool { index % 3 != 0 && index % 5 != 0 }

        @Test func flowStatesOfAFullishTableInAFewSyscalls() throws {
            let count = 5000
            try LifecycleTests.withNamespace { ns in
                try NetworkNamespace.run(in: ns) {
                    var options = LBStartOptions(interface: "lb0", vip: Self.vip, backends: [Self.backend])
                    options.pinRoot = LifecycleTests.pinRoot
                    options.objectPath = LBFixtures.object
                    options.lbIP = Self.lbIP
                    options.applyHostSettings = false
                    options.attach = false
                    let (balancer, _) = try LoadBalancer.start(options)
                    defer { _ = try? balancer.stop() }
                    for index in 0..<count {
                        let entry = Self.flow(index)
                        try balancer.maps.flows.update(key: entry.tuple.encoded, value: entry.flow.encoded)
                        try balancer.maps.reverse.update(key: entry.reverseKey.encoded, value: entry.reverse.encoded)
                    }

                    let calls = Mutex<[KernelCall]>([])
                    let states = try KernelTrace.withObserver({ call in calls.withLock { $0.append(call) } }) {
                        try balancer.flowStates()
                    }
                    #expect(states.count == count)
                    let expected = Dictionary(uniqueKeysWithValues: (0..<count).map { (Self.flow($0).tuple, Self.isOpen($0)) })
                    #expect(states.allSatisfy { expected[$0.tuple] == $0.isOpen })
                    #expect(states.filter(\.isOpen).count == expected.values.filter { $0 }.count)
                    let bpfCalls = calls.withLock { $0 }.filter { $0.interface == "bpf" }
                    // config, the backends array, two tables of 5000: a handful of batches.
                    #expect(bpfCalls.count < 20, "\(bpfCalls.count) bpf() calls")
                    #expect(!bpfCalls.contains { $0.command == BPFCommand.mapGetNextKey.name })

                    // Whole-table walks agree with the per-key walk.
                    #expect(Set(try balancer.maps.flows.allEntries()) == Set(try balancer.maps.flows.entriesByKey()))
                    #expect(try balancer.maps.readBackends().map(\.id) == [1])
                    #expect(try balancer.maps.readMaglev(serviceID: 0).allSatisfy { $0 == 1 })

                    // Deleting by predicate walks the table in batches too.
                    let deleted = try balancer.maps.deleteFlows { $0.source.port % 2 == 0 }
                    #expect(deleted == (0..<count).filter { Self.flow($0).tuple.source.port % 2 == 0 }.count)
                    #expect(try balancer.maps.readFlows().count == count - deleted)
                }
            }
        }
    }
}
