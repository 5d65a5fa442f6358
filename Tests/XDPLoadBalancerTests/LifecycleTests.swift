import Foundation
import Testing
import XDPLoadBalancer
@testable import XDPLoadBalancerCommands

extension LBKernelSuites {
    /// start / open / status / backend add+remove / stop through the library and the CLI,
    /// attached for real (generic XDP) to a veth in a private namespace, pins under a
    /// per-process bpffs directory.
    @Suite(.privileged) struct LifecycleTests {
        static let pinRoot = "/sys/fs/bpf/xdp-lb-test-\(getpid())"

        /// A namespace with lb0 (10.0.0.5/24) up; deleted afterwards with any pins.
        static func withNamespace(_ body: (String) throws -> Void) throws {
            let ns = "xdplb-life-\(getpid())-\(UInt32.random(in: 0 ... 0xffff))"
            try TestShell.run(["ip", "netns", "add", ns])
            defer {
                _ = try? TestShell.run(["ip", "netns", "del", ns], check: false)
                _ = try? TestShell.run(["rm", "-rf", pinRoot], check: false)
            }
            for args in [["link", "set", "lo", "up"], ["link", "add", "lb0", "type", "veth", "peer", "name", "peer0"],
                         ["link", "set", "lb0", "up"], ["link", "set", "peer0", "up"], ["addr", "add", "10.0.0.5/24", "dev", "lb0"],
                         ["neigh", "replace", "10.0.0.2", "lladdr", "02:00:00:00:00:02", "dev", "lb0", "nud", "permanent"]] {
                try TestShell.run(["ip", "-n", ns] + args)
            }
            try body(ns)
        }

        /// Parses and runs an `xdp-lb` command line in this process.
        static func cli(_ arguments: [String]) throws {
            var command = try XDPLoadBalancerCommand.parseAsRoot(arguments)
            try command.run()
        }

