/// An object loaded into the kernel: its BTF, maps and programs, each owning a file
/// descriptor. Releasing this value (or calling ``close()``) closes them all; what stays in the
/// kernel afterwards is only what something else holds (an attached program, a pin).
public final class LoadedObject: @unchecked Sendable {
    /// The object it was loaded from.
    public let object: BPFObjectFile
    /// The loaded BTF, if the kernel accepted it.
    public internal(set) var btf: BTFHandle?
    /// Maps in creation order, with the spec each was created from.
    public internal(set) var maps: [(spec: MapSpec, map: BPFMap)] = []
    /// Programs in load order, with the spec each was loaded from.
    public internal(set) var programs: [(spec: ProgramSpec, program: BPFProgram)] = []
    /// Paths this load pinned (removed again if the load fails).
    public internal(set) var createdPins: [String] = []

    init(object: BPFObjectFile) {
        self.object = object
    }

    /// The map called `name` (the object's name for it: `lb_map`, `.rodata`).
    public func map(named name: String) -> BPFMap? { maps.first { $0.spec.name == name }?.map }
    /// The program called `name`.
    public func program(named name: String) -> BPFProgram? { programs.first { $0.spec.name == name }?.program }

    /// Closes every descriptor. Idempotent.
    public func close() {
        for (_, program) in programs { program.close() }
        for (_, map) in maps { map.close() }
        btf?.close()
    }

    /// Removes the pins this load created (rollback); errors are ignored.
    func removeCreatedPins() {
        for path in createdPins.reversed() { _ = unlink(path) }
        createdPins.removeAll()
    }
}

#if canImport(Glibc)
import Glibc
#endif
