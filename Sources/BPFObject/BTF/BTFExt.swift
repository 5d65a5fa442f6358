/// A parsed `.BTF.ext` section: per code section, the `func_info`, `line_info` and CO-RE
/// relocation records clang wrote. Mirrors the layout of `struct btf_ext_header` and its
/// subsections (each: a `u32` record size, then `struct btf_ext_info_sec` groups).
///
/// Units: every `instructionByteOffset` here is in BYTES from the start of its ELF section,
/// as in the file. ``BPFFuncInfo``/``BPFLineInfo`` (BTFExtKernelRecords.swift) hold the
/// INSTRUCTION indices `BPF_PROG_LOAD` wants.
public struct BTFExt: Sendable, Equatable {
    /// The parsed parts, shared by every copy of the value: copying a ``BTFExt`` (the linker's
    /// and the loader's steps each hold one) retains one reference, not the seven arrays and
    /// slices inside.
    private final class Storage: Sendable {
        let order: ByteOrder
        let header: BTFExtHeader
        let strings: BTFStringTable
        let funcInfoTable: BTFExtRecordTable
        let lineInfoTable: BTFExtRecordTable
        let coreRelocationTable: BTFExtRecordTable

        init(order: ByteOrder, header: BTFExtHeader, strings: BTFStringTable, funcInfoTable: BTFExtRecordTable,
             lineInfoTable: BTFExtRecordTable, coreRelocationTable: BTFExtRecordTable) {
            self.order = order
            self.header = header
            self.strings = strings
            self.funcInfoTable = funcInfoTable
            self.lineInfoTable = lineInfoTable
            self.coreRelocationTable = coreRelocationTable
        }
    }

    private let storage: Storage

    /// The byte order (from the magic).
    public var order: ByteOrder { storage.order }
    /// The header.
    public var header: BTFExtHeader { storage.header }
    /// The func_info record size in the file (0 when there is no func_info).
    public var funcInfoRecordSize: UInt32 { funcInfoTable.recordSize }
    /// The line_info record size in the file (0 when there is no line_info).
    public var lineInfoRecordSize: UInt32 { lineInfoTable.recordSize }
    /// The CO-RE record size in the file (0 when there are no CO-RE relocations).
    public var coreRelocationRecordSize: UInt32 { coreRelocationTable.recordSize }
    /// The `.BTF` string section the records' string offsets point into.
    public var strings: BTFStringTable { storage.strings }

    /// The checked records of each subsection, kept as the file's bytes (see ``BTFExtRecordTable``).
    var funcInfoTable: BTFExtRecordTable { storage.funcInfoTable }
    var lineInfoTable: BTFExtRecordTable { storage.lineInfoTable }
    var coreRelocationTable: BTFExtRecordTable { storage.coreRelocationTable }

    /// Two values are equal when every part is (the same storage, or equal contents).
    public static func == (lhs: BTFExt, rhs: BTFExt) -> Bool {
        lhs.storage === rhs.storage
            || (lhs.order == rhs.order && lhs.header == rhs.header && lhs.strings == rhs.strings
                && lhs.funcInfoTable == rhs.funcInfoTable && lhs.lineInfoTable == rhs.lineInfoTable
                && lhs.coreRelocationTable == rhs.coreRelocationTable)
    }

    /// func_info groups, one per code section. Decoded on each call.
    public var funcInfo: [BTFExtSection<BTFExtFuncInfo>] { funcInfoTable.sections(strings, Self.funcInfoRecord) }
    /// line_info groups, one per code section. Decoded on each call.
    public var lineInfo: [BTFExtSection<BTFExtLineInfo>] { lineInfoTable.sections(strings, Self.lineInfoRecord) }
    /// CO-RE relocation groups, one per code section. Decoded on each call.
    public var coreRelocations: [BTFExtSection<BTFCoreRelocation>] {
        coreRelocationTable.sections(strings) { raw, at, order in Self.coreRecord(raw, at, order, strings: strings) }
    }

