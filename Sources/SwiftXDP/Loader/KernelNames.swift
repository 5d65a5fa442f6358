/// The names swift-xdp gives kernel objects, following libbpf so that tools show the same
/// names (`bpftool map show`): BTF and legacy maps keep their variable name; internal maps of
/// the standard sections are `<first 8 characters of the object name><section>`
/// (`xdp_prox.rodata`); custom sections keep their own name (`.rodata.str1.1`). Characters
/// the kernel refuses become `_`; the kernel keeps at most 15 characters. The prefix is 8
/// characters for `.data`/`.rodata`/`.bss` and 7 for `.kconfig` (`xdp_pro.kconfig`).
public enum KernelNames {
    /// Sections whose internal map name gets the object-name prefix.
    static let prefixedSections: Set<String> = [".data", ".rodata", ".bss", ".kconfig"]

    /// The kernel name of `map` from object `objectName`.
    public static func mapName(_ map: MapSpec, objectName: String) -> String {
        guard map.origin == .data || map.origin == .kconfig else { return map.name }
        var name = map.sectionName
        if prefixedSections.contains(map.sectionName) {
            // libbpf keeps as much of the object name as fits before a suffix of at least 7.
            let prefix = max(0, 15 - max(7, map.sectionName.count))
            name = String(objectName.prefix(prefix)) + map.sectionName
        }
        return sanitized(name)
    }

    /// `name` with every character other than letters, digits, `_` and `.` replaced by `_`,
    /// cut to 15 characters (`BPF_OBJ_NAME_LEN - 1`).
    public static func sanitized(_ name: String) -> String {
        let allowed = name.unicodeScalars.prefix(15).map { scalar -> Character in
            let ok = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                                        || scalar == "_" || scalar == ".")
            return ok ? Character(scalar) : "_"
        }
        return String(allowed)
    }
}
