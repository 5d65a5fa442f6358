/// A parsed ELF64 relocatable object, as clang writes for `-target bpf`.
///
/// The reader validates the header (class, byte order, machine `EM_BPF` or `EM_NONE`, type
/// `ET_REL`), reads the section header table, resolves section and symbol names, and decodes
/// the symbol table and every `SHT_REL`/`SHT_RELA` table. It never reads outside the input:
/// every structure is bounds-checked and a problem is a ``ParseError`` with the file offset.
public struct ELFFile: Sendable {
    /// The whole file.
    public let bytes: [UInt8]
    /// Byte order from `e_ident[EI_DATA]`.
    public let order: ByteOrder
    /// `e_machine` (``ELF/machineBPF`` or ``ELF/machineNone``).
    public let machine: UInt16
    /// `e_flags`.
    public let flags: UInt32
    /// Every section header, indexed by section index (index 0 is the null section).
    public let sections: [ELFSection]
    /// The symbol table (index 0 is the null symbol); empty if the object has none.
    public let symbols: [ELFSymbol]
    /// Every relocation table, in section order.
    public let relocationTables: [ELFRelocationTable]

    /// Parses `bytes` as an ELF64 relocatable BPF object.
    public init(bytes: [UInt8]) throws(ParseError) {
        self.bytes = bytes
        let header = try ELFHeader(bytes: bytes)
        order = header.order
        machine = header.machine
        flags = header.flags
        let reader = ByteReader(bytes, order: header.order, context: "ELF")
        let sections = try Self.readSections(reader, header: header)
        self.sections = sections
        let symbols = try Self.readSymbols(reader, sections: sections)
        self.symbols = symbols
        relocationTables = try Self.readRelocationTables(reader, sections: sections, symbolCount: symbols.count)
    }

    /// The first section called `name`, if any.
    public func section(named name: String) -> ELFSection? {
        sections.first { $0.name == name }
    }

    /// The file bytes of `section` (empty for `SHT_NOBITS`). Always in bounds: the reader
    /// checked every `PROGBITS` section's range when it parsed the header table.
    public func data(of section: ELFSection) -> ArraySlice<UInt8> {
        if section.hasNoFileBytes || section.size == 0 { return [] }
        return bytes[section.offset..<(section.offset + section.size)]
    }

    /// A reader over `section`'s bytes, reporting file offsets and naming the section.
    public func reader(for section: ELFSection) -> ByteReader {
        ByteReader(data(of: section), order: order, context: "section \(section.name)", base: section.offset)
    }

    /// The name people see for `symbol`: its own name, or for an unnamed section symbol
    /// (`STT_SECTION`) the name of its section, as llvm-readelf prints it.
    public func displayName(of symbol: ELFSymbol) -> String {
        if symbol.name.isEmpty, symbol.kind == .section, symbol.sectionIndex < sections.count {
            return sections[symbol.sectionIndex].name
        }
        return symbol.name
    }

    /// The relocation table that patches section `index`, if any.
    public func relocations(forSection index: Int) -> ELFRelocationTable? {
        relocationTables.first { $0.targetSectionIndex == index }
    }

    // MARK: - Reading the tables

