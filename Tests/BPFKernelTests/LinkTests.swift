import BPFKernel
import Testing

/// Attaching to a real interface happens in a network namespace (netlink tests); here only
/// what needs no interface.
@Suite(.privileged, .serialized) struct LinkTests {
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

    @Test func nonProgramFDIsATypedError() throws {
        let map = try BPFMap(BPFMapDefinition(type: .array, keySize: 4, valueSize: 4, maxEntries: 1))
        #expect { try BPFLink(programFD: map.fd, target: 1, attachType: .xdp) } throws: {
            ($0 as? BPFError)?.command == .linkCreate && ($0 as? BPFError)?.errno == .EINVAL
        }
    }
}
