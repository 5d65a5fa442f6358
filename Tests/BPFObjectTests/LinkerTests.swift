import Testing
@testable import BPFObject

/// The linker appends each reached subprogram once, rewrites call/function-address immediates,
/// and moves func_info/line_info along; the map relocator patches made-up descriptors.
@Suite struct LinkerTests {
    let subprograms: BPFObjectFile

    init() throws {
        subprograms = try BPFObjectFile(bytes: try Fixtures.bytes("subprograms.bpf.o"), name: "subprograms")
    }

    @Test func subprogramsAreAppendedOnceDepthFirst() throws {
        let a = try subprograms.link(try #require(subprograms.program(named: "xdp_entry_a")))
        // Depth-first like libbpf: classify's own call (clamp_len) comes before global_len_bucket.
        #expect(a.placements.map(\.name) == ["xdp_entry_a", "classify", "clamp_len", "global_len_bucket"])
        let b = try subprograms.link(try #require(subprograms.program(named: "xdp_entry_b")))
        #expect(b.placements.map(\.name) == ["xdp_entry_b", "clamp_len", "count_cb", "classify"])
        // Each placement's instructions are the function's own, untouched except call immediates.
        for placement in b.placements {
            let function = try #require(subprograms.functions.first { $0.name == placement.name })
            #expect(placement.count == function.instructions.count)
        }
    }

    /// A local call in slots no function symbol covers belongs to no function: it is not among
    /// the function's relocations, and linking leaves it out. Here the function's size is cut
    /// to its first instruction and the second slot made `call -2` (src_reg 1), which would
    /// land on the function itself.
    @Test func aLocalCallOutsideEveryFunctionIsDropped() throws {
        var bytes = try Fixtures.bytes("xdp_pass.bpf.o")
        let elf = try ELFFile(bytes: bytes)
        let section = try #require(elf.section(named: "xdp"))
        let symbol = try #require((0..<elf.symbolCount).first { elf.symbol(at: $0).name == "xdp_pass" })
        // st_size, a little-endian u64 at +16 of the Elf64_Sym: one instruction.
        let size = elf.symbolTable.tableOffset + symbol * ELF.symbolSize + 16
        bytes.replaceSubrange(size..<(size + 8), with: [8, 0, 0, 0, 0, 0, 0, 0])
        bytes.replaceSubrange((section.offset + 8)..<(section.offset + 16),
                              with: [0x85, 0x10, 0, 0, 0xfe, 0xff, 0xff, 0xff])
        let object = try BPFObjectFile(bytes: bytes)
        let program = try #require(object.program(named: "xdp_pass"))
        #expect(program.function.instructionCount == 1)
        #expect(program.function.relocations.isEmpty)
        #expect(try object.link(program).instructions == [program.function.instructions[0]])
    }

    @Test func callsAndCallbacksPointAtTheirFunctions() throws {
        let b = try subprograms.link(try #require(subprograms.program(named: "xdp_entry_b")))
        let start = Dictionary(uniqueKeysWithValues: b.placements.map { ($0.name, $0.start) })
        var callTargets: [Int] = []
        var callbackTargets: [Int] = []
        for (index, instruction) in b.instructions.enumerated() {
            if instruction.isLocalCall { callTargets.append(index + Int(instruction.immediate) + 1) }
            if instruction.isWideLoad, instruction.src == BPFPseudo.function {
                callbackTargets.append(index + Int(instruction.immediate) + 1)
            }
        }
        // entry → clamp_len, entry → classify, classify → clamp_len.
        #expect(Set(callTargets) == [start["clamp_len"]!, start["classify"]!])
        #expect(callTargets.count == 3)
        #expect(callbackTargets == [start["count_cb"]!])
    }

    @Test func funcInfoAndLineInfoFollowThePlacements() throws {
        for program in subprograms.programs {
            let linked = try subprograms.link(program)
            #expect(linked.funcInfo.map { Int($0.instructionIndex) } == linked.placements.map(\.start))
            let lines = linked.lineInfo.map { Int($0.instructionIndex) }
            #expect(!lines.isEmpty)
            #expect(lines.allSatisfy { $0 < linked.instructions.count })
            // Every placement starts with a line record (the kernel requires it for func starts).
            #expect(linked.placements.allSatisfy { placement in lines.contains(placement.start) })
            #expect(linked.sourceLines.contains { $0.file.hasSuffix("subprograms.bpf.c") && !$0.text.isEmpty })
        }
    }

    @Test func mapRelocatorPatchesMadeUpDescriptors() throws {
        let object = try BPFObjectFile(bytes: try Fixtures.bytes("tiny_lb.bpf.o"), name: "tiny_lb")
        let linked = try object.link(try #require(object.program(named: "tiny_lb")))
        let fds: [String: Int32] = ["lb_map": 7, ".rodata.str1.1": 9]
        let patched = try MapRelocator.apply(linked, mapFDs: fds)
        #expect(!linked.relocations.isEmpty)
        for relocation in linked.relocations {
            let first = patched[relocation.instruction], second = patched[relocation.instruction + 1]
            switch relocation.kind {
            case .mapReference(let map):
                #expect(map == "lb_map")
                #expect(first.src == BPFPseudo.mapFD && first.immediate == 7)
            case .mapValue(let map, let offset):
                #expect(map == ".rodata.str1.1")
                #expect(first.src == BPFPseudo.mapValue && first.immediate == 9)
                #expect(second.immediate == Int32(offset))
                #expect(offset >= 0 && offset < 200)
            default:
                Issue.record("unexpected relocation \(relocation.kind)")
            }
        }
        #expect(throws: MapRelocator.Failure.self) { try MapRelocator.apply(linked, mapFDs: ["lb_map": 7]) }
    }

    @Test func globalDataRelocationsCarryTheRightOffsets() throws {
        let object = try BPFObjectFile(bytes: try Fixtures.bytes("global_data.bpf.o"), name: "global_data")
        let linked = try object.link(try #require(object.program(named: "global_data")))
        let values = linked.relocations.compactMap { relocation -> (String, Int, String)? in
            if case let .mapValue(map, offset) = relocation.kind { return (map, offset, relocation.symbol) }
            return nil
        }
        // Named globals carry their offset in st_value (cfg_verbose = 2, udp_count = 4).
        #expect(values.contains { $0 == (".rodata", 2, "cfg_verbose") })
        #expect(values.contains { $0 == (".data.counters", 4, "udp_count") })
        #expect(Set(values.map(\.0)).isSuperset(of: [".data", ".rodata", ".bss", ".data.counters", ".rodata.cfg"]))
    }

    @Test func bigEndianObjectsModelTheSameAsLittleEndian() throws {
        let little = try BPFObjectFile(bytes: try Fixtures.bytes("global_data.bpf.o"))
        let big = try BPFObjectFile(bytes: try Fixtures.bytes("global_data.bpfeb.o"))
        #expect(big.order == .big)
        #expect(little.maps.map(\.name) == big.maps.map(\.name))
        #expect(little.maps.map(\.valueSize) == big.maps.map(\.valueSize))
        let l = try little.link(little.programs[0]), b = try big.link(big.programs[0])
        #expect(l.instructions.count == b.instructions.count)
        #expect(l.relocations == b.relocations)
    }
}
