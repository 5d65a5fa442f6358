import Testing
@testable import BPFObject

/// Map definitions of every origin, checked against what the fixture sources declare
/// (Fixtures/README.md).
@Suite struct MapReaderTests {
    func object(_ name: String) throws -> BPFObjectFile {
        try BPFObjectFile(bytes: try Fixtures.bytes(name), name: name)
    }

    @Test func btfMapsReadEveryAttribute() throws {
        let maps = try object("map_kinds.bpf.o")
        let blocked = try #require(maps.map(named: "blocked"))
        #expect(blocked.type == .bloomFilter && blocked.keySize == 0 && blocked.valueSize == 4)
        #expect(blocked.maxEntries == 256 && blocked.mapExtra == 3)
        let flows = try #require(maps.map(named: "flows"))
        #expect(flows.type == .hash && flows.flags == .noPrealloc && flows.maxEntries == 1024)
        let btf = try #require(maps.btf)
        #expect(btf.name(of: flows.keyTypeID) == "flow_key")
        #expect(btf.name(of: flows.valueTypeID) == "flow_stats")
        let cpu = try #require(maps.map(named: "cpu_stats"))
        #expect(cpu.type == .percpuArray && cpu.keySize == 4 && cpu.valueSize == 16 && cpu.keyTypeID == 0)
        #expect(try #require(maps.map(named: "pinned_hits")).pinning == .byName)
        let recent = try #require(maps.map(named: "recent"))
        #expect(recent.type == .lruHash && recent.flags == .numaNode && recent.numaNode == 0)
        #expect(try #require(maps.map(named: "events")).type == .ringbuf)
        #expect(try #require(maps.map(named: "ports")).type == .devmap)
    }

    @Test func enumEncodedMapExtra() throws {
        let map = try #require(try object("map_extra_ulong.bpf.o").map(named: "seen_ports"))
        #expect(map.type == .bloomFilter && map.mapExtra == 5 && map.valueSize == 2 && map.maxEntries == 1024)
    }

    @Test func valuesInitialiseProgArraysAndMapInMaps() throws {
        let maps = try object("prog_array.bpf.o")
        let jumps = try #require(maps.map(named: "jump_table"))
        #expect(jumps.type == .progArray && jumps.keySize == 4 && jumps.valueSize == 4)
        #expect(jumps.initialSlots == [.init(index: 0, target: .program("xdp_stage_a")),
                                       .init(index: 2, target: .program("xdp_stage_b"))])
        let outer = try #require(maps.map(named: "outer_map"))
        #expect(outer.type == .arrayOfMaps && outer.valueSize == 4)
        #expect(outer.initialSlots == [.init(index: 1, target: .map("inner_b"))])
        let inner = try #require(outer.innerMap?.spec)
        #expect(inner.type == .array && inner.keySize == 4 && inner.valueSize == 8 && inner.maxEntries == 4)
    }

    @Test func legacyBpfMapDefRecords() throws {
        let maps = try object("legacy_maps.bpf.o").maps.filter { $0.origin == .legacy }
        #expect(maps.map(\.name) == ["packet_counts", "seen_sources", "cpu_totals"])
        #expect(maps.map(\.type) == [.array, .hash, .percpuArray])
        #expect(maps.map(\.maxEntries) == [256, 1024, 1])
        #expect(maps[1].flags == .noPrealloc)
        #expect(maps.allSatisfy { $0.keySize == 4 && $0.valueSize == 8 })
    }

    @Test func iproute2ElfMapRecords() throws {
        let maps = try object("iproute2_maps.bpf.o").maps.filter { $0.origin == .iproute2 }
        #expect(maps.map(\.name) == ["tc_counter", "shared_verdicts"])
        #expect(maps[0].type == .array && maps[0].maxEntries == 2 && maps[0].pinning == .none)
        #expect(maps[1].type == .hash && maps[1].valueSize == 4 && maps[1].pinning == .byName)
        #expect(maps[1].iproute2IDs == [1])
    }

    @Test func globalDataSectionsBecomeArrayMaps() throws {
        let object = try object("global_data.bpf.o")
        let data = object.maps.filter { $0.origin == .data }
        #expect(Set(data.map(\.name)) == [".data", ".rodata", ".bss", ".data.counters", ".rodata.cfg",
                                          ".rodata.str1.1", ".rodata.cst16"])
        for map in data {
            #expect(map.type == .array && map.keySize == 4 && map.maxEntries == 1)
            #expect(map.initialData?.count == Int(map.valueSize))
            #expect(map.isReadOnlyData == map.flags.contains(.readOnlyProgram))
        }
        #expect(try #require(object.map(named: ".bss")).initialData!.allSatisfy { $0 == 0 })
        // .rodata's value type is its DATASEC.
        let rodata = try #require(object.map(named: ".rodata"))
        #expect(object.btf?.name(of: rodata.valueTypeID) == ".rodata")
    }

    @Test func externsAreListedAndClassified() throws {
        let object = try object("externs.bpf.o")
        let byName = Dictionary(uniqueKeysWithValues: object.externs.map { ($0.name, $0) })
        #expect(byName["LINUX_KERNEL_VERSION"]?.kind == .kconfig)
        #expect(byName["CONFIG_HZ"]?.isWeak == true)
        #expect(byName["_text"]?.kind == .ksym)
        #expect(byName["bpf_cast_to_kern_ctx"]?.kind == .kfunc)
        #expect(byName["bpf_cast_to_kern_ctx"]?.isUsed == true)
    }

    @Test func licenseAndProgramKinds() throws {
        let object = try object("sections.bpf.o")
        #expect(object.license == "GPL")
        let types = Dictionary(uniqueKeysWithValues: object.programs.map { ($0.name, $0.kind?.programType) })
        #expect(types["tc_pass"] == .schedCls)
        #expect(types["socket_snap"] == .socketFilter)
        #expect(types["kprobe_unlinkat"] == .kprobe)
        #expect(types["xdp_devmap_egress"] == .xdp)
        let frags = try self.object("xdp_frags.bpf.o").programs[0]
        #expect(frags.kind?.programFlags.contains(.xdpHasFrags) == true)
    }
}
