#if canImport(Glibc)
import Glibc
#endif

extension LoadedObject {
    /// Pins every program at `directory/<program name>` and every map at
    /// `directory/maps/<map name>` (what `bpftool prog loadall OBJ DIR pinmaps DIR/maps` does).
    /// bpffs refuses `.` in names, so `.rodata` is pinned as `_rodata`, as libbpf does.
    /// The directories are created in bpffs if needed. On failure, the pins made here are
    /// removed again.
    public func pin(in directory: String) throws(LoadError) {
        let mapDirectory = directory + "/maps"
        var made: [String] = []
        do {
            for path in [directory, mapDirectory] where access(path, F_OK) != 0 {
                guard mkdir(path, 0o755) == 0 else { throw Errno(rawValue: errno) }
            }
            for (spec, program) in programs {
                let path = directory + "/" + Self.pinName(spec.name)
                try program.pin(at: path)
                made.append(path)
            }
            for (spec, map) in maps {
                let path = mapDirectory + "/" + Self.pinName(spec.name)
                try map.pin(at: path)
                made.append(path)
            }
        } catch {
            for path in made.reversed() { unlink(path) }
            throw LoadError(.pin, directory, error)
        }
    }

    /// The bpffs file name for an object called `name`: `.` becomes `_`.
    public static func pinName(_ name: String) -> String {
        String(name.map { $0 == "." ? "_" : $0 })
    }
}
