/// One section header of an ELF64 file, with its name resolved. Mirrors `Elf64_Shdr`.
public struct ELFSection: Sendable, Equatable {
    /// Index in the section header table (0 is the null section).
    public var index: Int
    /// Name from the section-header string table (`sh_name`).
    public var name: String
    /// `sh_type` (see ``ELFSectionType``).
    public var type: UInt32
    /// `sh_flags` (see ``ELFSectionFlags``).
    public var flags: UInt64
    /// `sh_offset`: where the section's bytes start in the file.
    public var offset: Int
    /// `sh_size`: the section's size in bytes (for `SHT_NOBITS`, the size in memory).
    public var size: Int
    /// `sh_link`: a related section (the symbol table of a relocation section, …).
    public var link: UInt32
    /// `sh_info`: extra information (the target section of a relocation section, …).
    public var info: UInt32
    /// `sh_addralign`.
    public var alignment: UInt64
    /// `sh_entsize`: the size of one entry for table sections.
    public var entrySize: UInt64

    /// True for sections holding instructions (`SHF_EXECINSTR`).
    public var isExecutable: Bool { flags & ELFSectionFlags.execInstr != 0 }
    /// True for `SHT_NOBITS` sections, which have no bytes in the file.
    public var hasNoFileBytes: Bool { type == ELFSectionType.nobits }
    /// True for writable sections (`SHF_WRITE`).
    public var isWritable: Bool { flags & ELFSectionFlags.write != 0 }
}
