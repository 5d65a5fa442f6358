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
        header = try BTFExtHeader(reading: reader)
        let parser = SubsectionParser(reader: reader, strings: strings, headerLength: Int(header.headerLength))

        (funcInfoRecordSize, funcInfo) = try parser.parse(
            "func_info", offset: header.funcInfoOffset, length: header.funcInfoLength,
            minimumRecordSize: BTFExtFuncInfo.size
        ) { (records: ByteReader, at: Int) throws(ParseError) -> BTFExtFuncInfo in
            BTFExtFuncInfo(instructionByteOffset: try records.u32(at: at), typeID: try records.u32(at: at + 4))
        }
        (lineInfoRecordSize, lineInfo) = try parser.parse(
            "line_info", offset: header.lineInfoOffset, length: header.lineInfoLength,
            minimumRecordSize: BTFExtLineInfo.size
        ) { (records: ByteReader, at: Int) throws(ParseError) -> BTFExtLineInfo in
            let fileNameOffset = try records.u32(at: at + 4)
            let lineOffset = try records.u32(at: at + 8)
            return BTFExtLineInfo(instructionByteOffset: try records.u32(at: at), fileNameOffset: fileNameOffset,
                                  lineOffset: lineOffset, lineColumn: try records.u32(at: at + 12),
                                  strings: try parser.checkedStrings(fileNameOffset, lineOffset, at: at + 4, in: records))
        }
        (coreRelocationRecordSize, coreRelocations) = try parser.parse(
            "core_relo", offset: header.coreRelocationOffset, length: header.coreRelocationLength,
            minimumRecordSize: BTFCoreRelocation.size
        ) { (records: ByteReader, at: Int) throws(ParseError) -> BTFCoreRelocation in
            let accessOffset = try records.u32(at: at + 8)
            return BTFCoreRelocation(instructionByteOffset: try records.u32(at: at), typeID: try records.u32(at: at + 4),
                                     accessStringOffset: accessOffset,
                                     accessString: try parser.string(accessOffset, at: at + 8, in: records),
                                     rawKind: try records.u32(at: at + 12))
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

    /// The string at `offset` in the `.BTF` string section, or an error naming where the
    /// offset was read (`at` in `records`).
    func string(_ offset: UInt32, at: Int, in records: ByteReader) throws(ParseError) -> String {
        guard let value = strings.string(at: offset) else {
            throw records.error(.invalid("string offset \(offset) is outside the .BTF string section (\(strings.count) bytes)"),
                                at: at)
        }
        return value
    }

    /// The string table, after checking that both offsets name strings in it.
    func checkedStrings(_ first: UInt32, _ second: UInt32, at: Int, in records: ByteReader) throws(ParseError) -> BTFStringTable {
        for (offset, field) in [(first, at), (second, at + 4)] where !strings.contains(offset: offset) {
            throw records.error(.invalid("string offset \(offset) is outside the .BTF string section (\(strings.count) bytes)"),
                                at: field)
        }
        return strings
    }

    func parse<Record>(
        _ name: String, offset: UInt32, length: UInt32, minimumRecordSize: Int,
        decode: (ByteReader, Int) throws(ParseError) -> Record
    ) throws(ParseError) -> (UInt32, [BTFExtSection<Record>]) {
        guard length != 0 else { return (0, []) }
        let context = "\(reader.context) \(name)"
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
        var groups: [BTFExtSection<Record>] = []
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
            var records: [Record] = []
            records.reserveCapacity(count)
            for index in 0..<count {
                records.append(try decode(subsection, position + index * size))
            }
            position += count * size
            groups.append(BTFExtSection(sectionName: sectionName, sectionNameOffset: nameOffset, records: records))
        }
        return (recordSize, groups)
    }
}
