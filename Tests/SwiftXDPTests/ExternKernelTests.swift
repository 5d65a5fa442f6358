import Foundation
import Testing
@testable import SwiftXDP

/// `Fixtures/externs.bpf.o` against the running kernel: our `.kconfig` bytes and BTF agree
/// with what libbpf (bpftool) builds, and the program loads and runs with our resolution.
@Suite(.serialized) struct ExternKernelTests {
    typealias Support = ExternTestSupport
    static let fixturePath = Support.root.appendingPathComponent("Fixtures/externs.bpf.o").path

    /// What libbpf created for the fixture: its `.kconfig` map and the BTF it loaded.
    struct LibbpfResult {
        var kconfigName: String
        var kconfigFlags: UInt32
        var kconfigValueSize: Int
        var kconfigFrozen: Bool
        var kconfigBytes: [UInt8]
        var btfDump: String
    }

    static func json(_ command: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try Support.run(command)))
    }

    /// Loads the fixture with `bpftool prog loadall`, reads back what libbpf made, and always
    /// removes the pin directory.
    static func loadWithLibbpf() throws -> LibbpfResult {
        _ = try BPFFileSystem.mountIfNeeded()
        let directory = "/sys/fs/bpf/t-swift-xdp-externs-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        defer { _ = try? Support.run("rm -rf '\(directory)'") }
        _ = try Support.run("bpftool prog loadall '\(fixturePath)' '\(directory)'")
        let program = try #require(try json("bpftool -j prog show pinned '\(directory)/xdp_externs'") as? [String: Any])
        let mapIDs = try #require(program["map_ids"] as? [Int])
        for id in mapIDs {
            let map = try #require(try json("bpftool -j map show id \(id)") as? [String: Any])
            guard let name = map["name"] as? String, name.hasSuffix(".kconfig") else { continue }
            let dump = try #require(try json("bpftool -j map dump id \(id)") as? [[String: Any]])
            let value = try #require(dump.first?["value"] as? [String])
            let btfID = try #require(map["btf_id"] as? Int)
            return LibbpfResult(
                kconfigName: name,
                kconfigFlags: UInt32(try #require(map["flags"] as? Int)),
                kconfigValueSize: try #require(map["bytes_value"] as? Int),
                kconfigFrozen: (map["frozen"] as? Int) == 1,
                kconfigBytes: try value.map { try #require(UInt8($0.dropFirst(2), radix: 16)) },
                btfDump: String(decoding: try Support.run("bpftool btf dump id \(btfID)"), as: UTF8.self))
        }
        throw Support.ToolFailure(command: "find the .kconfig map", status: 1, stderr: "libbpf made no .kconfig map")
    }

    @Test(.privileged) func kconfigMapMatchesLibbpf() throws {
        let object = try Support.externsObject()
        let resolution = try ExternResolver.resolveForRunningKernel(object)
        let map = try #require(resolution.kconfigMap)
        let libbpf = try Self.loadWithLibbpf()
        #expect(map.initialData == libbpf.kconfigBytes)
        #expect(Int(map.valueSize) == libbpf.kconfigValueSize)
        #expect(map.flags.rawValue == libbpf.kconfigFlags)
        #expect(libbpf.kconfigFrozen)
        #expect(libbpf.kconfigName == "externs.kconfig")
    }

    @Test(.privileged) func rewrittenBTFMatchesLibbpfAndLoads() throws {
        let object = try Support.externsObject()
        let layout = try KconfigLayout(object: object)
        var btf = try #require(try KernelBTF.prepare(object))
        try ExternBTFFixup.apply(to: &btf, layout: layout)

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("swift-xdp-externs-\(getpid()).btf").path
        try Data(btf.encoded()).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let ours = String(decoding: try Support.run("bpftool btf dump file '\(path)'"), as: UTF8.self)
        #expect(ours == (try Self.loadWithLibbpf()).btfDump)

        // The kernel takes it, and takes the .kconfig DATASEC as the map's value type.
        let handle = try BTFHandle(loading: btf.encoded(), label: "externs")
        let resolution = try ExternResolver.resolveForRunningKernel(object)
        let spec = try #require(resolution.kconfigMap)
        var definition = BPFMapDefinition(type: spec.type, keySize: spec.keySize, valueSize: spec.valueSize,
                                          maxEntries: spec.maxEntries, flags: spec.flags, name: "externs.kconfig")
        definition.btf = BPFMapBTF(handle: handle, keyTypeID: 0, valueTypeID: spec.valueTypeID)
        let map = try BPFMap(definition)
        try map.update(key: [0, 0, 0, 0], value: try #require(spec.initialData))
        try map.freeze()
        #expect(try map.lookup(key: [0, 0, 0, 0]) == spec.initialData)
    }

    @Test(.privileged) func programLoadsAndRunsWithOurResolution() throws {
        let object = try Support.externsObject()
        let linked = try object.link(try #require(object.program(named: "xdp_externs")))
        let resolution = try ExternResolver.resolveForRunningKernel(object)

        let bssSpec = try #require(object.map(named: ".bss"))
        let bss = try BPFMap(BPFMapDefinition(type: bssSpec.type, keySize: bssSpec.keySize, valueSize: bssSpec.valueSize,
                                              maxEntries: 1, flags: bssSpec.flags, name: "externs.bss"))
        let kconfigSpec = try #require(resolution.kconfigMap)
        let kconfig = try BPFMap(BPFMapDefinition(type: kconfigSpec.type, keySize: 4, valueSize: kconfigSpec.valueSize,
                                                  maxEntries: 1, flags: kconfigSpec.flags, name: "externs.kconfig"))
        try kconfig.update(key: [0, 0, 0, 0], value: try #require(kconfigSpec.initialData))
        try kconfig.freeze()

        // Maps first (MapRelocator, extern relocations set aside), then the externs.
        var mapsOnly = linked
        mapsOnly.relocations.removeAll {
            switch $0.kind {
            case .externVariable, .externCall: true
            default: false
            }
        }
        let withMaps = try MapRelocator.apply(mapsOnly, mapFDs: [".bss": bss.fd.rawValue])
        let instructions = try ExternRelocator.apply(linked, to: withMaps, resolution: resolution,
                                                     kconfigMapFD: kconfig.fd.rawValue)
        let program = try BPFProgram(BPFProgramDefinition(
            type: .xdp, expectedAttachType: .xdp, instructions: instructions.flatMap { $0.encoded(order: object.order) },
            license: object.license ?? "GPL", name: "xdp_externs"))
        let run = try program.testRun(BPFTestRunInput(data: [UInt8](repeating: 0, count: 64)))
        #expect(run.returnValue == 2, "XDP_PASS: the kfunc returned the context and the kconfig values are right")

        let bytes = try #require(try bss.lookup(key: [0, 0, 0, 0]))
        func u32(_ at: Int) -> UInt32 { bytes[at..<(at + 4)].reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        let textAddress = bytes[8..<16].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let config = try KernelConfig.load()
        #expect(u32(0) == KernelRelease.versionCode(KernelRelease.forVersionCode()))
        #expect(u32(4) == UInt32(try #require(config["CONFIG_HZ"])))
        #expect(textAddress == (try KernelSymbols.load(names: ["_text"]))["_text"])
    }
}
