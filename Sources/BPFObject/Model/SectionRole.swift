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
        var name = section.name
        self = name.withUTF8 { Self(type: section.type, flags: section.flags, name: $0) }
    }

    /// Classifies section `header` of `elf`, comparing its name's bytes in the name table
    /// (only when its type does not decide: relocation and string tables need no name).
    init(_ header: ELFSectionHeader, in elf: ELFFile) {
        if let role = Self.role(ofType: header.type) {
            self = role
            return
        }
        self = elf.withName(of: header) { Self(type: header.type, flags: header.flags, name: $0) }
    }

    /// The role every section of type `type` has, whatever its name, if there is one.
    private static func role(ofType type: UInt32) -> SectionRole? {
        switch type {
        case ELFSectionType.rel, ELFSectionType.rela: .relocations
        case ELFSectionType.symtab, ELFSectionType.strtab, ELFSectionType.symtabShndx: .symbols
        case ELFSectionType.null, ELFSectionType.llvmAddrsig: .ignored
        default: nil
        }
    }

    /// Classifies a section by its type, flags and name (UTF-8 bytes).
    private init(type: UInt32, flags: UInt64, name: UnsafeBufferPointer<UInt8>) {
        if let role = Self.role(ofType: type) {
            self = role
            return
        }
        if flags & ELFSectionFlags.execInstr != 0 {
            self = name.equals(".text") ? .subprograms : .programs
            return
        }
        // Compared as bytes against static strings: no String is built or compared per section.
        self = Self.classifyData(name)
    }

    /// The role of a non-executable section called `name` (UTF-8 bytes).
    private static func classifyData(_ name: UnsafeBufferPointer<UInt8>) -> SectionRole {
        /// `base` itself or `base.` followed by anything (`.rodata`, `.rodata.str1.1`).
        func isFamily(_ base: StaticString) -> Bool {
            name.starts(with: base)
                && (name.count == base.utf8CodeUnitCount || name[base.utf8CodeUnitCount] == UInt8(ascii: "."))
        }
        if name.equals(".maps") { return .btfMaps }
        if name.equals("maps") || name.starts(with: "maps/") { return .legacyMaps }
        if name.equals(".BTF") { return .btf }
        if name.equals(".BTF.ext") { return .btfExt }
        if name.equals("license") { return .license }
        if name.equals("version") { return .version }
        if isFamily(".data") { return .data }
        if isFamily(".rodata") { return .rodata }
        if isFamily(".bss") { return .bss }
        return .ignored
    }

    /// True for the global-data roles, each of which becomes an internal ARRAY map.
    public var isGlobalData: Bool { self == .data || self == .rodata || self == .bss }
}
