import BPFKernel
import Foundation
import Synchronization
import Testing

/// XDP attach/detach/query over rtnetlink against the running kernel, inside a throw-away
/// network namespace with a veth pair (``NetworkNamespaceFixture``), compared with `ip -j`.
@Suite(.serialized) struct NetlinkXDPTests {
    /// `r0 = 2 (XDP_PASS); exit`.
    static let passInstructions: [UInt8] = [
        0xb7, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
        0x95, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ]

    /// Loads the XDP_PASS program.
    static func loadPassProgram(_ name: String) throws -> (program: BPFProgram, id: UInt32) {
        let program = try BPFProgram(BPFProgramDefinition(type: .xdp, expectedAttachType: .xdp,
                                                          instructions: passInstructions, name: name))
        return (program, try program.info(details: false).id)
    }

    /// The `xdp` object of `ip -j link show dev <device>`: `(mode, prog.id)`, or nil when none.
    static func ipReportedXDP(_ namespace: NetworkNamespaceFixture, _ device: String) throws -> (mode: Int, id: Int)? {
        let link = try #require(try namespace.links(device).first)
        guard let xdp = link["xdp"] as? [String: Any] else { return nil }
        let prog = xdp["prog"] as? [String: Any]
        return (xdp["mode"] as? Int ?? -1, prog?["id"] as? Int ?? -1)
    }

    /// Runs `body` and returns the NetlinkError it throws (fails the test if it does not).
    static func failure(_ body: () throws(NetlinkError) -> Void) -> NetlinkError? {
        do { try body() } catch { return error }
        Issue.record("expected a NetlinkError")
        return nil
    }

