import Foundation
import XDPLoadBalancer

/// xdp_lb loaded (not attached) with its typed maps, and a private network namespace where
/// BPF_PROG_TEST_RUN runs so bpf_fib_lookup finds routes and neighbours (the topology of
/// bpf/xdp_lb_test.py): lb0 10.0.0.5/24 and lb1 10.0.1.5/24 (veths), permanent neighbours
/// for the client and two backends. ``close()`` deletes the namespace.
final class PacketLab {
    static let lbIP = IPv4Address("10.0.0.5")!
    static let lb0MAC: [UInt8] = [2, 0, 0, 0, 0, 5], lb1MAC: [UInt8] = [2, 0, 0, 0, 1, 5]
    static let clientMAC: [UInt8] = [2, 0, 0, 0, 0, 4]
    static let vip = IPv4Address("10.0.0.100")!
    /// id → (endpoint, neighbour MAC, interface)
    static let backends: [UInt32: (IPv4Endpoint, [UInt8], String)] = [
        1: (IPv4Endpoint("10.0.0.2:8080")!, [2, 0, 0, 0, 0, 2], "lb0"),
        2: (IPv4Endpoint("10.0.1.3:8080")!, [2, 0, 0, 0, 1, 3], "lb1"),
        3: (IPv4Endpoint("10.0.0.3:8080")!, [2, 0, 0, 0, 0, 3], "lb0"),
    ]
    static let config = LBConfig(lbIP: lbIP, portMin: 20000, portMax: 29999, hashSeed: 0x1234_5678)

    let namespace = "xdplb-swift-\(getpid())-\(UInt32.random(in: 0 ... 0xffff))"
    let loaded: LoadedObject
    let program: BPFProgram
    let maps: LBMaps
    var ifindex: [String: UInt32] = [:]

    init() throws {
        let object = try BPFObjectFile.read(path: LBFixtures.object)
        loaded = try ObjectLoader.load(object)
        program = loaded.program(named: LBMapName.program)!
        maps = try LBMaps(loaded)
        do { try buildNamespace() } catch { close(); throw error }
    }

    private func buildNamespace() throws {
        let ns = namespace
        try TestShell.run(["ip", "netns", "add", ns])
        func ip(_ a: String...) throws { try TestShell.run(["ip", "-n", ns] + a) }
        try ip("link", "set", "lo", "up")
        try ip("link", "add", "lb0", "address", "02:00:00:00:00:05", "type", "veth", "peer", "name", "peer0")
        try ip("link", "add", "lb1", "address", "02:00:00:00:01:05", "type", "veth", "peer", "name", "peer1")
        for dev in ["lb0", "peer0", "lb1", "peer1"] { try ip("link", "set", dev, "up") }
        try ip("addr", "add", "10.0.0.5/24", "dev", "lb0")
        try ip("addr", "add", "10.0.1.5/24", "dev", "lb1")
        try TestShell.run(["ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.conf.all.forwarding=1"])
        for (endpoint, mac, dev) in Self.backends.values {
            try ip("neigh", "replace", endpoint.address.description, "lladdr", Self.macText(mac), "dev", dev, "nud", "permanent")
        }
        try ip("neigh", "replace", "10.0.0.4", "lladdr", Self.macText(Self.clientMAC), "dev", "lb0", "nud", "permanent")
        for dev in ["lb0", "lb1"] {
            ifindex[dev] = UInt32(try NetworkNamespace.run(in: ns) { try XDPNetlink().interfaceIndex(named: dev) })
        }
    }

    static func macText(_ mac: [UInt8]) -> String {
        mac.map { String(format: "%02x", $0) }.joined(separator: ":")
    }

    /// Deletes the namespace and closes the object. Idempotent.
    func close() {
        _ = try? TestShell.run(["ip", "netns", "del", namespace], check: false)
        loaded.close()
    }

    /// Writes config, backends 1-3, service VIP:80/tcp (id 0, Maglev over `ids`) and
    /// VIP:53/udp (id 1, all slots backend 1).
    func configure(ids: [UInt32] = [1, 2, 3]) throws -> [UInt32] {
        try maps.writeConfig(Self.config)
        for (id, backend) in Self.backends {
            try maps.writeBackend(id: id, LBBackend(endpoint: backend.0, flags: .active))
        }
        let table = MaglevTable.build(ids.map { MaglevBackend(id: $0, name: Self.backends[$0]!.0.description) })
        try maps.writeMaglev(serviceID: 0, table: table)
        try maps.writeService(LBServiceKey(vip: IPv4Endpoint(Self.vip, 80), proto: .tcp), LBService(id: 0))
        try maps.writeMaglev(serviceID: 1, table: [UInt32](repeating: 1, count: LBConstants.maglevSize))
        try maps.writeService(LBServiceKey(vip: IPv4Endpoint(Self.vip, 53), proto: .udp), LBService(id: 1))
        return table
    }

    /// Rewrites config so the LB has one source port (20000) and a refresh period of one
    /// tick: port exhaustion and recycling can then be shown with two or three flows.
    func useOnePortAndOneTickRefresh() throws {
        var config = Self.config
        config.portMin = 20000
        config.portMax = 20000
        config.refreshJiffies = 1
        try maps.writeConfig(config)
    }

    /// Runs `frame` through the program as received on `dev`, inside the namespace.
    func run(_ frame: [UInt8], on dev: String = "lb0") throws -> (verdict: UInt32, output: [UInt8]) {
        let input = BPFTestRunInput.xdp(data: frame, ingressInterface: ifindex[dev]!)
        let result = try NetworkNamespace.run(in: namespace) { try program.testRun(input) }
        return (result.returnValue, result.data)
    }
}

/// `enum xdp_action`.
enum XDPAction {
    static let aborted: UInt32 = 0, drop: UInt32 = 1, pass: UInt32 = 2, tx: UInt32 = 3, redirect: UInt32 = 4
}
