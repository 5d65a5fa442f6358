/// A parsed `.BTF.ext` section: per code section, the `func_info`, `line_info` and CO-RE
/// relocation records clang wrote. Mirrors the layout of `struct btf_ext_header` and its
/// subsections (each: a `u32` record size, then `struct btf_ext_info_sec` groups).
///
/// Units: every `instructionByteOffset` here is in BYTES from the start of its ELF section,
/// as in the file. ``BPFFuncInfo``/``BPFLineInfo`` (BTFExtKernelRecords.swift) hold the
/// INSTRUCTION indices `BPF_PROG_LOAD` wants.
public struct BTFExt: Sendable, Equatable {
    /// The byte order (from the magic).
    public let order: ByteOrder
    /// The header.
    public let header: BTFExtHeader
    /// The func_info record size in the file (0 when there is no func_info).
    public let funcInfoRecordSize: UInt32
    /// The line_info record size in the file (0 when there is no line_info).
    public let lineInfoRecordSize: UInt32
    /// The CO-RE record size in the file (0 when there are no CO-RE relocations).
    public let coreRelocationRecordSize: UInt32
    /// func_info groups, one per code section.
    public let funcInfo: [BTFExtSection<BTFExtFuncInfo>]
    /// line_info groups, one per code section.
    public let lineInfo: [BTFExtSection<BTFExtLineInfo>]
    /// CO-RE relocation groups, one per code section.
    public let coreRelocations: [BTFExtSection<BTFCoreRelocation>]
    /// The `.BTF` string section the records' string offsets point into.
    public let strings: BTFStringTable

    /// Parses a `.BTF.ext` blob; section names and strings are resolved in `strings` (the
    /// `.BTF` string section). `base` is added to error offsets.
    ///
    /// Record sizes larger than the known structs are accepted (the extra bytes are skipped);
    /// smaller ones, or sizes that are not a multiple of 4, are errors. Counts are checked
    /// against the bytes that remain before anything is allocated.
    public init(bytes: ArraySlice<UInt8>, strings: BTFStringTable, context: String = ".BTF.ext",
                base: Int = 0) throws(ParseError) {
        let order = try BTFHeader.detectOrder(bytes, context: context, base: base)
        let reader = ByteReader(bytes, order: order, context: context, base: base)
        self.order = order
        self.strings = strings
        header = try BTFExtHeader(reading: reader)
        let parser = SubsectionParser(reader: reader, strings: strings, headerLength: Int(header.headerLength))

        // Each subsection: the parser checks every group's records (range and string offsets),
        // then the loops below decode them from the checked bytes.
        let funcs = try parser.parse("func_info", offset: header.funcInfoOffset, length: header.funcInfoLength,
                                     minimumRecordSize: BTFExtFuncInfo.size, stringFields: [])
        funcInfoRecordSize = funcs.recordSize
        funcInfo = funcs.groups.map { group in
            var records: [BTFExtFuncInfo] = []
            records.reserveCapacity(group.count)
            funcs.bytes.withUnsafeBytes { raw in
                for at in group.recordOffsets {
                    records.append(BTFExtFuncInfo(instructionByteOffset: raw.load(UInt32.self, at: at, order: order),
                                                  typeID: raw.load(UInt32.self, at: at + 4, order: order)))
                }
            }
            return BTFExtSection(sectionName: group.sectionName, sectionNameOffset: group.nameOffset, records: records)
        }
        let lines = try parser.parse("line_info", offset: header.lineInfoOffset, length: header.lineInfoLength,
                                     minimumRecordSize: BTFExtLineInfo.size,
                                     stringFields: [4, 8])  // file_name_off, line_off
        lineInfoRecordSize = lines.recordSize
        lineInfo = lines.groups.map { group in
            var records: [BTFExtLineInfo] = []
            records.reserveCapacity(group.count)
            lines.bytes.withUnsafeBytes { raw in
                for at in group.recordOffsets {
                    records.append(BTFExtLineInfo(instructionByteOffset: raw.load(UInt32.self, at: at, order: order),
                                                  fileNameOffset: raw.load(UInt32.self, at: at + 4, order: order),
                                                  lineOffset: raw.load(UInt32.self, at: at + 8, order: order),
                                                  lineColumn: raw.load(UInt32.self, at: at + 12, order: order)))
                }
            }
            return BTFExtSection(sectionName: group.sectionName, sectionNameOffset: group.nameOffset, records: records)
        }
        let cores = try parser.parse("core_relo", offset: header.coreRelocationOffset,
                                     length: header.coreRelocationLength, minimumRecordSize: BTFCoreRelocation.size,
                                     stringFields: [8])  // access_str_off
        coreRelocationRecordSize = cores.recordSize
        coreRelocations = cores.groups.map { group in
            var records: [BTFCoreRelocation] = []
            records.reserveCapacity(group.count)
            cores.bytes.withUnsafeBytes { raw in
                for at in group.recordOffsets {
                    let accessOffset = raw.load(UInt32.self, at: at + 8, order: order)
                    records.append(BTFCoreRelocation(instructionByteOffset: raw.load(UInt32.self, at: at, order: order),
                                                     typeID: raw.load(UInt32.self, at: at + 4, order: order),
                                                     accessStringOffset: accessOffset,
                                                     accessString: strings[accessOffset],
                                                     rawKind: raw.load(UInt32.self, at: at + 12, order: order)))
                }
            }
            return BTFExtSection(sectionName: group.sectionName, sectionNameOffset: group.nameOffset, records: records)
        }
    }

