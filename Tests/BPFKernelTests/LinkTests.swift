import BPFKernel
import Testing

extension SerialKernelTests {
    /// Attaching to a real interface happens in a network namespace (netlink tests); here only
    /// what needs no interface.
    @Suite(.privileged) struct LinkTests {
        @Test func badInterfaceIndexIsATypedError() throws {
            let program = try BPFProgram(TestPrograms.xdpPassDefinition(name: UniqueName.make("l")))
            let recorder = TraceRecorder()
            let error = try #require(throws: BPFError.self) {
                try recorder.record { try BPFLink(program: program, interfaceIndex: 0x7fff_fff0) }
            }
            #expect(error.command == .linkCreate)
            // The kernel answers EINVAL (not ENODEV) when no device has this index.
            #expect(error.errno == .EINVAL)
            #expect(error.hint?.contains("interface") == true)
            let call = try #require(recorder.calls(.linkCreate).first)
            #expect(call.field("attach_type") == "XDP")
            #expect(call.field("target_ifindex") == "\(0x7fff_fff0)")
        }

        /// An XDP link on the loopback device of a throwaway network namespace: info, update,
        /// detach. (Veth pairs and netlink attach are the netlink tests' business.)
        @Test func xdpLinkLifecycleOnLoopback() throws {
            let namespace = UniqueName.make("sxk")
            #expect(try Tool.run("ip", ["netns", "add", namespace]).status == 0)
            defer { _ = try? Tool.run("ip", ["netns", "del", namespace]) }
            let first = try BPFProgram(TestPrograms.xdpPassDefinition(name: "link_first"))
            let second = try BPFProgram(TestPrograms.xdpPassDefinition(name: "link_second"))
            let firstID = try first.info(details: false).id
            let secondID = try second.info(details: false).id

            let link = try NetworkNamespace.run(in: namespace) {
                try BPFLink(program: first, interfaceIndex: 1, flags: 2)  // lo, XDP_FLAGS_SKB_MODE
            }
            var info = try link.info()
            #expect(info.type == .xdp && info.interfaceIndex == 1 && info.programID == firstID)
            #expect(try BPFObjectKind.link.ids().contains(info.id))

            // Replacing with the wrong expected program is refused; with the right one it works.
            #expect { try link.update(program: second, expected: second) } throws: {
                ($0 as? BPFError)?.command == .linkUpdate && ($0 as? BPFError)?.errno == .EPERM
            }
            try link.update(program: second, expected: first)
            #expect(try link.info().programID == secondID)

            try link.detach()
            info = try link.info()
            #expect(info.interfaceIndex == 0)
            let reopened = BPFLink(adopting: try BPFObjectKind.link.open(id: info.id))
            #expect(try reopened.info().id == info.id)
        }

        @Test func nonProgramFDIsATypedError() throws {
            let map = try BPFMap(BPFMapDefinition(type: .array, keySize: 4, valueSize: 4, maxEntries: 1))
            #expect { try BPFLink(programFD: map.fd, target: 1, attachType: .xdp) } throws: {
                ($0 as? BPFError)?.command == .linkCreate && ($0 as? BPFError)?.errno == .EINVAL
            }
        }
    }
}
