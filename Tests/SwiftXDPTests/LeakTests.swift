import Foundation
import Testing
@testable import SwiftXDP

extension KernelSuites {
/// Loading and releasing an object 1000 times in one process leaves nothing behind: no open
/// descriptor refers to any program or map it made, and the kernel no longer has them.
///
/// The check follows this test's own objects by kernel id, because other suites run in the
/// same process at the same time and move the global descriptor and object counts.
@Suite struct LeakTests {
    @Test(.privileged)
    func thousandLoadsLeaveNothingBehind() throws {
        let object = try BPFObjectFile.read(path: CommandRunner.fixture("global_data.bpf.o"))
        var programIDs = Set<UInt32>()
        var mapIDs = Set<UInt32>()
        for _ in 0..<1000 {
            let loaded = try ObjectLoader.load(object)
            #expect(loaded.maps.count == 8)
            for (_, program) in loaded.programs { programIDs.insert(try program.info(details: false).id) }
            for (_, map) in loaded.maps { mapIDs.insert(try map.info().id) }
            loaded.close()
        }
        // A failing load rolls back too.
        var options = LoadOptions()
        options.programs = ["no_such_program"]
        #expect(throws: LoadError.self) { try ObjectLoader.load(object, options: options) }
        #expect(programIDs.count == 1000 && mapIDs.count == 8000)

        // No descriptor of this process refers to them.
        let held = try Self.bpfObjectsHeldByThisProcess()
        #expect(held.programs.isDisjoint(with: programIDs), "descriptors still refer to programs of this test")
        #expect(held.maps.isDisjoint(with: mapIDs), "descriptors still refer to maps of this test")
        // And the kernel frees them (maps a moment after their programs: an RCU grace period).
        var alive = (programs: programIDs.count, maps: mapIDs.count)
        for _ in 0..<50 {
            alive = (Set(try BPFObjectKind.program.ids()).intersection(programIDs).count,
                     Set(try BPFObjectKind.map.ids()).intersection(mapIDs).count)
            if alive == (0, 0) { break }
            usleep(100_000)
        }
        #expect(alive.programs == 0 && alive.maps == 0, "\(alive) still in the kernel")
    }

    /// Ids of the programs and maps the open descriptors of this process refer to, from the
    /// `prog_id:` / `map_id:` lines of `/proc/self/fdinfo/*`.
    static func bpfObjectsHeldByThisProcess() throws -> (programs: Set<UInt32>, maps: Set<UInt32>) {
        var programs = Set<UInt32>(), maps = Set<UInt32>()
        for fd in try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fdinfo") {
            guard let text = try? String(contentsOfFile: "/proc/self/fdinfo/\(fd)", encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, let id = UInt32(parts[1]) else { continue }
                if parts[0] == "prog_id" { programs.insert(id) }
                if parts[0] == "map_id" { maps.insert(id) }
            }
        }
        return (programs, maps)
    }
}
}
