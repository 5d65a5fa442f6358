/// The symbol table (`SHT_SYMTAB`) as read: fixed-size entries with their names left in the
/// string table until someone asks for them.
///
/// A BPF object has a few dozen symbols, most of them local labels and section symbols no
/// loader step looks at, so building a `String` for each would be most of the work of reading
/// the table. The reader checks every entry when the file is opened (name offset inside the
/// string table, section index in range), so resolving a name later cannot fail.
struct ELFSymbolTable: Sendable {
    /// One `Elf64_Sym`, fields decoded, name unresolved.
    struct Entry: Sendable {
        /// `st_name`: offset of the name in the string table (checked to be inside it).
        var nameOffset: UInt32
        /// `st_info`: binding (high nibble) and type (low nibble).
        var info: UInt8
        /// `st_other`: visibility in the low two bits.
        var other: UInt8
        /// `st_shndx`.
        var sectionIndex: UInt16
        /// `st_value`.
        var value: UInt64
        /// `st_size`.
        var size: UInt64

        /// `STT_*` type.
        var kind: ELFSymbol.Kind { ELFSymbol.Kind(bits: info & 0xf) }
        /// `STB_*` binding.
        var binding: ELFSymbol.Binding { ELFSymbol.Binding(bits: info >> 4) }
        /// True for `STT_FUNC` symbols.
        var isFunction: Bool { info & 0xf == ELFSymbol.Kind.function.rawValue }
        /// True for `STT_SECTION` symbols.
        var isSection: Bool { info & 0xf == ELFSymbol.Kind.section.rawValue }
        /// True for symbols with no section (`SHN_UNDEF`).
        var isUndefined: Bool { sectionIndex == ELF.sectionUndefined }
        /// True when the symbol has a name (`st_name` is not 0).
        var hasName: Bool { nameOffset != 0 }
    }

    /// The whole file (the table's entries are read from it on demand).
    var file: [UInt8] = []
    /// File offset of entry 0.
    var tableOffset = 0
    /// Number of entries (index 0 is the null symbol).
    var count = 0
    /// The object's byte order.
    var order = ByteOrder.little
    /// The bytes of the string table the names point into (a slice of the file, not a copy).
    var strings: ArraySlice<UInt8> = []

    /// Every entry index.
    var indices: Range<Int> { 0..<count }

    /// Entry `index` (below ``count``), decoded from the file. The entries are not copied into
    /// an array when the file is read: a lookup decodes the 24 bytes it needs (a handful of
    /// loads), which is cheaper than allocating, filling and freeing an array of every symbol.
    subscript(index: Int) -> Entry {
        precondition(index >= 0 && index < count, "symbol index out of range")
        return file.withUnsafeBytes { Self.entry($0, at: tableOffset + index * ELF.symbolSize, order: order) }
    }

    /// The `Elf64_Sym` at byte `at` of `raw` (inside the table checked at read time).
    @inline(__always)
    private static func entry(_ raw: UnsafeRawBufferPointer, at: Int, order: ByteOrder) -> Entry {
        Entry(nameOffset: raw.load(UInt32.self, at: at, order: order), info: raw[at + 4],
              other: raw[at + 5], sectionIndex: raw.load(UInt16.self, at: at + 6, order: order),
              value: raw.load(UInt64.self, at: at + 8, order: order),
              size: raw.load(UInt64.self, at: at + 16, order: order))
    }

    /// The indices of the entries of section `section` (`st_shndx`) that satisfy `predicate`,
    /// in table order. One pass over the raw table: only `st_shndx` is read for the others.
    func indices(inSection section: Int, where predicate: (Entry) -> Bool) -> [Int] {
        var result: [Int] = []
        forEachIndex(inSection: section, where: predicate) { result.append($0) }
        return result
    }

    /// The number of `STT_FUNC` entries (one byte read per entry).
    var functionCount: Int {
        file.withUnsafeBytes { raw in
            var functions = 0
            for index in 0..<count where raw[tableOffset + index * ELF.symbolSize + 4] & 0xf
                == ELFSymbol.Kind.function.rawValue {
                functions += 1
            }
            return functions
        }
    }

