/// A parsed ELF64 relocatable object, as clang writes for `-target bpf`.
///
/// The reader validates the header (class, byte order, machine `EM_BPF` or `EM_NONE`, type
/// `ET_REL`), reads the section header table and resolves section names, and checks the symbol
/// table and every `SHT_REL`/`SHT_RELA` table. It never reads outside the input: every
/// structure is bounds-checked and a problem is a ``ParseError`` with the file offset.
///
/// Symbol names and relocation entries are checked when the file is read but decoded only when
/// asked for (``symbol(at:)``, ``relocations(forSection:)``): a loader needs a handful of them.
/// The entries of relocation tables that patch non-loadable sections (DWARF, `.BTF`,
/// `.BTF.ext`: most of the relocations of an object built with `-g`, and none a loader reads,
/// as libbpf skips them too) are checked when first decoded instead.
public struct ELFFile: Sendable {
    /// The whole file.
    public let bytes: [UInt8]
    /// Byte order from `e_ident[EI_DATA]`.
    public let order: ByteOrder
    /// `e_machine` (``ELF/machineBPF`` or ``ELF/machineNone``).
    public let machine: UInt16
    /// `e_flags`.
    public let flags: UInt32
    /// Every section header, indexed by section index (index 0 is the null section), names
    /// unresolved (see ``ELFSectionHeader``).
    let headers: [ELFSectionHeader]
    /// The section-name string table (`.shstrtab`), a slice of ``bytes``.
    let sectionNameTable: ArraySlice<UInt8>
    /// The symbol table, names unresolved (empty if the object has none).
    let symbolTable: ELFSymbolTable
    /// Every relocation section, in section order, entries not decoded.
    let relocationSections: [ELFRelocationSection]

    /// Parses `bytes` as an ELF64 relocatable BPF object.
    public init(bytes: [UInt8]) throws(ParseError) {
        let header = try ELFHeader(bytes: bytes)
        let reader = ByteReader(bytes, order: header.order, context: "ELF")
        let (headers, sectionNameTable) = try Self.readSections(reader, header: header)
        let symbolTable = try Self.readSymbols(bytes, order: header.order, headers: headers,
                                               names: sectionNameTable)
        let relocationSections = try Self.checkRelocationSections(bytes, order: header.order, headers: headers,
                                                                  names: sectionNameTable,
                                                                  symbolCount: symbolTable.count)
        // Every stored property at once, at the end (assigned one by one, the finished value
        // was copied out whole).
        self.bytes = bytes
        order = header.order
        machine = header.machine
        flags = header.flags
        self.headers = headers
        self.sectionNameTable = sectionNameTable
        self.symbolTable = symbolTable
        self.relocationSections = relocationSections
    }

    /// Every section header, indexed by section index (index 0 is the null section), names
    /// resolved. Builds the whole list on each call: use ``section(at:)`` for one section.
    public var sections: [ELFSection] { headers.map(section(for:)) }

    /// The symbol table (index 0 is the null symbol), every name resolved; empty if the object
    /// has none. Builds the whole list on each call: use ``symbol(at:)`` for one symbol.
    public var symbols: [ELFSymbol] { (0..<symbolTable.count).map(symbolTable.symbol(at:)) }

    /// The number of entries in the symbol table.
    public var symbolCount: Int { symbolTable.count }

    /// Symbol `index` of the symbol table (must be below ``symbolCount``).
    public func symbol(at index: Int) -> ELFSymbol { symbolTable.symbol(at: index) }

    /// Every relocation table, in section order, entries decoded. Decodes them all on each
    /// call: use ``relocations(forSection:)`` for the table of one section. Throws for a table
    /// of a non-loadable section whose entries name symbols that do not exist (see ``ELFFile``).
    public var relocationTables: [ELFRelocationTable] {
        get throws(ParseError) {
            var tables: [ELFRelocationTable] = []
            tables.reserveCapacity(relocationSections.count)
            for table in relocationSections { tables.append(try decode(table)) }
            return tables
        }
    }

