import Foundation
import Testing
@testable import SwiftXDP
@testable import SwiftXDPCommands

/// `swift-xdp inspect` prints valid, stable JSON listing exactly the object's programs and
/// maps, and readable text with disassembly and source lines.
@Suite(.serialized) struct InspectCommandTests {
    @Test(arguments: CommandRunner.allObjects)
    func jsonListsExactlyTheObjectsProgramsAndMaps(_ path: String) throws {
        let output = try CommandRunner.run(["inspect", path, "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let object = try BPFObjectFile.read(path: path)
        let programs = try #require(json["programs"] as? [[String: Any]])
        let maps = try #require(json["maps"] as? [[String: Any]])
        #expect(programs.compactMap { $0["name"] as? String } == object.programs.map(\.name))
        #expect(maps.compactMap { $0["name"] as? String } == object.maps.map(\.name))
        for key in ["object", "byteOrder", "license", "programs", "maps", "globalData", "externs", "subprograms"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        // Stable: the same input gives the same bytes.
        #expect(try CommandRunner.run(["inspect", path, "--json"]) == output)
    }

    @Test func jsonDescribesTinyLB() throws {
        let output = try CommandRunner.run(["inspect", CommandRunner.fixture("tiny_lb.bpf.o"), "--json", "--disasm"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let program = try #require((json["programs"] as? [[String: Any]])?.first)
        #expect(program["name"] as? String == "tiny_lb")
        #expect(program["type"] as? String == "xdp")
        #expect(program["section"] as? String == "xdp")
        let relocations = try #require(program["relocations"] as? [[String: Any]])
        #expect(relocations.contains { $0["kind"] as? String == "map" && $0["target"] as? String == "lb_map" })
        let map = try #require((json["maps"] as? [[String: Any]])?.first { $0["name"] as? String == "lb_map" })
        #expect(map["type"] as? String == "hash")
        #expect(map["keySize"] as? Int == 4 && map["valueSize"] as? Int == 4 && map["maxEntries"] as? Int == 64)
        #expect(map["keyType"] as? String == "__u32")
        let lines = try #require(program["disassembly"] as? [[String: Any]])
        #expect(lines.contains { ($0["text"] as? String)?.contains("map lb_map") == true })
        #expect(lines.contains { ($0["source"] as? String)?.contains("bpf_map_lookup_elem") == true })
    }

    @Test func textShowsLinkedSubprogramsAndSource() throws {
        let output = try CommandRunner.run(["inspect", CommandRunner.fixture("subprograms.bpf.o"), "--disasm",
                                            "--program", "xdp_entry_b"])
        #expect(output.contains("xdp_entry_b  section xdp  xdp"))
        #expect(output.contains("calls clamp_len, count_cb, classify"))
        #expect(output.contains("call clamp_len"))
        #expect(output.contains("func_addr count_cb"))
        #expect(output.contains("call bpf_loop"))
        #expect(output.contains("; bpf_loop(16, count_cb, &state, 0);"))
    }

    @Test func unknownProgramAndUnreadableFileAreClearErrors() throws {
        #expect(throws: CommandFailure.self) {
            _ = try CommandRunner.run(["inspect", CommandRunner.fixture("tiny_lb.bpf.o"), "--program", "nope"])
        }
        do {
            _ = try CommandRunner.run(["inspect", "/nonexistent/x.o"])
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("cannot read /nonexistent/x.o: No such file or directory"))
        }
        do {
            _ = try CommandRunner.run(["inspect", "/bin/true"])
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("ELF header at offset"))
        }
    }
}