        @Test func startStatusChangeStop() throws {
            try Self.withNamespace { ns in
                try NetworkNamespace.run(in: ns) {
                    var options = LBStartOptions(interface: "lb0", vip: IPv4Endpoint("10.0.0.100:80")!,
                                                 backends: [IPv4Endpoint("10.0.0.2:8080")!, IPv4Endpoint("10.0.0.3:8080")!])
                    options.pinRoot = Self.pinRoot
                    options.objectPath = LBFixtures.object
                    let (balancer, report) = try LoadBalancer.start(options)
                    #expect(report.config.lbIP == IPv4Address("10.0.0.5"), "lb_ip from RTM_GETADDR")
                    #expect(report.config.portMin == 20000 && report.config.portMax == 59999)
                    #expect(HostSettings.read("/proc/sys/net/ipv4/conf/lb0/forwarding") == "1")
                    #expect(HostSettings.read("/proc/sys/net/ipv4/conf/lb0/accept_local") == "1")
                    #expect(LoadBalancer.isRunning(on: "lb0", pinRoot: Self.pinRoot))
                    #expect(throws: LBError(.alreadyRunning(interface: "lb0"))) { try LoadBalancer.start(options) }

                    // another invocation finds it through the pins
                    let reopened = try LoadBalancer.open(interface: "lb0", pinRoot: Self.pinRoot)
                    var status = try reopened.status()
                    #expect(status.attachedMode == .generic)
                    #expect(status.service == LBServiceKey(vip: IPv4Endpoint("10.0.0.100:80")!, proto: .tcp))
                    #expect(status.backends.map(\.endpoint) == options.backends && status.backends.allSatisfy { $0.flags == .active })
                    #expect(status.backends.map(\.maglevSlots).reduce(0, +) == LBConstants.maglevSize)
                    let xdp = try XDPAttachment().query("lb0")
                    #expect(xdp.genericProgramID == status.programID)

                    // the started program balances: a SYN to the VIP goes to a backend
                    var context = [UInt8]()
                    let frame = TestPackets.frame(proto: TestPackets.tcp, from: IPv4Endpoint("10.0.0.4:40000")!,
                                                  to: IPv4Endpoint("10.0.0.100:80")!, flags: TestPackets.syn)
                    let lb0 = UInt32(try XDPAttachment().interfaceIndex("lb0"))
                    for word: UInt32 in [0, UInt32(frame.count), 0, lb0, 0, 0] {
                        context += ByteOrder.host.bytes(of: word)
                    }
                    let result = try balancer.program.testRun(BPFTestRunInput(data: frame, context: context))
                    let out = try #require(TestPackets.decode(result.data))
                    #expect(options.backends.contains(out.destination) && out.source.address == IPv4Address("10.0.0.5"))
                    #expect(out.ipChecksumExact && out.l4ChecksumExact)

                    // backend changes through the CLI, in process
                    try Self.cli(["backend", "add", "10.0.0.4:8080", "--dev", "lb0", "--pin-root", Self.pinRoot])
                    try Self.cli(["backend", "remove", "10.0.0.2:8080", "--dev", "lb0", "--pin-root", Self.pinRoot])
                    status = try reopened.status()
                    let byAddress = Dictionary(uniqueKeysWithValues: status.backends.map { ($0.endpoint.description, $0) })
                    #expect(byAddress["10.0.0.4:8080"]?.flags == .active)
                    // the SYN above made a flow: backend 10.0.0.2 drains if it got it, else is freed at once
                    let hadFlow = out.destination == IPv4Endpoint("10.0.0.2:8080")
                    #expect(byAddress["10.0.0.2:8080"]?.flags == (hadFlow ? .draining : nil))
                    #expect(status.flowCount == 1)
                    let json = StatusRendering.jsonText(status)
                    #expect(json.contains("\"attached\":\"generic\"") && json.contains("\"flows\":1"))
                    #expect(StatusRendering.text(status).contains("10.0.0.4:8080"))

                    try Self.cli(["stop", "--dev", "lb0", "--pin-root", Self.pinRoot])
                    #expect(!LoadBalancer.isRunning(on: "lb0", pinRoot: Self.pinRoot))
                    #expect(try XDPAttachment().query("lb0").isAttached == false)
                    #expect(throws: LBError(.notRunning(interface: "lb0"))) {
                        try LoadBalancer.open(interface: "lb0", pinRoot: Self.pinRoot)
                    }
                    #expect(access(Self.pinRoot + "/lb0", F_OK) != 0 && access(Self.pinRoot, F_OK) != 0, "pins and the empty pin root removed")
                }
            }
        }

        @Test func startFailsCleanly() throws {
            try Self.withNamespace { ns in
                try NetworkNamespace.run(in: ns) {
                    var options = LBStartOptions(interface: "nosuch0", vip: IPv4Endpoint("10.0.0.100:80")!, backends: [])
                    options.pinRoot = Self.pinRoot
                    options.objectPath = LBFixtures.object
                    #expect(throws: (any Error).self) { try LoadBalancer.start(options) }
                    options.interface = "peer0"   // no IPv4 address
                    #expect(throws: LBError(.noAddress(interface: "peer0"))) { try LoadBalancer.start(options) }
                    options.interface = "lb0"
                    options.objectPath = "/nonexistent/xdp_lb.bpf.o"
                    #expect(throws: LBError(.objectNotFound(searched: ["/nonexistent/xdp_lb.bpf.o"]))) { try LoadBalancer.start(options) }
                    #expect(!LoadBalancer.isRunning(on: "lb0", pinRoot: Self.pinRoot))
                    // a program already attached by someone else: start fails and leaves no pins
                    options.objectPath = LBFixtures.object
                    options.applyHostSettings = false
                    let other = try ObjectLoader.load(try BPFObjectFile.read(path: LBFixtures.root.appendingPathComponent("Fixtures/xdp_pass.bpf.o").path))
                    defer { other.close() }
                    try XDPAttachment().attach(other.programs[0].program, to: "lb0", mode: .generic)
                    #expect(throws: (any Error).self) { try LoadBalancer.start(options) }
                    #expect(!LoadBalancer.isRunning(on: "lb0", pinRoot: Self.pinRoot))
                }
            }
        }
    }
}
