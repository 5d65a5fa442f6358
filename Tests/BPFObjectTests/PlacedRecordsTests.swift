import Testing
@testable import BPFObject

/// The linker finds each placed function's `.BTF.ext` records in one of three ways (every
/// record of the group when its first and last are the function's, a binary search in a
/// sorted group, a scan otherwise). clang writes sorted groups, so the fixtures only reach the
/// first two: these tests reorder the records of `subprograms.bpf.o` in place and check that
/// the linked records are still those of the placed functions, in file order.
@Suite struct PlacedRecordsTests {
    /// `.text` (four functions) with its line_info records in reverse order: an unsorted
    /// group, scanned for each function.
    @Test func recordsOfAnUnsortedGroupAreScanned() throws {
        let (object, table, group) = try lineInfoGroup(named: ".text")
        #expect(group.count > 8, "large enough for the sorted search to be tried")
        let bytes = try reordering(object, table, group) { $0.reversed() }
        try expectPlacedRecords(in: bytes)
    }

    /// `xdp` holds two programs. With the last record of the first program moved to the end of
    /// the group, the first program's first and last records enclose the second program's
    /// records: the whole-group conversion must notice and fall back to a scan.
    @Test func recordsOfAnotherFunctionBetweenTheFirstAndLastAreLeftOut() throws {
        let (object, table, group) = try lineInfoGroup(named: "xdp")
        let first = try #require(object.programs.first { $0.function.startInSection == 0 })
        let end = first.function.instructionCount
        let bytes = try reordering(object, table, group) { records in
            // Records are sorted: the first program's are a prefix.
            let split = records.firstIndex { $0.instruction >= end } ?? records.count
            #expect(split > 1 && split < records.count)
            var moved = records
            moved.append(moved.remove(at: split - 1))
            return moved
        }
        let reordered = try BPFObjectFile(bytes: bytes, name: "subprograms")
        let linked = try reordered.link(try #require(reordered.programs.first { $0.function.startInSection == 0 }))
        #expect(linked.lineInfo.allSatisfy { Int($0.instructionIndex) < linked.instructions.count })
        try expectPlacedRecords(in: bytes)
    }

    // MARK: - Helpers

    /// One line_info record's bytes and the instruction it names.
    struct RawRecord {
        var bytes: ArraySlice<UInt8>
        var instruction: Int
    }

    /// `subprograms.bpf.o`, its line_info table and the group of section `name`.
    private func lineInfoGroup(named name: String) throws
        -> (BPFObjectFile, BTFExtRecordTable, BTFExtRecordTable.Group) {
        let object = try BPFObjectFile(bytes: try Fixtures.bytes("subprograms.bpf.o"), name: "subprograms")
        let ext = try #require(object.btfExt)
        let table = ext.lineInfoTable
        let group = try #require(table.group(named: name, ext.strings))
        return (object, table, group)
    }

    /// The object's bytes with the records of `group` rearranged by `reorder`. The table's
    /// bytes are a slice of the file, so its indices are file offsets.
    private func reordering(_ object: BPFObjectFile, _ table: BTFExtRecordTable, _ group: BTFExtRecordTable.Group,
                            _ reorder: ([RawRecord]) -> [RawRecord]) throws -> [UInt8] {
        var bytes = try Fixtures.bytes("subprograms.bpf.o")
        let size = Int(table.recordSize)
        let start = table.bytes.startIndex + group.start
        let records = (0..<group.count).map { index -> RawRecord in
            let at = start + index * size
            let offset = bytes[at..<(at + 4)].reversed().reduce(0) { $0 << 8 | Int($1) }  // little-endian
            return RawRecord(bytes: bytes[at..<(at + size)], instruction: offset / Instruction.size)
        }
        let reordered = reorder(records)
        #expect(reordered.map(\.instruction) != records.map(\.instruction), "the order changed")
        bytes.replaceSubrange(start..<(start + group.count * size), with: reordered.flatMap(\.bytes))
        return bytes
    }

    /// Each program's func_info and line_info are, placement by placement, the records of its
    /// section inside the placed function in file order, moved by its shift
    /// (``LinkedProgram/referenceRecords(in:)``).
    private func expectPlacedRecords(in bytes: [UInt8]) throws {
        let object = try BPFObjectFile(bytes: bytes, name: "subprograms")
        let ext = try #require(object.btfExt)
        for program in object.programs {
            let linked = try object.link(program)
            let (funcs, lines) = linked.referenceRecords(in: ext)
            #expect(!lines.isEmpty)
            #expect(linked.lineInfo == lines, "\(program.name)")
            #expect(linked.funcInfo == funcs, "\(program.name)")
        }
    }
}