    private static func readSections(_ reader: ByteReader, header: ELFHeader) throws(ParseError) -> [ELFSection] {
        guard header.sectionHeaderOffset != 0 else { return [] }
        let entrySize = ELF.sectionHeaderSize
        var count = header.sectionCount
        var nameIndex = header.sectionNameIndex
        // With more than 0xff00 sections the real count and string-table index live in section 0.
        if count == 0 || nameIndex == Int(ELF.sectionExtended) {
            let first = try rawSection(reader, at: header.sectionHeaderOffset, index: 0)
            if count == 0 { count = Int(clamping: first.size) }
            if nameIndex == Int(ELF.sectionExtended) { nameIndex = Int(first.link) }
        }
        let tableSize = count.multipliedReportingOverflow(by: entrySize)
        guard !tableSize.overflow else {
            throw ParseError(.invalid("section count \(count) is too large"), context: "ELF header", offset: 60)
        }
        try reader.check(header.sectionHeaderOffset, tableSize.partialValue)
        var raw: [RawSection] = []
        raw.reserveCapacity(count)
        for index in 0..<count {
            raw.append(try rawSection(reader, at: header.sectionHeaderOffset + index * entrySize, index: index))
        }
        for section in raw where section.type == ELFSectionType.nobits && section.size > ELF.maxNoBitsSize {
            // NOBITS sections have no file bytes to check, but loaders materialise them (.bss).
            throw ParseError(.invalid("SHT_NOBITS section of \(section.size) bytes is larger than any BPF map value"),
                             context: "section header \(section.index)", offset: section.headerOffset + 32)
        }
        for section in raw where section.type != ELFSectionType.nobits && section.type != ELFSectionType.null {
            // Every section with file bytes must lie inside the file.
            guard section.size <= UInt64(Int.max), section.offset <= UInt64(Int.max) else {
                throw ParseError(.invalid("section \(section.index) has an impossible range"),
                                 context: "section header \(section.index)", offset: section.headerOffset + 24)
            }
            guard section.offset <= UInt64(reader.count), section.size <= UInt64(reader.count) - section.offset else {
                // Report the header field that points outside the file, not the bogus offset itself.
                throw ParseError(.invalid("data range \(section.offset)+\(section.size) lies outside the "
                                          + "\(reader.count)-byte file"),
                                 context: "section header \(section.index)", offset: section.headerOffset + 24)
            }
        }
        guard nameIndex < raw.count else {
            throw ParseError(.invalid("section name table index \(nameIndex) is out of range (\(raw.count) sections)"),
                             context: "ELF header", offset: 62)
        }
        let names = raw[nameIndex]
        guard names.type == ELFSectionType.strtab else {
            throw ParseError(.invalid("section name table \(nameIndex) is not SHT_STRTAB"),
                             context: "section header \(nameIndex)", offset: names.headerOffset + 4)
        }
        let nameReader = try reader.subReader(at: Int(names.offset), length: Int(names.size),
                                              context: "section name table")
        return try raw.map { (section) throws(ParseError) -> ELFSection in
            guard Int(section.nameOffset) < nameReader.count || (section.index == 0 && section.nameOffset == 0) else {
                throw ParseError(.invalid("sh_name \(section.nameOffset) is outside the section name table "
                                          + "(\(nameReader.count) bytes)"),
                                 context: "section header \(section.index)", offset: section.headerOffset)
            }
            let name = section.index == 0 && section.nameOffset == 0
                ? "" : try nameReader.cString(at: Int(section.nameOffset))
            return ELFSection(index: section.index, name: name, type: section.type, flags: section.flags,
                              offset: Int(clamping: section.offset), size: Int(clamping: section.size), link: section.link,
                              info: section.info, alignment: section.alignment, entrySize: section.entrySize)
        }
    }

    private static func readSymbols(_ reader: ByteReader, sections: [ELFSection]) throws(ParseError) -> [ELFSymbol] {
        guard let table = sections.first(where: { $0.type == ELFSectionType.symtab }) else { return [] }
        let context = "symbol table \(table.name)"
        guard Int(table.link) < sections.count, sections[Int(table.link)].type == ELFSectionType.strtab else {
            throw ParseError(.invalid("sh_link \(table.link) is not a string table"), context: context, offset: table.offset)
        }
        guard table.size % ELF.symbolSize == 0 else {
            throw ParseError(.invalid("size \(table.size) is not a multiple of \(ELF.symbolSize)"),
                             context: context, offset: table.offset)
        }
        let strings = sections[Int(table.link)]
        let stringReader = try reader.subReader(at: strings.offset, length: strings.size, context: "symbol string table")
        let symbolReader = try reader.subReader(at: table.offset, length: table.size, context: context)
        let count = table.size / ELF.symbolSize
        var symbols: [ELFSymbol] = []
        symbols.reserveCapacity(count)
        for index in 0..<count {
            let at = index * ELF.symbolSize
            let nameOffset = try symbolReader.u32(at: at)
            let info = try symbolReader.u8(at: at + 4)
            let other = try symbolReader.u8(at: at + 5)
            let shndx = try symbolReader.u16(at: at + 6)
            let value = try symbolReader.u64(at: at + 8)
            let size = try symbolReader.u64(at: at + 16)
            let name: String
            do {
                name = index == 0 && nameOffset == 0 ? "" : try stringReader.cString(at: Int(nameOffset))
            } catch {
                throw ParseError(.invalid("name offset \(nameOffset) is outside the string table"),
                                 context: "symbol \(index)", offset: table.offset + at)
            }
            if shndx != 0, shndx < ELF.sectionReserveLow, Int(shndx) >= sections.count {
                throw ParseError(.invalid("section index \(shndx) is out of range (\(sections.count) sections)"),
                                 context: "symbol \(index) '\(name)'", offset: table.offset + at + 6)
            }
            symbols.append(ELFSymbol(index: index, name: name, binding: .init(bits: info >> 4),
                                     kind: .init(bits: info & 0xf), visibility: other & 3,
                                     sectionIndex: Int(shndx), value: value, size: size))
        }
        return symbols
    }