    /// The first section called `name`, if any.
    public func section(named name: String) -> ELFSection? {
        headers.first { nameEquals($0, name) }.map(section(for:))
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
        if symbol.name.isEmpty, symbol.kind == .section, symbol.sectionIndex < headers.count {
            return sectionName(symbol.sectionIndex)
        }
        return symbol.name
    }

    /// ``displayName(of:)`` of symbol `index`, building only the one string it returns.
    func displayName(ofSymbol index: Int) -> String {
        let entry = symbolTable[index]
        if !entry.hasName, entry.isSection, Int(entry.sectionIndex) < headers.count {
            return sectionName(Int(entry.sectionIndex))
        }
        return symbolTable.name(offset: entry.nameOffset)
    }

    /// The relocation table that patches section `index`, if any. Throws for a table of a
    /// non-loadable section whose entries name symbols that do not exist (see ``ELFFile``).
    public func relocations(forSection index: Int) throws(ParseError) -> ELFRelocationTable? {
        guard let table = try relocationSection(forSection: index) else { return nil }
        return try decode(table)
    }

    /// Decodes the entries of a relocation section (``checkRelocationSections`` checked its
    /// shape; its symbol indices are checked here if they were not then).
    private func decode(_ table: ELFRelocationSection) throws(ParseError) -> ELFRelocationTable {
        try checkEntries(of: table)
        var entries: [ELFRelocation] = []
        entries.reserveCapacity(table.count)
        for index in 0..<table.count { entries.append(relocation(index, of: table)) }
        return ELFRelocationTable(section: section(at: table.sectionIndex), targetSectionIndex: table.targetSectionIndex,
                                  entries: entries)
    }

    /// The relocation table (checked, entries not decoded) that patches section `index`, if
    /// any. Throws when its entries were left for later (a non-loadable target) and one names a
    /// symbol that does not exist.
    func relocationSection(forSection index: Int) throws(ParseError) -> ELFRelocationSection? {
        guard let table = relocationSections.first(where: { $0.targetSectionIndex == index }) else { return nil }
        try checkEntries(of: table)
        return table
    }

    /// Checks the symbol index of every entry of `table` unless that was done when the file
    /// was read.
    private func checkEntries(of table: ELFRelocationSection) throws(ParseError) {
        guard !table.entriesChecked else { return }
        try Self.checkSymbolIndices(bytes, order: order, section: headers[table.sectionIndex], table: table,
                                    names: sectionNameTable, symbolCount: symbolTable.count)
    }

    /// Entry `index` (below `table.count`) of a checked relocation table, decoded from the file.
    func relocation(_ index: Int, of table: ELFRelocationSection) -> ELFRelocation {
        let order = order
        return bytes.withUnsafeBytes { file in
            let at = table.offset + index * table.entrySize
            let info = file.load(UInt64.self, at: at + 8, order: order)
            return ELFRelocation(
                offset: file.load(UInt64.self, at: at, order: order), symbolIndex: Int(info >> 32),
                type: UInt32(truncatingIfNeeded: info),
                addend: table.hasAddend ? Int64(bitPattern: file.load(UInt64.self, at: at + 16, order: order)) : 0)
        }
    }

    // MARK: - Reading the tables

