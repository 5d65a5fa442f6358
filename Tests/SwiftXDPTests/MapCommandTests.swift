import Foundation
import Testing
@testable import SwiftXDP
@testable import SwiftXDPCommands

extension KernelSuites {
/// `swift-xdp map` on pinned maps: typed keys and values from the map's BTF, raw hex, per-CPU
/// values, JSON, and clear errors.
@Suite struct MapCommandTests {
    @Test(.privileged)
    func typedUpdateLookupDumpDelete() throws {
        let pins = try BPFFSDirectory("map")
        defer { pins.remove() }
        _ = try CommandRunner.run(["load", CommandRunner.fixture("tiny_lb.bpf.o"), "--pin", pins.path])
        let map = pins.path + "/maps/lb_map"
        #expect(try CommandRunner.run(["map", "update", "2", "0xC6120002", "--pinned", map]).contains("updated"))
        _ = try CommandRunner.run(["map", "update", "3", "3323068419", "--pinned", map])
        #expect(try CommandRunner.run(["map", "lookup", "2", "--pinned", map]) == "2: 3323068418\n")
        // Host byte order of the value type: 0xC6120002 is stored as 02 00 12 c6 on little-endian.
        #expect(try CommandRunner.run(["map", "lookup", "02000000", "--pinned", map, "--hex"]) == "02 00 00 00: 02 00 12 c6\n")
        let json = try CommandRunner.run(["map", "dump", "--pinned", map, "--json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Int]])
        #expect(Set(entries.map { $0["key"]! }) == [2, 3])
        #expect(entries.first { $0["key"] == 3 }?["value"] == 3_323_068_419)
        _ = try CommandRunner.run(["map", "delete", "2", "--pinned", map])
        #expect(try CommandRunner.run(["map", "dump", "--pinned", map]) == "3: 3323068419\n")
    }

    @Test(.privileged)
    func structsAndPerCPUValues() throws {
        let pins = try BPFFSDirectory("map")
        defer {
            pins.remove()
            unlink("/sys/fs/bpf/pinned_hits")
        }
        _ = try CommandRunner.run(["load", CommandRunner.fixture("map_kinds.bpf.o"), "--pin", pins.path])
        let flows = pins.path + "/maps/flows"
        let dump = try CommandRunner.run(["map", "dump", "--pinned", flows])
        #expect(dump.contains("is empty"))
        let keyText = try CommandRunner.run(["inspect", CommandRunner.fixture("map_kinds.bpf.o"), "--json"])
        #expect(keyText.contains("struct flow_key"))
        // A per-CPU array: one value per possible CPU.
        let cpu = pins.path + "/maps/cpu_stats"
        _ = try CommandRunner.run(["map", "update", "00000000", "00112233445566778899aabbccddeeff", "--pinned", cpu, "--hex"])
        let line = try CommandRunner.run(["map", "lookup", "00000000", "--pinned", cpu, "--hex"])
        #expect(line.hasPrefix("00 00 00 00: cpu0=00 11 22 33"))
        #expect(line.components(separatedBy: "cpu").count - 1 == PossibleCPUs.count)
        // dump reads it with BPF_MAP_LOOKUP_BATCH: every index, the same per-CPU values
        let dumped = try CommandRunner.run(["map", "dump", "--pinned", cpu, "--hex"]).split(separator: "\n")
        #expect(dumped.first.map(String.init) == line.trimmingCharacters(in: .newlines))
        let info = try BPFMap(pinnedAt: cpu)
        defer { info.close() }
        #expect(dumped.count == Int(info.maxEntries))
    }

    @Test(.privileged)
    func badInputIsExplained() throws {
        let pins = try BPFFSDirectory("map")
        defer { pins.remove() }
        _ = try CommandRunner.run(["load", CommandRunner.fixture("tiny_lb.bpf.o"), "--pin", pins.path])
        let map = pins.path + "/maps/lb_map"
        func failure(_ arguments: [String]) -> String {
            do { _ = try CommandRunner.run(arguments); return "no error" } catch { return "\(error)" }
        }
        #expect(failure(["map", "update", "abc", "1", "--pinned", map]).contains("expected an integer for __u32, got 'abc'"))
        #expect(failure(["map", "update", "2", "0x1FFFFFFFF", "--pinned", map]).contains("does not fit in __u32"))
        #expect(failure(["map", "lookup", "9", "--pinned", map]).contains("no entry for key 9"))
        #expect(failure(["map", "dump", "--pinned", pins.path + "/maps/nothing"]).contains("No such file"))
        #expect(failure(["map", "dump", "lb_map"]).contains("exactly one of --dev IF, --pinned PATH or --id N"))
    }
}
}