    /// Parses a `.BTF.ext` blob; section names and strings are resolved in `strings` (the
    /// `.BTF` string section). `base` is added to error offsets.
    ///
    /// Record sizes larger than the known structs are accepted (the extra bytes are skipped);
    /// smaller ones, or sizes that are not a multiple of 4, are errors. Counts are checked
    /// against the bytes that remain before anything is allocated.
    ///
    /// Every group and record is checked here (ranges, string offsets), but records are not
    /// decoded: ``funcInfo``, ``lineInfo`` and ``coreRelocations`` decode them when asked, and
    /// the ``Linker`` reads the func_info and line_info of the functions it places straight
    /// from the checked bytes.
    public init(bytes: ArraySlice<UInt8>, strings: BTFStringTable, context: String = ".BTF.ext",
                base: Int = 0) throws(ParseError) {
        let order = try BTFHeader.detectOrder(bytes, context: context, base: base)
        let reader = ByteReader(bytes, order: order, context: context, base: base)
        let header = try BTFExtHeader(reading: reader)
        let parser = SubsectionParser(reader: reader, strings: strings, headerLength: Int(header.headerLength))
        let funcInfoTable = try parser.parse("func_info", offset: header.funcInfoOffset, length: header.funcInfoLength,
                                         minimumRecordSize: BTFExtFuncInfo.size, stringFields: [])
        let lineInfoTable = try parser.parse("line_info", offset: header.lineInfoOffset, length: header.lineInfoLength,
                                         minimumRecordSize: BTFExtLineInfo.size,
                                         stringFields: [4, 8])  // file_name_off, line_off
        let coreRelocationTable = try parser.parse("core_relo", offset: header.coreRelocationOffset,
                                                   length: header.coreRelocationLength,
                                                   minimumRecordSize: BTFCoreRelocation.size,
                                                   stringFields: [8])  // access_str_off
        storage = Storage(order: order, header: header, strings: strings, funcInfoTable: funcInfoTable,
                          lineInfoTable: lineInfoTable, coreRelocationTable: coreRelocationTable)
    }

    /// Parses a `.BTF.ext` blob, resolving strings in `btf`.
    public init(bytes: ArraySlice<UInt8>, btf: BTF, context: String = ".BTF.ext", base: Int = 0) throws(ParseError) {
        try self.init(bytes: bytes, strings: btf.strings, context: context, base: base)
    }

    /// The func_info records of code section `name` (empty when it has none).
    public func funcInfo(forSection name: String) -> [BTFExtFuncInfo] {
        funcInfoTable.records(forSection: name, strings, Self.funcInfoRecord)
    }

    /// The line_info records of code section `name` (empty when it has none).
    public func lineInfo(forSection name: String) -> [BTFExtLineInfo] {
        lineInfoTable.records(forSection: name, strings, Self.lineInfoRecord)
    }

    /// The source file name of a line_info record (its `file_name_off` resolved).
    public func fileName(of record: BTFExtLineInfo) -> String { strings[record.fileNameOffset] }

    /// The text of the source line of a line_info record (its `line_off` resolved).
    public func sourceLine(of record: BTFExtLineInfo) -> String { strings[record.lineOffset] }

    /// The CO-RE relocations of code section `name` (empty when it has none).
    public func coreRelocations(forSection name: String) -> [BTFCoreRelocation] {
        coreRelocationTable.records(forSection: name, strings) { raw, at, order in
            Self.coreRecord(raw, at, order, strings: strings)
        }
    }

    // MARK: - Decoding one record from the checked bytes

    /// `struct bpf_func_info` at byte `at`.
    static func funcInfoRecord(_ raw: UnsafeRawBufferPointer, _ at: Int, _ order: ByteOrder) -> BTFExtFuncInfo {
        BTFExtFuncInfo(instructionByteOffset: raw.load(UInt32.self, at: at, order: order),
                       typeID: raw.load(UInt32.self, at: at + 4, order: order))
    }

    /// `struct bpf_line_info` at byte `at`.
    static func lineInfoRecord(_ raw: UnsafeRawBufferPointer, _ at: Int, _ order: ByteOrder) -> BTFExtLineInfo {
        BTFExtLineInfo(instructionByteOffset: raw.load(UInt32.self, at: at, order: order),
                       fileNameOffset: raw.load(UInt32.self, at: at + 4, order: order),
                       lineOffset: raw.load(UInt32.self, at: at + 8, order: order),
                       lineColumn: raw.load(UInt32.self, at: at + 12, order: order))
    }

    /// `struct bpf_core_relo` at byte `at`, its access string resolved in `strings`.
    static func coreRecord(_ raw: UnsafeRawBufferPointer, _ at: Int, _ order: ByteOrder,
                           strings: BTFStringTable) -> BTFCoreRelocation {
        let accessOffset = raw.load(UInt32.self, at: at + 8, order: order)
        return BTFCoreRelocation(instructionByteOffset: raw.load(UInt32.self, at: at, order: order),
                                 typeID: raw.load(UInt32.self, at: at + 4, order: order),
                                 accessStringOffset: accessOffset, accessString: strings[accessOffset],
                                 rawKind: raw.load(UInt32.self, at: at + 12, order: order))
    }
}

