/// What a loader does with an ELF section of a BPF object, decided by its name, type and flags
/// (libbpf's conventions).
public enum SectionRole: Sendable, Equatable {
    /// Instructions of entry programs (`xdp`, `tc`, `kprobe/…`): any executable section but `.text`.
    case programs
    /// `.text`: subprograms called from programs.
    case subprograms
    /// `.maps`: BTF-defined maps.
    case btfMaps
    /// `maps`: legacy map definitions (`bpf_map_def` or iproute2's `bpf_elf_map`).
    case legacyMaps
    /// `.data*`: writable global data.
    case data
    /// `.rodata*`: read-only global data (constants, string literals).
    case rodata
    /// `.bss*`: zero-initialised global data.
    case bss
    /// `license`: the license string.
    case license
    /// `version`: the kernel version (u32) for old kprobe programs.
    case version
    /// `.BTF`: type information.
    case btf
    /// `.BTF.ext`: func_info, line_info and CO-RE records.
    case btfExt
    /// A relocation table (`.rel*`).
    case relocations
    /// The symbol table or a string table.
    case symbols
    /// DWARF debug information (`.debug_*`) or other sections loaders ignore.
    case ignored

    /// Classifies `section`.
    public init(_ section: ELFSection) {
        let name = section.name
        switch section.type {
        case ELFSectionType.rel, ELFSectionType.rela:
            self = .relocations
            return
        case ELFSectionType.symtab, ELFSectionType.strtab, ELFSectionType.symtabShndx:
            self = .symbols
            return
        case ELFSectionType.null, ELFSectionType.llvmAddrsig:
            self = .ignored
            return
        default:
            break
        }
        if section.isExecutable {
            self = name == ".text" ? .subprograms : .programs
        } else if name == ".maps" {
            self = .btfMaps
        } else if name == "maps" || name.hasPrefix("maps/") {
            self = .legacyMaps
        } else if name == ".BTF" {
            self = .btf
        } else if name == ".BTF.ext" {
            self = .btfExt
        } else if name == "license" {
            self = .license
        } else if name == "version" {
            self = .version
        } else if Self.matches(name, ".data") {
            self = .data
        } else if Self.matches(name, ".rodata") {
            self = .rodata
        } else if Self.matches(name, ".bss") {
            self = .bss
        } else {
            self = .ignored
        }
    }

    /// True for `base` itself or `base.` followed by anything (`.rodata`, `.rodata.str1.1`).
    private static func matches(_ name: String, _ base: String) -> Bool {
        name == base || name.hasPrefix(base + ".")
    }

    /// True for the global-data roles, each of which becomes an internal ARRAY map.
    public var isGlobalData: Bool { self == .data || self == .rodata || self == .bss }
}
