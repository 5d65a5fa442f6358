/// Prepares an object's `.BTF` for `BPF_BTF_LOAD`, a pure step.
///
/// clang leaves every DATASEC's size and its variables' offsets at 0; the kernel checks them.
/// For each DATASEC other than the extern sections (`.kconfig`, `.ksyms`, laid out by the
/// extern resolver), the size becomes the ELF section's size and each VAR's offset its
/// symbol's `st_value`. Global variables with hidden or internal visibility become static (as
/// libbpf does), and each DATASEC's entries are sorted by offset, as the kernel requires.
public enum KernelBTF {
    /// A DATASEC that cannot be fixed up.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// The DATASEC's name.
        public var section: String
        /// What is missing.
        public var reason: String
        public var description: String { "BTF DATASEC \(section): \(reason)" }
    }

    /// The object's BTF, fixed up for the kernel; nil when the object has no `.BTF`.
    public static func prepare(_ object: BPFObjectFile) throws(Failure) -> BTF? {
        guard var btf = object.btf else { return nil }
        let elf = object.elf
        let symbols = elf.symbols
        for id in btf.dataSectionIDs {
            guard case let .dataSection(section)? = btf.type(id) else { continue }
            if section.name == ".kconfig" || section.name == ".ksyms" {
                try sortEntries(&btf, id, section)
                continue
            }
            var size = section.size
            var fixOffsets = false
            if size == 0 {
                guard let elfSection = elf.section(named: section.name), elfSection.size > 0 else {
                    throw Failure(section: section.name, reason: "no ELF section of that name gives its size")
                }
                size = UInt32(clamping: elfSection.size)
                fixOffsets = true
                do { try btf.setDataSection(id, size: size) } catch { throw Failure(section: section.name, reason: "\(error)") }
            }
            for (index, entry) in section.variables.enumerated() {
                guard let variable = btf.variable(entry.type) else { continue }
                guard let symbol = symbols.first(where: {
                    $0.name == variable.name && $0.kind == .object && !$0.isUndefined
                }) else {
                    throw Failure(section: section.name, reason: "no ELF symbol for variable '\(variable.name)'")
                }
                if fixOffsets {
                    do {
                        try btf.setDataSectionEntry(id, index: index, offset: UInt32(clamping: symbol.value),
                                                    size: entry.size)
                    } catch {
                        throw Failure(section: section.name, reason: "\(error)")
                    }
                }
                // STV_HIDDEN (2) / STV_INTERNAL (1) globals are not visible outside: static.
                if symbol.visibility == 1 || symbol.visibility == 2, variable.linkage == .global,
                   var raw = btf.rawType(entry.type) {
                    raw.trailing[0] = BTFVariableLinkage.static.rawValue
                    do { try btf.replace(entry.type, with: raw) } catch {
                        throw Failure(section: section.name, reason: "\(error)")
                    }
                }
            }
            if case let .dataSection(updated)? = btf.type(id) { try sortEntries(&btf, id, updated) }
        }
        return btf
    }

    /// Reorders a DATASEC's `btf_var_secinfo` entries (three words each) by offset.
    private static func sortEntries(_ btf: inout BTF, _ id: BTFTypeID, _ section: BTFDataSection) throws(Failure) {
        let sorted = section.variables.sorted { $0.offset < $1.offset }
        guard sorted != section.variables, var raw = btf.rawType(id) else { return }
        raw.trailing = sorted.flatMap(\.words)
        do { try btf.replace(id, with: raw) } catch { throw Failure(section: section.name, reason: "\(error)") }
    }
}