/// The records of one `.BTF.ext` subsection as checked bytes: the subsection (a slice of the
/// blob, not a copy), its record size, and where each code section's group of records is.
///
/// Decoding every record into an array when the object is read cost more than the rest of
/// `.BTF.ext` (an allocation per group, a store per field); a loader needs the records of the
/// functions it links and nothing else, so they are read from these bytes when asked for.
struct BTFExtRecordTable: Sendable, Equatable {
    /// One `struct btf_ext_info_sec`: a code section and where its records are.
    struct Group: Sendable, Equatable {
        /// `sec_name_off`: the code section's name in the `.BTF` string section (checked).
        var nameOffset: UInt32
        /// Byte offset of the first record in ``BTFExtRecordTable/bytes`` (relative).
        var start: Int
        /// `num_info` (all records checked to lie inside the subsection).
        var count: Int
    }

    /// The record size in the file (0 when the subsection is absent).
    var recordSize: UInt32 = 0
    /// The subsection's bytes; group offsets are relative to their start.
    var bytes: ArraySlice<UInt8> = []
    /// The byte order of the blob.
    var order: ByteOrder = .little
    /// The groups, in file order.
    var groups: [Group] = []

    /// The group of code section `name` (compared as bytes in `strings`), if any.
    func group(named name: String, _ strings: BTFStringTable) -> Group? {
        guard let index = groupIndex(named: name, strings) else { return nil }
        return groups[index]
    }

    /// The index in ``groups`` of the group of code section `name`, if any. The names are
    /// compared in place: the string section is opened once, not once per group.
    func groupIndex(named name: String, _ strings: BTFStringTable) -> Int? {
        func search(_ utf8: UnsafeBufferPointer<UInt8>) -> Int? {
            strings.storage.withUnsafeBufferPointer { table -> Int? in
                for (index, group) in groups.enumerated() {
                    let start = Int(group.nameOffset)
                    // Checked at read time: every group's name offset is inside the table.
                    guard table.count - start > utf8.count, table[start + utf8.count] == 0 else { continue }
                    var equal = true
                    for i in 0..<utf8.count where table[start + i] != utf8[i] {
                        equal = false
                        break
                    }
                    if equal { return index }
                }
                return nil
            }
        }
        // Native and small strings lend their bytes without a copy of the `String`.
        if let found = name.utf8.withContiguousStorageIfAvailable(search) { return found }
        var name = name
        return name.withUTF8(search)
    }

    /// The group whose name is at `nameOffset` in the string section, if any: clang names a
    /// code section by the same string in every subsection, so the group found in one
    /// subsection finds its twin in another by one integer comparison per group.
    func group(nameOffset: UInt32) -> Group? {
        groups.first { $0.nameOffset == nameOffset }
    }

    /// Calls `body` with the subsection's bytes (relative offsets, as in ``Group/start``).
    @inline(__always)
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        bytes.withUnsafeBytes(body)
    }

    /// The records of `group`, decoded by `decode`.
    func records<Record>(_ group: Group,
                         _ decode: (UnsafeRawBufferPointer, Int, ByteOrder) -> Record) -> [Record] {
        var records: [Record] = []
        records.reserveCapacity(group.count)
        withBytes { raw in
            for index in 0..<group.count { records.append(decode(raw, group.start + index * Int(recordSize), order)) }
        }
        return records
    }

    /// The records of code section `name`, decoded (empty when it has none).
    func records<Record>(forSection name: String, _ strings: BTFStringTable,
                         _ decode: (UnsafeRawBufferPointer, Int, ByteOrder) -> Record) -> [Record] {
        guard let group = group(named: name, strings) else { return [] }
        return records(group, decode)
    }

    /// Every group with its records decoded.
    func sections<Record>(_ strings: BTFStringTable,
                          _ decode: (UnsafeRawBufferPointer, Int, ByteOrder) -> Record) -> [BTFExtSection<Record>] {
        groups.map { group in
            BTFExtSection(sectionName: strings[group.nameOffset], sectionNameOffset: group.nameOffset,
                          records: records(group, decode))
        }
    }
}

/// Reads one subsection (`func_info`, `line_info` or `core_relo`) of a `.BTF.ext` blob.
private struct SubsectionParser {
    let reader: ByteReader
    let strings: BTFStringTable
    let headerLength: Int

    /// `".BTF.ext " + name` for the three subsection names, as constants.
    private static func defaultContext(_ name: String) -> String {
        switch name {
        case "func_info": ".BTF.ext func_info"
        case "line_info": ".BTF.ext line_info"
        case "core_relo": ".BTF.ext core_relo"
        default: ".BTF.ext \(name)"
        }
    }

