/// One section header as the reader keeps it: the `Elf64_Shdr` fields, with the name left as
/// an offset into the section-name string table (`.shstrtab`).
///
/// A BPF object built with `-g` has 20–30 sections, most of them DWARF that no loader step
/// reads. Building a `String` for every name cost more than the rest of the header table
/// together (~190 instructions a name), and a header holding a `String` needs reference
/// counting on every copy. This plain value holds none: ``ELFFile`` resolves a name only when
/// asked (``ELFFile/name(of:)``), compares names as bytes (``ELFFile/nameEquals(_:_:)``), and
/// builds the public ``ELFSection`` (with its name) for ``ELFFile/sections``.
struct ELFSectionHeader: Sendable {
    /// Index in the section header table.
    var index: Int
    /// Where the header itself is in the file (for errors).
    var headerOffset: Int
    /// `sh_name`: offset of the name in the section-name string table (checked at read time).
    var nameOffset: UInt32
    /// `sh_type` (see ``ELFSectionType``).
    var type: UInt32
    /// `sh_flags` (see ``ELFSectionFlags``).
    var flags: UInt64
    /// `sh_offset` (checked with `size` to lie inside the file for sections with file bytes).
    var offset: Int
    /// `sh_size`.
    var size: Int
    /// `sh_link`.
    var link: UInt32
    /// `sh_info`.
    var info: UInt32
    /// `sh_addralign`.
    var alignment: UInt64
    /// `sh_entsize`.
    var entrySize: UInt64

    /// True for sections holding instructions (`SHF_EXECINSTR`).
    var isExecutable: Bool { flags & ELFSectionFlags.execInstr != 0 }
    /// True for `SHT_NOBITS` sections, which have no bytes in the file.
    var hasNoFileBytes: Bool { type == ELFSectionType.nobits }
}

extension ELFFile {
    /// The number of sections (including the null section 0).
    public var sectionCount: Int { headers.count }

    /// Section `index` (below ``sectionCount``) with its name resolved.
    public func section(at index: Int) -> ELFSection { section(for: headers[index]) }

    /// The public form of `header`, name resolved.
    func section(for header: ELFSectionHeader) -> ELFSection {
        ELFSection(index: header.index, name: name(of: header), type: header.type, flags: header.flags,
                   offset: header.offset, size: header.size, link: header.link, info: header.info,
                   alignment: header.alignment, entrySize: header.entrySize)
    }

    /// The name of `header` (checked at read time to be a terminated string of the table).
    func name(of header: ELFSectionHeader) -> String {
        sectionNameTable.cString(at: Int(header.nameOffset)) ?? ""
    }

    /// The name of section `index`.
    func sectionName(_ index: Int) -> String { name(of: headers[index]) }

    /// True when `header`'s name is `name`, compared as bytes (no `String` is built).
    func nameEquals(_ header: ELFSectionHeader, _ name: String) -> Bool {
        sectionNameTable.cStringEquals(at: Int(header.nameOffset), name)
    }

    /// Calls `body` with the UTF-8 bytes of `header`'s name (without its NUL).
    func withName<Result>(of header: ELFSectionHeader, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        sectionNameTable.withUnsafeBufferPointer { table in
            let start = min(Int(header.nameOffset), table.count)
            let end = table.firstNUL(from: start) ?? table.count
            return body(UnsafeBufferPointer(rebasing: table[start..<end]))
        }
    }

    /// The file bytes of `header`'s section (empty for `SHT_NOBITS`); in bounds (checked at read time).
    func data(of header: ELFSectionHeader) -> ArraySlice<UInt8> {
        if header.hasNoFileBytes || header.size == 0 { return [] }
        return bytes[header.offset..<(header.offset + header.size)]
    }
}
