/// Constants of the ELF64 format (from `<elf.h>`) that a BPF object uses.
public enum ELF {
    /// `ELFCLASS64` in `e_ident[EI_CLASS]`.
    public static let class64: UInt8 = 2
    /// `ELFDATA2LSB` (little-endian) in `e_ident[EI_DATA]`.
    public static let dataLSB: UInt8 = 1
    /// `ELFDATA2MSB` (big-endian) in `e_ident[EI_DATA]`.
    public static let dataMSB: UInt8 = 2
    /// `ET_REL`: a relocatable object, what `clang -c` produces.
    public static let typeRelocatable: UInt16 = 1
    /// `EM_NONE`: no machine (some old BPF toolchains).
    public static let machineNone: UInt16 = 0
    /// `EM_BPF` (247): Linux BPF.
    public static let machineBPF: UInt16 = 247
    /// `SHN_UNDEF`: a symbol with no section (an extern).
    public static let sectionUndefined: UInt16 = 0
    /// `SHN_LORESERVE`: section indices at and above this are special.
    public static let sectionReserveLow: UInt16 = 0xff00
    /// `SHN_ABS`: an absolute symbol.
    public static let sectionAbsolute: UInt16 = 0xfff1
    /// `SHN_COMMON`: a common (tentative) symbol.
    public static let sectionCommon: UInt16 = 0xfff2
    /// `SHN_XINDEX`: the real index is elsewhere (section 0 or `SHT_SYMTAB_SHNDX`).
    public static let sectionExtended: UInt16 = 0xffff
    /// Size of `Elf64_Ehdr`.
    public static let headerSize = 64
    /// Size of `Elf64_Shdr`.
    public static let sectionHeaderSize = 64
    /// Size of `Elf64_Sym`.
    public static let symbolSize = 24
    /// Size of `Elf64_Rel`.
    public static let relSize = 16
    /// The largest `SHT_NOBITS` section accepted (64 MiB): `.bss` becomes one map value, and
    /// the kernel refuses values anywhere near this size.
    public static let maxNoBitsSize: UInt64 = 64 << 20
    /// Size of `Elf64_Rela`.
    public static let relaSize = 24
}

/// `sh_type` values (`SHT_*`).
public enum ELFSectionType {
    /// `SHT_NULL`.
    public static let null: UInt32 = 0
    /// `SHT_PROGBITS`: code or initialised data.
    public static let progbits: UInt32 = 1
    /// `SHT_SYMTAB`: the symbol table.
    public static let symtab: UInt32 = 2
    /// `SHT_STRTAB`: a string table.
    public static let strtab: UInt32 = 3
    /// `SHT_RELA`: relocations with addends.
    public static let rela: UInt32 = 4
    /// `SHT_NOBITS`: zero-initialised data with no file bytes (`.bss`).
    public static let nobits: UInt32 = 8
    /// `SHT_REL`: relocations without addends (what BPF objects use).
    public static let rel: UInt32 = 9
    /// `SHT_SYMTAB_SHNDX`: extended section indices for symbols.
    public static let symtabShndx: UInt32 = 18
    /// `SHT_LLVM_ADDRSIG`: LLVM's address-significance table (ignored by loaders).
    public static let llvmAddrsig: UInt32 = 0x6fff_4c03
}

/// `sh_flags` bits (`SHF_*`).
public enum ELFSectionFlags {
    /// `SHF_WRITE`: writable data.
    public static let write: UInt64 = 0x1
    /// `SHF_ALLOC`: occupies memory at run time.
    public static let alloc: UInt64 = 0x2
    /// `SHF_EXECINSTR`: executable instructions.
    public static let execInstr: UInt64 = 0x4
    /// `SHF_MERGE`: mergeable data (e.g. string literals).
    public static let merge: UInt64 = 0x10
    /// `SHF_STRINGS`: NUL-terminated strings.
    public static let strings: UInt64 = 0x20
}