    /// Reads the groups of one subsection and checks them: every record lies inside the
    /// subsection, and every string offset at `stringFields` (byte offsets inside a record)
    /// names a string. Returns the checked table (records not decoded).
    func parse(_ name: String, offset: UInt32, length: UInt32, minimumRecordSize: Int,
               stringFields: [Int]) throws(ParseError) -> BTFExtRecordTable {
        guard length != 0 else { return BTFExtRecordTable() }
        // The subsection's reader names it in errors (".BTF.ext line_info"); for the usual
        // context that string is a constant, which saves building it on every parse.
        let context = reader.context == ".BTF.ext" ? Self.defaultContext(name) : "\(reader.context) \(name)"
        guard offset % 4 == 0 else {
            throw reader.error(.invalid("\(name)_off \(offset) is not 4-byte aligned"), context: context)
        }
        let subsection = try reader.subReader(at: headerLength + Int(offset), length: Int(length), context: context)
        let recordSize = try subsection.u32(at: 0)
        guard recordSize >= UInt32(minimumRecordSize), recordSize % 4 == 0 else {
            throw subsection.error(.invalid("record size \(recordSize) (needs a multiple of 4, at least \(minimumRecordSize))"),
                                   at: 0)
        }
        let size = Int(recordSize)
        var table = BTFExtRecordTable(recordSize: recordSize, bytes: subsection.bytes, order: subsection.order)
        var position = 4
        while position < subsection.count {
            let nameOffset = try subsection.u32(at: position)
            let count = Int(try subsection.u32(at: position + 4))
            // The name is checked, not built: a `String` per group is made only on demand.
            guard strings.contains(offset: nameOffset) else {
                throw subsection.error(.invalid("string offset \(nameOffset) is outside the .BTF string section "
                                                + "(\(strings.count) bytes)"), at: position)
            }
            var sectionName: String { strings[nameOffset] }
            guard count > 0 else {
                throw subsection.error(.invalid("section '\(sectionName)' has no records"), at: position + 4)
            }
            position += 8
            let available = subsection.count - position
            guard count <= available / size else {
                let needed = count > Int.max / size ? Int.max : count * size
                throw subsection.error(.truncated(needed: needed, available: available), at: position,
                                       context: "\(context) section '\(sectionName)'")
            }
            // From here on every record lies inside the subsection.
            if !stringFields.isEmpty, let bad = firstBadString(subsection, from: position, count: count, size: size,
                                                              fields: stringFields) {
                throw subsection.error(.invalid("string offset \(bad.offset) is outside the .BTF string "
                                                + "section (\(strings.count) bytes)"), at: bad.at)
            }
            table.groups.append(.init(nameOffset: nameOffset, start: position, count: count))
            position += count * size
        }
        return table
    }

    /// The first string offset outside the string section among the `fields` of `count`
    /// records of `size` bytes from `position`, in record then field order; nil if all are in.
    /// The common case (all in) is one tight loop gathering the largest offset; only a bad
    /// group is searched again for the offender.
    private func firstBadString(_ subsection: ByteReader, from position: Int, count: Int, size: Int,
                                fields: [Int]) -> (offset: UInt32, at: Int)? {
        let order = subsection.order
        let limit = UInt32(clamping: strings.count)
        return subsection.bytes.withUnsafeBytes { raw -> (offset: UInt32, at: Int)? in
            // One loop per byte order (the order test stays out of the loop); line_info's two
            // string fields are read in the same pass over the records.
            let end = position + count * size
            let first = fields[0], second = fields.count > 1 ? fields[1] : fields[0]
            func largest(_ decode: (UInt32) -> UInt32) -> UInt32 {
                var largest: UInt32 = 0, at = position
                while at < end {
                    largest = max(largest, decode(raw.loadUnaligned(fromByteOffset: at + first, as: UInt32.self)),
                                  decode(raw.loadUnaligned(fromByteOffset: at + second, as: UInt32.self)))
                    at += size
                }
                return largest
            }
            var found = order == .little ? largest(UInt32.init(littleEndian:)) : largest(UInt32.init(bigEndian:))
            for field in fields.dropFirst(2) {
                var at = position + field
                while at < end {
                    found = max(found, raw.load(UInt32.self, at: at, order: order))
                    at += size
                }
            }
            guard found >= limit else { return nil }
            for record in 0..<count {
                for field in fields {
                    let at = position + record * size + field
                    let value = raw.load(UInt32.self, at: at, order: order)
                    if value >= limit { return (value, at) }
                }
            }
            return nil
        }
    }
}