    private static func readSections(_ reader: ByteReader,
                                     header: ELFHeader) throws(ParseError) -> ([ELFSectionHeader], ArraySlice<UInt8>) {
        guard header.sectionHeaderOffset != 0 else { return ([], []) }
        let entrySize = ELF.sectionHeaderSize
        var count = header.sectionCount
        var nameIndex = header.sectionNameIndex
        // With more than 0xff00 sections the real count and string-table index live in section 0.
        if count == 0 || nameIndex == Int(ELF.sectionExtended) {
            do {
                try reader.check(header.sectionHeaderOffset, entrySize)
            } catch {
                throw ParseError(error.kind, context: "section header 0", offset: error.offset)
            }
            let first = reader.bytes.withUnsafeBytes { rawSection($0, at: header.sectionHeaderOffset, index: 0,
                                                                   order: reader.order) }
            if count == 0 { count = Int(clamping: first.size) }
            if nameIndex == Int(ELF.sectionExtended) { nameIndex = Int(first.link) }
        }
        let tableSize = count.multipliedReportingOverflow(by: entrySize)
        guard !tableSize.overflow else {
            throw ParseError(.invalid("section count \(count) is too large"), context: "ELF header", offset: 60)
        }
        // One bounds check for the whole header table, then plain loads at fixed field offsets.
        try reader.check(header.sectionHeaderOffset, tableSize.partialValue)
        if let fast = fastHeaders(reader, header: header, count: count, nameIndex: nameIndex) { return fast }
        // Something is wrong: the passes below find the first problem in the order they report it.
        var raw: [RawSection] = []
        raw.reserveCapacity(count)
        reader.bytes.withUnsafeBytes { file in
            for index in 0..<count {
                raw.append(rawSection(file, at: header.sectionHeaderOffset + index * entrySize, index: index,
                                      order: reader.order))
            }
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
        // In range: the loop above checked every section with file bytes, and this is one.
        let nameTable = reader.bytes[(reader.bytes.startIndex + Int(names.offset))...]
            .prefix(Int(names.size))
        // A name is terminated exactly when it starts at or before the table's last NUL, so one
        // backward search (usually one step: tables end with a NUL) checks every name.
        let lastNUL = nameTable.lastIndex(of: 0).map { $0 - nameTable.startIndex } ?? -1
        var headers: [ELFSectionHeader] = []
        headers.reserveCapacity(raw.count)
        for section in raw {
            if section.index != 0 || section.nameOffset != 0 {
                let start = Int(section.nameOffset)
                guard start < nameTable.count else {
                    throw ParseError(.invalid("sh_name \(section.nameOffset) is outside the section name table "
                                              + "(\(nameTable.count) bytes)"),
                                     context: "section header \(section.index)", offset: section.headerOffset)
                }
                guard start <= lastNUL else {
                    throw ParseError(.invalid("string is not NUL-terminated"), context: "section name table",
                                     offset: Int(names.offset) + start)
                }
            }
            headers.append(ELFSectionHeader(index: section.index, headerOffset: section.headerOffset,
                                            nameOffset: section.nameOffset, type: section.type, flags: section.flags,
                                            offset: Int(clamping: section.offset), size: Int(clamping: section.size),
                                            link: section.link, info: section.info, alignment: section.alignment,
                                            entrySize: section.entrySize))
        }
        return (headers, nameTable)
    }

    /// The section headers of a well-formed table in one pass (decode, check, keep), or nil
    /// when any check fails; ``readSections`` then reads the table again pass by pass to report
    /// the first problem in its usual order. The table's range is checked by the caller.
    private static func fastHeaders(_ reader: ByteReader, header: ELFHeader, count: Int,
                                    nameIndex: Int) -> ([ELFSectionHeader], ArraySlice<UInt8>)? {
        guard nameIndex < count else { return nil }
        let fileSize = UInt64(reader.count)
        return reader.bytes.withUnsafeBytes { file -> ([ELFSectionHeader], ArraySlice<UInt8>)? in
            let names = rawSection(file, at: header.sectionHeaderOffset + nameIndex * ELF.sectionHeaderSize,
                                   index: nameIndex, order: reader.order)
            guard names.type == ELFSectionType.strtab, names.offset <= fileSize, names.size <= fileSize - names.offset
            else { return nil }
            let nameTable = reader.bytes[(reader.bytes.startIndex + Int(names.offset))...].prefix(Int(names.size))
            // A name is terminated when it starts at or before the table's last NUL.
            let lastNUL = nameTable.lastIndex(of: 0).map { $0 - nameTable.startIndex } ?? -1
            var headers: [ELFSectionHeader] = []
            headers.reserveCapacity(count)
            for index in 0..<count {
                let section = rawSection(file, at: header.sectionHeaderOffset + index * ELF.sectionHeaderSize,
                                         index: index, order: reader.order)
                if section.type == ELFSectionType.nobits {
                    guard section.size <= ELF.maxNoBitsSize else { return nil }
                } else if section.type != ELFSectionType.null {
                    guard section.offset <= fileSize, section.size <= fileSize - section.offset else { return nil }
                }
                if index != 0 || section.nameOffset != 0 {
                    guard Int(section.nameOffset) <= lastNUL else { return nil }
                }
                headers.append(ELFSectionHeader(index: index, headerOffset: section.headerOffset,
                                                nameOffset: section.nameOffset, type: section.type,
                                                flags: section.flags, offset: Int(clamping: section.offset),
                                                size: Int(clamping: section.size), link: section.link, info: section.info,
                                                alignment: section.alignment, entrySize: section.entrySize))
            }
            return (headers, nameTable)
        }
    }

    private static func readSymbols(_ bytes: [UInt8], order: ByteOrder, headers: [ELFSectionHeader],
                                    names: ArraySlice<UInt8>) throws(ParseError) -> ELFSymbolTable {
        guard let table = headers.first(where: { $0.type == ELFSectionType.symtab }) else { return ELFSymbolTable() }
        var tableName: String { names.cString(at: Int(table.nameOffset)) ?? "" }
        guard Int(table.link) < headers.count, headers[Int(table.link)].type == ELFSectionType.strtab else {
            throw ParseError(.invalid("sh_link \(table.link) is not a string table"),
                             context: "symbol table \(tableName)", offset: table.offset)
        }
        return try ELFSymbolTable.read(bytes, order: order, section: table, name: tableName,
                                       strings: headers[Int(table.link)], sectionCount: headers.count)
    }

    /// Checks every relocation section: a whole number of entries, a target section that exists,
    /// and, when the target is loadable (`SHF_ALLOC` or `SHF_EXECINSTR`), a symbol index inside
    /// the symbol table for every entry. Other tables' entries are checked when first decoded.
    private static func checkRelocationSections(_ bytes: [UInt8], order: ByteOrder, headers: [ELFSectionHeader],
                                                names: ArraySlice<UInt8>,
                                                symbolCount: Int) throws(ParseError) -> [ELFRelocationSection] {
        var tables: [ELFRelocationSection] = []
        for section in headers where section.type == ELFSectionType.rel || section.type == ELFSectionType.rela {
            var context: String { "relocation section \(names.cString(at: Int(section.nameOffset)) ?? "")" }
            var table = ELFRelocationSection(sectionIndex: section.index, targetSectionIndex: Int(section.info),
                                             offset: section.offset, hasAddend: section.type == ELFSectionType.rela,
                                             count: section.size / (section.type == ELFSectionType.rela
                                                                    ? ELF.relaSize : ELF.relSize),
                                             entriesChecked: false)
            guard section.size % table.entrySize == 0 else {
                throw ParseError(.invalid("size \(section.size) is not a multiple of \(table.entrySize)"),
                                 context: context, offset: section.offset)
            }
            guard Int(section.info) > 0, Int(section.info) < headers.count else {
                throw ParseError(.invalid("target section \(section.info) is out of range"),
                                 context: context, offset: section.offset)
            }
            if headers[Int(section.info)].flags & (ELFSectionFlags.alloc | ELFSectionFlags.execInstr) != 0 {
                try checkSymbolIndices(bytes, order: order, section: section, table: table, names: names,
                                       symbolCount: symbolCount)
                table.entriesChecked = true
            }
            tables.append(table)
        }
        return tables
    }

    /// Checks that every entry of relocation section `section` (`table`) names a symbol of the
    /// table's `symbolCount`.
    private static func checkSymbolIndices(_ bytes: [UInt8], order: ByteOrder, section: ELFSectionHeader,
                                           table: ELFRelocationSection, names: ArraySlice<UInt8>,
                                           symbolCount: Int) throws(ParseError) {
        // The section's range was checked with the header table; `r_info` is at +8 of each
        // entry, the symbol index in its high half. The largest index is checked first (a
        // tight loop); only a bad table is searched for the entry to report.
        let symbolIndices = bytes.withUnsafeBytes { file in
            SymbolIndexScan(raw: UnsafeRawBufferPointer(rebasing: file[section.offset..<(section.offset + section.size)]),
                            count: table.count, stride: table.entrySize, order: order)
        }
        if symbolIndices.largest >= UInt64(symbolCount),
           let bad = symbolIndices.first(where: { $0 >= UInt64(symbolCount) }, in: bytes, at: section.offset) {
            let at = bad * table.entrySize + 8
            let info = bytes.withUnsafeBytes { $0.load(UInt64.self, at: section.offset + at, order: order) }
            let context = "relocation section \(names.cString(at: Int(section.nameOffset)) ?? "")"
            throw ParseError(.invalid("symbol index \(info >> 32) is out of range (\(symbolCount) symbols)"),
                             context: context + " entry \(bad)", offset: section.offset + at)
        }
    }

    /// A section header before names are resolved.
    private struct RawSection {
        var index: Int, headerOffset: Int, nameOffset: UInt32, type: UInt32, flags: UInt64
        var offset: UInt64, size: UInt64, link: UInt32, info: UInt32, alignment: UInt64, entrySize: UInt64
    }

    /// Decodes the `Elf64_Shdr` at `offset` of `file` (the caller checked its 64 bytes).
    @inline(__always)
    private static func rawSection(_ file: UnsafeRawBufferPointer, at offset: Int, index: Int,
                                   order: ByteOrder) -> RawSection {
        RawSection(index: index, headerOffset: offset, nameOffset: file.load(UInt32.self, at: offset, order: order),
                   type: file.load(UInt32.self, at: offset + 4, order: order),
                   flags: file.load(UInt64.self, at: offset + 8, order: order),
                   offset: file.load(UInt64.self, at: offset + 24, order: order),
                   size: file.load(UInt64.self, at: offset + 32, order: order),
                   link: file.load(UInt32.self, at: offset + 40, order: order),
                   info: file.load(UInt32.self, at: offset + 44, order: order),
                   alignment: file.load(UInt64.self, at: offset + 48, order: order),
                   entrySize: file.load(UInt64.self, at: offset + 56, order: order))
    }
}

/// The symbol indices (`ELF64_R_SYM(r_info)`) of a relocation table's entries.
private struct SymbolIndexScan {
    let count: Int
    let stride: Int
    let order: ByteOrder
    /// The largest symbol index of the table.
    let largest: UInt64

    /// Scans the `count` entries of `stride` bytes in `raw` (a checked range).
    init(raw: UnsafeRawBufferPointer, count: Int, stride: Int, order: ByteOrder) {
        self.count = count
        self.stride = stride
        self.order = order
        // The maximum of the whole `r_info` words has the largest symbol index in its high
        // half; one loop per byte order keeps the order test out of the loop.
        var largest: UInt64 = 0
        if order == .little {
            for index in 0..<count {
                largest = max(largest, UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index * stride + 8, as: UInt64.self)))
            }
        } else {
            for index in 0..<count {
                largest = max(largest, UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: index * stride + 8, as: UInt64.self)))
            }
        }
        self.largest = largest >> 32
    }

    /// The first entry whose symbol index satisfies `predicate` (the table starts at `offset` of `file`).
    func first(where predicate: (UInt64) -> Bool, in file: [UInt8], at offset: Int) -> Int? {
        file.withUnsafeBytes { file in
            (0..<count).first { predicate(file.load(UInt64.self, at: offset + $0 * stride + 8, order: order) >> 32) }
        }
    }
}