    /// Calls `body` with the index of every entry of section `section` (`st_shndx`) that
    /// satisfies `predicate`, in table order, without collecting them into an array.
    @inline(__always)
    func forEachIndex(inSection section: Int, where predicate: (Entry) -> Bool, _ body: (Int) -> Void) {
        let order = order
        file.withUnsafeBytes { raw in
            for index in 0..<count {
                let at = tableOffset + index * ELF.symbolSize
                guard Int(raw.load(UInt16.self, at: at + 6, order: order)) == section else { continue }
                if predicate(Self.entry(raw, at: at, order: order)) { body(index) }
            }
        }
    }

    /// The name of symbol `index` (`""` for unnamed ones).
    func name(at index: Int) -> String {
        name(offset: self[index].nameOffset)
    }

    /// The string at `offset` in the string table (checked at read time to be terminated).
    func name(offset: UInt32) -> String {
        let start = Int(offset)
        guard start < strings.count else { return "" }
        return strings.cString(at: start) ?? ""
    }

    /// True when symbol `index`'s name is `name`, without building a `String`.
    func hasName(_ index: Int, _ name: String) -> Bool {
        strings.cStringEquals(at: Int(self[index].nameOffset), name)
    }

    /// Symbol `index` in friendly form.
    func symbol(at index: Int) -> ELFSymbol {
        let entry = self[index]
        return ELFSymbol(index: index, name: name(offset: entry.nameOffset), binding: entry.binding, kind: entry.kind,
                         visibility: entry.other & 3, sectionIndex: Int(entry.sectionIndex), value: entry.value,
                         size: entry.size)
    }

    /// Checks the table in `section` (called `name`), whose names live in the string table
    /// `strings`: every name offset inside the string table, every section index in range.
    /// `bytes` is the whole file; both sections' ranges were checked against it already.
    static func read(_ bytes: [UInt8], order: ByteOrder, section table: ELFSectionHeader, name: @autoclosure () -> String,
                     strings: ELFSectionHeader, sectionCount: Int) throws(ParseError) -> ELFSymbolTable {
        guard table.size % ELF.symbolSize == 0 else {
            throw ParseError(.invalid("size \(table.size) is not a multiple of \(ELF.symbolSize)"),
                             context: "symbol table \(name())", offset: table.offset)
        }
        var result = ELFSymbolTable()
        result.strings = bytes[strings.offset..<(strings.offset + strings.size)]
        // An ELF string table ends with a NUL, so every offset inside it names a terminated string.
        guard result.strings.last ?? 0 == 0 else {
            throw ParseError(.invalid("the symbol string table does not end with a NUL"),
                             context: "symbol string table", offset: strings.offset + strings.size - 1)
        }
        let count = table.size / ELF.symbolSize
        let stringCount = UInt32(clamping: strings.size)
        var failure: ParseError?
        bytes.withUnsafeBytes { file in
            let raw = UnsafeRawBufferPointer(rebasing: file[table.offset..<(table.offset + table.size)])
            for index in 0..<count {
                let at = index * ELF.symbolSize
                let nameOffset = raw.load(UInt32.self, at: at, order: order)
                if nameOffset != 0, nameOffset >= stringCount {
                    failure = ParseError(.invalid("name offset \(nameOffset) is outside the string table"),
                                         context: "symbol \(index)", offset: table.offset + at)
                    return
                }
                let shndx = raw.load(UInt16.self, at: at + 6, order: order)
                if shndx != 0, shndx < ELF.sectionReserveLow, Int(shndx) >= sectionCount {
                    failure = ParseError(.invalid("section index \(shndx) is out of range (\(sectionCount) sections)"),
                                         context: "symbol \(index)", offset: table.offset + at + 6)
                    return
                }
            }
        }
        if let failure { throw failure }
        result.file = bytes
        result.tableOffset = table.offset
        result.count = count
        result.order = order
        return result
    }
}
