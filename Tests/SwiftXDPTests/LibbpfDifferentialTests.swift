import Foundation
import Testing
@testable import SwiftXDP

/// swift-xdp against libbpf: for every fixture and every Debian xdp-tools object that
/// `bpftool prog loadall` loads, `swift-xdp load … --pin` gives the kernel the same program
/// (identical translated instructions, map ids masked) and maps of the same type, sizes and
/// flags.
extension KernelSuites {
@Suite struct LibbpfDifferentialTests {
    /// What the kernel holds for one loaded object, as bpftool reports it.
    struct KernelView: Equatable {
        /// Program name → translated instructions (`bpftool prog dump xlated`), map ids masked.
        var programs: [String: String]
        /// Program name → its maps as "type key value max_entries flags", sorted.
        var maps: [String: [String]]
    }

    @Test(.privileged, arguments: CommandRunner.allObjects)
    func sameProgramsAndMapsAsLibbpf(_ path: String) throws {
        let object = try BPFObjectFile.read(path: path)
        let byNamePins = object.maps.filter { $0.pinning == .byName }.map { "/sys/fs/bpf/" + $0.name }
        let libbpf = try BPFFSDirectory("libbpf")
        let ours = try BPFFSDirectory("ours")
        defer {
            libbpf.remove()
            ours.remove()
            for pin in byNamePins { unlink(pin) }
        }
        guard (try? CommandLine.output("bpftool", ["prog", "loadall", path, libbpf.path])) != nil else {
            // libbpf refuses it too (big-endian, legacy maps, verifier rejection…): nothing to compare.
            return
        }
        let reference = try Self.view(of: libbpf.path)
        libbpf.remove()
        for pin in byNamePins { unlink(pin) }

        _ = try CommandRunner.run(["load", path, "--pin", ours.path])
        let view = try Self.view(of: ours.path)
        #expect(view.programs.keys.sorted() == reference.programs.keys.sorted())
        for (name, instructions) in reference.programs {
            #expect(view.programs[name] == instructions, "\(name): translated instructions differ")
        }
        #expect(view.maps == reference.maps)
    }

    /// Reads what is pinned in `directory` (programs directly in it) through bpftool.
    static func view(of directory: String) throws -> KernelView {
        var view = KernelView(programs: [:], maps: [:])
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0 != "maps" }
        for name in names {
            let pinned = directory + "/" + name
            let xlated = try CommandLine.output("bpftool", ["prog", "dump", "xlated", "pinned", pinned])
            view.programs[name] = maskMapIDs(xlated)
            let show = try JSONSerialization.jsonObject(
                with: Data(try CommandLine.output("bpftool", ["prog", "show", "pinned", pinned, "-j"]).utf8)) as? [String: Any]
            var maps: [String] = []
            for id in (show?["map_ids"] as? [Int]) ?? [] {
                let map = try JSONSerialization.jsonObject(
                    with: Data(try CommandLine.output("bpftool", ["map", "show", "id", String(id), "-j"]).utf8)) as? [String: Any]
                let fields = ["type", "bytes_key", "bytes_value", "max_entries", "flags"].map { "\(map?[$0] ?? "-")" }
                maps.append(fields.joined(separator: " "))
            }
            view.maps[name] = maps.sorted()
        }
        return view
    }

    /// `map[id:7498]` → `map[id:N]`: map ids differ from load to load.
    static func maskMapIDs(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let range = rest.range(of: "map[id:") {
            result += rest[..<range.upperBound]
            rest = rest[range.upperBound...].drop { $0.isNumber }
            result += "N"
        }
        return result + rest
    }
}
}
