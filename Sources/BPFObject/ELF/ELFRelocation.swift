/// One relocation entry, from an `SHT_REL` (`Elf64_Rel`) or `SHT_RELA` (`Elf64_Rela`) section.
public struct ELFRelocation: Sendable, Equatable {
    /// `r_offset`: the byte offset inside the target section to patch.
    public var offset: UInt64
    /// `ELF64_R_SYM(r_info)`: index of the symbol it refers to.
    public var symbolIndex: Int
    /// `ELF64_R_TYPE(r_info)`: the relocation type (see ``BPFRelocationType``).
    public var type: UInt32
    /// `r_addend` for `SHT_RELA` entries; 0 for `SHT_REL`.
    public var addend: Int64
}

/// The BPF relocation types of LLVM's BPF back end (`R_BPF_*`).
public enum BPFRelocationType {
    /// `R_BPF_NONE`.
    public static let none: UInt32 = 0
    /// `R_BPF_64_64`: a 64-bit immediate of an `ld_imm64` (map or data reference).
    public static let r64_64: UInt32 = 1
    /// `R_BPF_64_ABS64`: a 64-bit absolute value in data (e.g. `.maps` `.values` slots).
    public static let abs64: UInt32 = 2
    /// `R_BPF_64_ABS32`: a 32-bit absolute value in data (DWARF and BTF sections).
    public static let abs32: UInt32 = 3
    /// `R_BPF_64_NODYLD32`: a 32-bit value in `.BTF`/`.BTF.ext`, never resolved by loaders.
    public static let nodyld32: UInt32 = 4
    /// `R_BPF_64_32`: the 32-bit immediate of a call instruction.
    public static let call32: UInt32 = 10

    /// Human-readable name of a relocation type, as llvm-readelf prints it.
    public static func name(_ type: UInt32) -> String {
        switch type {
        case none: return "R_BPF_NONE"
        case r64_64: return "R_BPF_64_64"
        case abs64: return "R_BPF_64_ABS64"
        case abs32: return "R_BPF_64_ABS32"
        case nodyld32: return "R_BPF_64_NODYLD32"
        case call32: return "R_BPF_64_32"
        default: return "R_BPF_\(type)"
        }
    }
}

/// A relocation section (`.rel<target>`) with its entries decoded.
///
/// ``ELFFile`` checks every relocation section when it reads the file but decodes a table's
/// entries only when asked (``ELFFile/relocations(forSection:)``): most of them patch DWARF and
/// BTF, which no loader step reads (their symbol indices are checked then, too).
public struct ELFRelocationTable: Sendable, Equatable {
    /// The relocation section itself.
    public var section: ELFSection
    /// Index of the section the entries patch (`sh_info`).
    public var targetSectionIndex: Int
    /// The entries, in file order.
    public var entries: [ELFRelocation]
}

/// Where a relocation section's entries are, checked when the file is read (size, target
/// section; every entry's symbol index when the target is loadable) and decoded on demand.
struct ELFRelocationSection: Sendable {
    /// Index of the relocation section in the section header table.
    var sectionIndex: Int
    /// Index of the section its entries patch (`sh_info`).
    var targetSectionIndex: Int
    /// File offset of the first entry (`sh_offset`).
    var offset: Int
    /// True for `SHT_RELA` (`Elf64_Rela`, with addends), false for `SHT_REL`.
    var hasAddend: Bool
    /// Number of entries.
    var count: Int
    /// True once every entry's symbol index is known to be inside the symbol table: when the
    /// file is read for tables that patch loadable sections, on first decoding for the others.
    var entriesChecked: Bool

    /// The size of one entry.
    var entrySize: Int { hasAddend ? ELF.relaSize : ELF.relSize }
}