    @Test(.privileged) func attachQueryReplaceDetach() throws {
        let namespace = try NetworkNamespaceFixture()
        defer { namespace.destroy() }
        let xdp = try XDPNetlink(namespace: namespace.name)
        let index = try xdp.interfaceIndex(named: namespace.device)
        #expect(try namespace.links(namespace.device).first?["ifindex"] as? Int == Int(index))
        #expect(try xdp.query(ifindex: index) == .none)

        let (first, firstID) = try Self.loadPassProgram("swxdp_pass1")
        let (second, secondID) = try Self.loadPassProgram("swxdp_pass2")

        // Generic attach, seen by our query and by ip.
        try xdp.attach(ifindex: index, program: first.fd, mode: .generic)
        #expect(try xdp.query(ifindex: index) == XDPStatus(attachedMode: .generic, programID: firstID,
                                                            genericProgramID: firstID))
        let reported = try #require(try Self.ipReportedXDP(namespace, namespace.device))
        #expect(reported.mode == 2 && reported.id == Int(firstID))

        // Again without force: the kernel refuses and explains.
        let busy = try #require(Self.failure { () throws(NetlinkError) in
            try xdp.attach(ifindex: index, program: second.fd, mode: .generic)
        })
        #expect(busy.errno == .EBUSY || busy.errno == .EEXIST)
        #expect(busy.kernelMessage == "XDP program already attached")
        #expect(busy.hint == "an XDP program is already attached; use --force to replace it")
        #expect(busy.operation == .attach(ifindex: index, mode: .generic, policy: .ifNotExists))

        // Force replaces.
        try xdp.attach(ifindex: index, program: second.fd, mode: .generic, policy: .force)
        #expect(try xdp.query(ifindex: index).genericProgramID == secondID)

        // Compare-and-swap: a wrong expected program fails, the right one succeeds.
        let mismatch = try #require(Self.failure { () throws(NetlinkError) in
            try xdp.attach(ifindex: index, programFD: first.fd.rawValue, mode: .generic,
                           policy: .replace(expectedFD: first.fd.rawValue))
        })
        #expect(mismatch.errno == .EEXIST)
        #expect(mismatch.kernelMessage == "Active program does not match expected")
        try xdp.attach(ifindex: index, programFD: first.fd.rawValue, mode: .generic,
                       policy: .replace(expectedFD: second.fd.rawValue))
        #expect(try xdp.query(ifindex: index).genericProgramID == firstID)

        // Detach generic.
        try xdp.detach(ifindex: index, mode: .generic)
        #expect(try xdp.query(ifindex: index) == .none)
        #expect(try Self.ipReportedXDP(namespace, namespace.device) == nil)

        // Native mode on veth.
        try xdp.attach(ifindex: index, program: second.fd, mode: .native)
        #expect(try xdp.query(ifindex: index) == XDPStatus(attachedMode: .native, programID: secondID,
                                                            nativeProgramID: secondID))
        let native = try #require(try Self.ipReportedXDP(namespace, namespace.device))
        #expect(native.mode == 1 && native.id == Int(secondID))

        // Generic while native is attached: the kernel's mode-conflict text.
        let conflict = try #require(Self.failure { () throws(NetlinkError) in
            try xdp.attach(ifindex: index, program: first.fd, mode: .generic, policy: .force)
        })
        #expect(conflict.errno == .EEXIST)
        #expect(conflict.kernelMessage == "Native and generic XDP can't be active at the same time")
        #expect(conflict.description.contains("Native and generic XDP can't be active at the same time"))

        try xdp.detach(ifindex: index, mode: .native)
        #expect(try xdp.query(ifindex: index) == .none)
        // Detaching again is not an error.
        try xdp.detach(ifindex: index, mode: .native)
    }

    @Test(.privileged) func autoModeAttachAndDetach() throws {
        let namespace = try NetworkNamespaceFixture()
        defer { namespace.destroy() }
        let xdp = try XDPNetlink(namespace: namespace.name)
        let index = try xdp.interfaceIndex(named: namespace.peer)
        let (program, id) = try Self.loadPassProgram("swxdp_auto")
        // veth has ndo_bpf, so "auto" means native.
        try xdp.attach(ifindex: index, program: program.fd)
        #expect(try xdp.query(ifindex: index) == XDPStatus(attachedMode: .native, programID: id, nativeProgramID: id))
        try xdp.detach(ifindex: index)
        #expect(try xdp.query(ifindex: index) == .none)
    }

    @Test(.privileged) func unsupportedModes() throws {
        let namespace = try NetworkNamespaceFixture()
        defer { namespace.destroy() }
        let xdp = try XDPNetlink(namespace: namespace.name)
        let (program, id) = try Self.loadPassProgram("swxdp_modes")

        // The loopback driver has no native XDP.
        let loopback = try xdp.interfaceIndex(named: "lo")
        let native = try #require(Self.failure { () throws(NetlinkError) in
            try xdp.attach(ifindex: loopback, program: program.fd, mode: .native)
        })
        #expect(native.errno == .EOPNOTSUPP)
        #expect(native.kernelMessage == "Underlying driver does not support XDP in native mode")
        #expect(native.hint == "this driver does not support native XDP; use generic mode")
        // Generic works everywhere, and auto picks it for lo.
        try xdp.attach(ifindex: loopback, program: program.fd)
        #expect(try xdp.query(ifindex: loopback) == XDPStatus(attachedMode: .generic, programID: id, genericProgramID: id))
        try xdp.detach(ifindex: loopback)

        // Offload of a program not bound to a device.
        let veth = try xdp.interfaceIndex(named: namespace.device)
        let offload = try #require(Self.failure { () throws(NetlinkError) in
            try xdp.attach(ifindex: veth, program: program.fd, mode: .offload)
        })
        #expect(offload.errno == .EINVAL)
        #expect(offload.hint != nil)
        #expect(try xdp.query(ifindex: veth) == .none)
    }

    @Test(.privileged) func unknownInterfaces() throws {
        let namespace = try NetworkNamespaceFixture()
        defer { namespace.destroy() }
        let xdp = try XDPNetlink(namespace: namespace.name)

        let byName = try #require(Self.failure { () throws(NetlinkError) in _ = try xdp.interfaceIndex(named: "nosuchdev0") })
        #expect(byName.reason == .unknownInterface("nosuchdev0"))
        #expect(byName.isUnknownInterface)
        // The root namespace's eth0 (if any) is not visible from inside.
        let outside = try #require(Self.failure { () throws(NetlinkError) in _ = try xdp.interfaceIndex(named: "eth0") })
        #expect(outside.isUnknownInterface)
        let invalid = try #require(Self.failure { () throws(NetlinkError) in _ = try xdp.interfaceIndex(named: "a/b") })
        #expect(invalid.reason == .unknownInterface("a/b"))

        let byIndex = try #require(Self.failure { () throws(NetlinkError) in _ = try xdp.query(ifindex: 999) })
        #expect(byIndex.reason == .unknownInterface("ifindex 999"))

        let (program, _) = try Self.loadPassProgram("swxdp_nodev")
        let attach = try #require(Self.failure { () throws(NetlinkError) in
            try xdp.attach(ifindex: 999, program: program.fd, mode: .generic)
        })
        #expect(attach.errno == .ENODEV)
        #expect(attach.isUnknownInterface)
    }

    @Test(.privileged) func listInterfacesMatchesIP() throws {
        let namespace = try NetworkNamespaceFixture()
        defer { namespace.destroy() }
        let xdp = try XDPNetlink(namespace: namespace.name)
        let (program, id) = try Self.loadPassProgram("swxdp_list")
        let peerIndex = try xdp.interfaceIndex(named: namespace.peer)
        try xdp.attach(ifindex: peerIndex, program: program.fd, mode: .generic)

        let ours = try xdp.listInterfaces()
        let theirs = try namespace.links().map { (($0["ifindex"] as? Int) ?? -1, ($0["ifname"] as? String) ?? "") }
            .sorted { $0.0 < $1.0 }
        #expect(ours.map { Int($0.index) } == theirs.map(\.0))
        #expect(ours.map(\.name) == theirs.map(\.1))
        #expect(Set(ours.map(\.name)) == ["lo", namespace.device, namespace.peer])
        #expect(ours.first { $0.name == namespace.peer }?.xdp.genericProgramID == id)
        #expect(ours.first { $0.name == namespace.device }?.xdp == XDPStatus.none)
        for interface in ours {
            #expect(try xdp.interfaceName(index: interface.index) == interface.name)
        }
    }

    @Test(.privileged) func namespaceIsRestored() throws {
        let before = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self/ns/net")
        let namespace = try NetworkNamespaceFixture()
        defer { namespace.destroy() }
        let socket = try NetlinkSocket(namespace: namespace.name)
        #expect(socket.namespace == namespace.name)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self/ns/net") == before)

        let missing = try #require(Self.failure { () throws(NetlinkError) in
            _ = try NetlinkSocket(namespace: "swxdp-does-not-exist")
        })
        #expect(missing.operation == .enterNamespace("swxdp-does-not-exist"))
        #expect(missing.errno == .ENOENT)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self/ns/net") == before)

        // A body that throws still returns the thread to its namespace.
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try NetworkNamespace.run(in: namespace.name) { throw Boom() }
        }
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self/ns/net") == before)
        let inside = try NetworkNamespace.run(in: namespace.name) {
            try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self/ns/net")
        }
        #expect(inside != before)
    }

    @Test(.privileged) func fixtureIsTornDownEvenWhenTheTestThrows() throws {
        struct Failure: Error {}
        var name = ""
        #expect(throws: Failure.self) {
            let namespace = try NetworkNamespaceFixture()
            name = namespace.name
            #expect(FileManager.default.fileExists(atPath: NetworkNamespace.path(of: name)))
            throw Failure()
        }
        #expect(!name.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: NetworkNamespace.path(of: name)))
    }

    @Test(.privileged) func requestsAreTraced() throws {
        let namespace = try NetworkNamespaceFixture()
        defer { namespace.destroy() }
        let xdp = try XDPNetlink(namespace: namespace.name)
        let index = try xdp.interfaceIndex(named: namespace.device)
        let (program, _) = try Self.loadPassProgram("swxdp_trace")
        let calls = Mutex<[KernelCall]>([])
        try KernelTrace.withObserver({ call in calls.withLock { $0.append(call) } }) {
            try xdp.attach(ifindex: index, program: program.fd, mode: .generic)
            _ = try? xdp.attach(ifindex: index, program: program.fd, mode: .generic)
            try xdp.detach(ifindex: index, mode: .generic)
            _ = try xdp.query(ifindex: index)
        }
        let recorded = calls.withLock { $0 }
        try #require(recorded.count == 4)
        let fd = String(program.fd.rawValue)
        #expect(recorded[0] == KernelCall(interface: "netlink", command: "RTM_SETLINK", fields: [
            .init("ifindex", String(index)), .init("IFLA_XDP_FD", fd), .init("IFLA_XDP_FLAGS", "SKB_MODE|UPDATE_IF_NOEXIST"),
        ], result: "ack", failed: false))
        #expect(recorded[1].failed)
        #expect(recorded[1].result == "EBUSY: Device or resource busy (kernel: XDP program already attached)")
        #expect(recorded[2].fields == [.init("ifindex", String(index)), .init("IFLA_XDP_FD", "-1"),
                                       .init("IFLA_XDP_FLAGS", "SKB_MODE")])
        #expect(recorded[3].command == "RTM_GETLINK")
        #expect(recorded[3].result == "1 × RTM_NEWLINK")
    }
}