    /// Parses a `.BTF.ext` blob, resolving strings in `btf`.
    public init(bytes: ArraySlice<UInt8>, btf: BTF, context: String = ".BTF.ext", base: Int = 0) throws(ParseError) {
        try self.init(bytes: bytes, strings: btf.strings, context: context, base: base)
    }

    /// The func_info records of code section `name` (empty when it has none).
    public func funcInfo(forSection name: String) -> [BTFExtFuncInfo] {
        funcInfo.first { $0.sectionName == name }?.records ?? []
    }

    /// The line_info records of code section `name` (empty when it has none).
    public func lineInfo(forSection name: String) -> [BTFExtLineInfo] {
        lineInfo.first { $0.sectionName == name }?.records ?? []
    }

    /// The source file name of a line_info record (its `file_name_off` resolved).
    public func fileName(of record: BTFExtLineInfo) -> String { strings[record.fileNameOffset] }

    /// The text of the source line of a line_info record (its `line_off` resolved).
    public func sourceLine(of record: BTFExtLineInfo) -> String { strings[record.lineOffset] }

    /// The CO-RE relocations of code section `name` (empty when it has none).
    public func coreRelocations(forSection name: String) -> [BTFCoreRelocation] {
        coreRelocations.first { $0.sectionName == name }?.records ?? []
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

    /// The string at `offset` in the `.BTF` string section, or an error naming where the
    /// offset was read (`at` in `records`).
    func string(_ offset: UInt32, at: Int, in records: ByteReader) throws(ParseError) -> String {
        guard let value = strings.string(at: offset) else {
            throw records.error(.invalid("string offset \(offset) is outside the .BTF string section (\(strings.count) bytes)"),
                                at: at)
        }
        return value
    }

    /// One `struct btf_ext_info_sec`: a code section and where its records are.
    struct Group {
        /// The code section's name.
        var sectionName: String
        /// `sec_name_off`.
        var nameOffset: UInt32
        /// Byte offsets of its records in the subsection (all checked to lie inside it).
        var recordOffsets: StrideTo<Int>
        /// `num_info`.
        var count: Int
    }

    /// Reads the groups of one subsection and checks them: every record lies inside the
    /// subsection, and every string offset at `stringFields` (byte offsets inside a record)
    /// names a string. Returns the record size, the subsection's bytes (which the group
    /// offsets index) and the groups.
    func parse(_ name: String, offset: UInt32, length: UInt32, minimumRecordSize: Int,
               stringFields: [Int]) throws(ParseError) -> (recordSize: UInt32, bytes: ArraySlice<UInt8>, groups: [Group]) {
        guard length != 0 else { return (0, [], []) }
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
        var groups: [Group] = []
        var position = 4
        while position < subsection.count {
            let nameOffset = try subsection.u32(at: position)
            let count = Int(try subsection.u32(at: position + 4))
            let sectionName = try string(nameOffset, at: position, in: subsection)
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
            let group = Group(sectionName: sectionName, nameOffset: nameOffset,
                              recordOffsets: stride(from: position, to: position + count * size, by: size), count: count)
            if !stringFields.isEmpty {
                let bad = subsection.bytes.withUnsafeBytes { raw -> (offset: UInt32, at: Int)? in
                    for record in group.recordOffsets {
                        for field in stringFields {
                            let stringOffset = raw.load(UInt32.self, at: record + field, order: subsection.order)
                            if !strings.contains(offset: stringOffset) { return (stringOffset, record + field) }
                        }
                    }
                    return nil
                }
                if let bad {
                    throw subsection.error(.invalid("string offset \(bad.offset) is outside the .BTF string "
                                                    + "section (\(strings.count) bytes)"), at: bad.at)
                }
            }
            position += count * size
            groups.append(group)
        }
        return (recordSize, subsection.bytes, groups)
    }
}