    private static func readRelocationTables(_ reader: ByteReader, sections: [ELFSection],
                                             symbolCount: Int) throws(ParseError) -> [ELFRelocationTable] {
        var tables: [ELFRelocationTable] = []
        for section in sections where section.type == ELFSectionType.rel || section.type == ELFSectionType.rela {
            let hasAddend = section.type == ELFSectionType.rela
            let entrySize = hasAddend ? ELF.relaSize : ELF.relSize
            let context = "relocation section \(section.name)"
            guard section.size % entrySize == 0 else {
                throw ParseError(.invalid("size \(section.size) is not a multiple of \(entrySize)"),
                                 context: context, offset: section.offset)
            }
            guard Int(section.info) > 0, Int(section.info) < sections.count else {
                throw ParseError(.invalid("target section \(section.info) is out of range"), context: context,
                                 offset: section.offset)
            }
            let tableReader = try reader.subReader(at: section.offset, length: section.size, context: context)
            var entries: [ELFRelocation] = []
            entries.reserveCapacity(section.size / entrySize)
            for index in 0..<(section.size / entrySize) {
                let at = index * entrySize
                let offset = try tableReader.u64(at: at)
                let info = try tableReader.u64(at: at + 8)
                let addend = hasAddend ? try tableReader.i64(at: at + 16) : 0
                let symbol = Int(info >> 32)
                guard symbol < symbolCount else {
                    throw ParseError(.invalid("symbol index \(symbol) is out of range (\(symbolCount) symbols)"),
                                     context: "\(context) entry \(index)", offset: section.offset + at + 8)
                }
                entries.append(ELFRelocation(offset: offset, symbolIndex: symbol,
                                             type: UInt32(truncatingIfNeeded: info), addend: addend))
            }
            tables.append(ELFRelocationTable(section: section, targetSectionIndex: Int(section.info), entries: entries))
        }
        return tables
    }

    /// A section header before names are resolved.
    private struct RawSection {
        var index: Int, headerOffset: Int, nameOffset: UInt32, type: UInt32, flags: UInt64
        var offset: UInt64, size: UInt64, link: UInt32, info: UInt32, alignment: UInt64, entrySize: UInt64
    }

    private static func rawSection(_ reader: ByteReader, at offset: Int, index: Int) throws(ParseError) -> RawSection {
        // One bounds check for the whole header, then plain reads at fixed field offsets.
        do {
            try reader.check(offset, ELF.sectionHeaderSize)
        } catch {
            throw ParseError(error.kind, context: "section header \(index)", offset: error.offset)
        }
        return RawSection(index: index, headerOffset: offset, nameOffset: try reader.u32(at: offset),
                          type: try reader.u32(at: offset + 4), flags: try reader.u64(at: offset + 8),
                          offset: try reader.u64(at: offset + 24), size: try reader.u64(at: offset + 32),
                          link: try reader.u32(at: offset + 40), info: try reader.u32(at: offset + 44),
                          alignment: try reader.u64(at: offset + 48), entrySize: try reader.u64(at: offset + 56))
    }
}
