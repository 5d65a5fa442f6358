import Foundation
import Testing
@testable import SwiftXDP

/// Loading whole objects into the kernel: every loadable fixture loads, a rejected program
/// reports the verifier log with its C source line, and every failure rolls back.
extension KernelSuites {
@Suite struct ObjectLoaderTests {
    /// Fixtures the kernel accepts (Fixtures/README.md).
    static let loadable = ["externs.bpf.o", "xdp-proxy.bpf.o", "xdp-proxy.libbpf.bpf.o", "tiny_lb.bpf.o", "xdp_pass.bpf.o",
                           "global_data.bpf.o", "subprograms.bpf.o", "prog_array.bpf.o", "map_kinds.bpf.o",
                           "map_extra_ulong.bpf.o", "xdp_frags.bpf.o", "sections.bpf.o"]

    func object(_ name: String) throws -> BPFObjectFile {
        try BPFObjectFile.read(path: CommandRunner.fixture(name))
    }

    @Test(.privileged, arguments: loadable)
    func fixtureLoads(_ name: String) throws {
        let pins = try BPFFSDirectory("load")
        defer { pins.remove() }
        var options = LoadOptions()
        options.pinRoot = pins.path
        let loaded = try ObjectLoader.load(try object(name), options: options)
        defer { loaded.close() }
        #expect(loaded.programs.map(\.spec.name) == loaded.object.programs.map(\.name))
        // Every map of the object, plus the internal .kconfig map when it has kconfig externs.
        let kconfig = loaded.object.externs.contains { $0.kind == .kconfig } ? 1 : 0
        #expect(loaded.maps.count == loaded.object.maps.count + kconfig)
        #expect(loaded.btf != nil, "the kernel accepts our fixed-up BTF")
        for (spec, program) in loaded.programs {
            let info = try program.info()
            #expect(info.name == String(spec.name.prefix(15)))
        }
    }

    @Test(.privileged)
    func globalDataIsFilledAndRodataFrozen() throws {
        let loaded = try ObjectLoader.load(try object("global_data.bpf.o"))
        defer { loaded.close() }
        let rodata = try #require(loaded.map(named: ".rodata"))
        let spec = try #require(loaded.object.map(named: ".rodata"))
        #expect(try rodata.lookup(key: [0, 0, 0, 0]) == spec.initialData)
        #expect(throws: BPFError.self) { try rodata.update(key: [0, 0, 0, 0], value: spec.initialData!) }
        let info = try rodata.info()
        #expect(info.name == "global_d.rodata")
        #expect(info.flags.contains(.readOnlyProgram))
        #expect(try #require(loaded.map(named: ".data.counters")).info().name == ".data.counters")
    }

    @Test(.privileged)
    func progArraySlotsAreFilled() throws {
        let loaded = try ObjectLoader.load(try object("prog_array.bpf.o"))
        defer { loaded.close() }
        let jumps = try #require(loaded.map(named: "jump_table"))
        #expect(try jumps.lookup(key: [0, 0, 0, 0]) != nil)
        #expect(try jumps.lookup(key: [1, 0, 0, 0]) == nil)
        #expect(try jumps.lookup(key: [2, 0, 0, 0]) != nil)
        #expect(try #require(loaded.map(named: "outer_map")).lookup(key: [1, 0, 0, 0]) != nil)
    }

    @Test(.privileged)
    func verifierRejectionCarriesTheLogWithSource() throws {
        let file = try object("verifier_reject.bpf.o")
        let before = try KernelObjects.openFDs()
        do {
            _ = try ObjectLoader.load(file)
            Issue.record("the verifier accepted it")
        } catch {
            #expect(error.step == .loadPrograms)
            #expect(error.subject == "xdp_unchecked_read")
            let log = try #require(error.verifierLog)
            #expect(log.contains("invalid access to packet"))
            #expect(log.contains("verifier_reject.bpf.c:21"))
        }
        // Rollback leaves nothing behind: no descriptor here, no such program in the kernel.
        #expect(try KernelObjects.openFDs() == before)
        #expect(try !CommandLine.output("bpftool", ["prog", "show"]).contains("xdp_unchecked_r"))
    }

    @Test(.privileged)
    func pinnedByNameMapsAreReusedAndRollbackRemovesNewPins() throws {
        let pins = try BPFFSDirectory("pin")
        defer { pins.remove() }
        var options = LoadOptions()
        options.pinRoot = pins.path
        let first = try ObjectLoader.load(try object("map_kinds.bpf.o"), options: options)
        #expect(first.createdPins == [pins.path + "/pinned_hits"])
        let hits = try #require(first.map(named: "pinned_hits"))
        try hits.update(key: [7, 0, 0, 0], value: [42, 0, 0, 0, 0, 0, 0, 0])
        first.close()
        // A second load reuses the pinned map, with its contents.
        let second = try ObjectLoader.load(try object("map_kinds.bpf.o"), options: options)
        defer { second.close() }
        #expect(second.createdPins.isEmpty)
        #expect(try second.map(named: "pinned_hits")?.lookup(key: [7, 0, 0, 0]) == [42, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func bigEndianObjectsAreRefusedClearly() throws {
        let file = try object("xdp_pass.bpfeb.o")
        do {
            _ = try ObjectLoader.load(file)
            Issue.record("loaded a big-endian object")
        } catch {
            #expect(error.step == .readObject)
            #expect("\(error)".contains("big-endian"))
        }
    }

    @Test func unknownProgramIsNamed() throws {
        var options = LoadOptions()
        options.programs = ["nope"]
        #expect(throws: LoadError.self) { try ObjectLoader.load(try object("tiny_lb.bpf.o"), options: options) }
    }
}
}
