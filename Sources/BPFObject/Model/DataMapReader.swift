/// Turns each global-data section (`.data*`, `.rodata*`, `.bss*`) into the internal ARRAY map
/// that holds it: key 4 bytes, one entry, value = the whole section.
///
/// `.rodata*` maps get `BPF_F_RDONLY_PROG` (the loader freezes them after filling them);
/// all get `BPF_F_MMAPABLE` as libbpf does for global data. `.bss` holds zeros.
enum DataMapReader {
    static func read(_ elf: ELFFile, section: ELFSectionHeader, role: SectionRole) -> MapSpec? {
        guard section.size > 0 else { return nil }
        let name = elf.name(of: section)
        var flags = BPFMapFlags.mmapable
        if role == .rodata { flags.insert(.readOnlyProgram) }
        var spec = MapSpec(name: name, origin: .data, sectionName: name, symbolOffset: 0,
                           type: .array, keySize: 4, valueSize: UInt32(clamping: section.size), maxEntries: 1,
                           flags: flags)
        spec.initialData = role == .bss ? [UInt8](repeating: 0, count: section.size) : Array(elf.data(of: section))
        return spec
    }
}
