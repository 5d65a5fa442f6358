import Foundation
import Testing
@testable import BPFObject

/// The BTF writer: exact round trips, the DATASEC fix-ups a loader makes before
/// `BPF_BTF_LOAD`, kind replacement (sanitizing), appending, and edit errors. Edited blobs
/// are checked by parsing them again and by `bpftool btf dump`.
@Suite struct BTFWriterTests {
    @Test(arguments: BTFInputs.sampleNames)
    func samplesRoundTrip(_ name: String) throws {
        let bytes = BTFInputs.sample(name).btf
        let btf = try BTF(bytes: bytes)
        #expect(btf.encoded() == bytes)
    }

    @Test(arguments: [ByteOrder.little, .big])
    func dataSectionFixUp(_ order: ByteOrder) throws {
        var btf = try BTF(bytes: order == .little ? BTFSamples.kindsBTF : BTFSamples.kindsBTFBigEndian)
        let bss = try #require(btf.dataSection(named: ".bss"))
        // What a loader does: section size from the ELF header, offsets from the symbols.
        try btf.setDataSection(bss.id, size: 120)
        var offset: UInt32 = 0
        for (index, entry) in bss.section.variables.enumerated() {
            try btf.setDataSectionEntry(bss.id, index: index, offset: offset)
            offset += (entry.size + 7) / 8 * 8
        }
        try btf.setDataSectionEntry(bss.id, index: 0, offset: 0, size: 64)
        let bytes = btf.encoded()
        #expect(bytes.count == (order == .little ? BTFSamples.kindsBTF : BTFSamples.kindsBTFBigEndian).count)
        let reparsed = try BTF(bytes: bytes)
        #expect(reparsed.order == order)
        #expect(reparsed == btf)
        #expect(reparsed.dataSection(named: ".bss")?.section.size == 120)
        #expect(reparsed.dataSectionEntries(of: bss.id).map(\.offset) == [0, 64, 72, 80, 88, 96, 112])
        let path = try BTFInputs.temporaryFile(bytes, name: "fixed-\(order).btf")
        let reference = try BTFInputs.bpftoolDump(path)
        #expect(BTFInputs.firstDifference(reparsed.dump(), reference) == nil)
        #expect(reference.contains("[60] DATASEC '.bss' size=120 vlen=7\n\ttype_id=43 offset=0 size=64 (VAR 'buf')\n\ttype_id=45 offset=64 size=4"))
    }

    /// Replacing kinds an older kernel rejects with same-shaped ones, as libbpf's sanitizer
    /// does: DATASEC → STRUCT, VAR → INT, FLOAT → STRUCT, DECL_TAG → INT, TYPE_TAG → CONST,
    /// ENUM64 → UNION, FUNC → TYPEDEF. Sizes stay equal, so the ids and words after stay put.
    @Test func sanitizingReplacements() throws {
        var btf = try BTF(bytes: BTFSamples.kindsBTF)
        let lengthBefore = btf.words.count
        let maps = try #require(btf.dataSection(named: ".maps")).id
        let datasec = try #require(btf.rawType(maps))
        try btf.replace(maps, with: BTFRawType(kind: .structure, nameOffset: datasec.nameOffset, vlen: datasec.vlen,
                                               sizeOrType: 32, trailing: datasec.trailing.enumerated().map { index, word in
                                                   index % 3 == 0 ? 0 : word }))
        try btf.replace(29, with: BTFRawType(kind: .int, nameOffset: btf.nameOffset(of: 29), sizeOrType: 1,
                                             trailing: [8]))
        try btf.replace(51, with: BTFRawType(kind: .structure, nameOffset: btf.nameOffset(of: 51), sizeOrType: 4))
        try btf.replace(35, with: BTFRawType(kind: .int, nameOffset: btf.nameOffset(of: 35), sizeOrType: 1, trailing: [8]))
        try btf.replace(19, with: BTFRawType(kind: .const, sizeOrType: 2))
        let enum64 = try #require(btf.rawType(46))
        try btf.replace(46, with: BTFRawType(kind: .union, nameOffset: enum64.nameOffset, vlen: enum64.vlen,
                                             sizeOrType: 8, trailing: enum64.trailing.enumerated().map { index, word in
                                                 index % 3 == 0 ? word : index % 3 == 1 ? 2 : 0 }))
        try btf.replace(39, with: BTFRawType(kind: .typedef, nameOffset: btf.nameOffset(of: 39), sizeOrType: 38))
        #expect(btf.words.count == lengthBefore)
        #expect(btf.kind(of: maps) == .structure && btf.kind(of: 46) == .union && btf.kind(of: 39) == .typedef)
        let bytes = btf.encoded()
        let reparsed = try BTF(bytes: bytes)
        #expect(reparsed == btf)
        let path = try BTFInputs.temporaryFile(bytes, name: "sanitized.btf")
        #expect(BTFInputs.firstDifference(reparsed.dump(), try BTFInputs.bpftoolDump(path)) == nil)
        #expect(reparsed.dump(51) == "[51] STRUCT 'float' size=4 vlen=0\n")
    }

    @Test func replacementOfAnotherLengthMovesLaterTypes() throws {
        var btf = try BTF(bytes: BTFSamples.kindsBTF)
        let before = btf
        // struct key { __u32 a; __u64 b; } becomes struct key { __u32 a; }.
        let key = try #require(btf.rawType(8))
        try btf.replace(8, with: BTFRawType(kind: .structure, nameOffset: key.nameOffset, vlen: 1, sizeOrType: 4,
                                            trailing: Array(key.trailing.prefix(3))))
        #expect(btf.words.count == before.words.count - 3)
        #expect(btf.typeCount == before.typeCount)
        #expect(btf.size(of: 8) == 4 && btf.members(of: 8).map(\.name) == ["a"])
        for id in 9...BTFTypeID(btf.typeCount) {
            #expect(btf.dump(id) == before.dump(id), "type \(id) is unchanged")
        }
        #expect(try BTF(bytes: btf.encoded()) == btf)
    }

    @Test func appendingTypesAndStrings() throws {
        var btf = try BTF(bytes: BTFSamples.kindsBTF)
        let stringsBefore = btf.strings.count
        #expect(btf.addString("int") == btf.nameOffset(of: 2), "existing strings are reused")
        #expect(btf.strings.count == stringsBefore)
        let name = btf.addString("swift_xdp_u16")
        #expect(btf.strings.count == stringsBefore + "swift_xdp_u16".utf8.count + 1)
        let id = try btf.append(BTFRawType(kind: .int, nameOffset: name, sizeOrType: 2, trailing: [16]))
        #expect(id == 65)
        let pointer = try btf.append(BTFRawType(kind: .pointer, sizeOrType: id))
        #expect(btf.typeDescription(pointer) == "swift_xdp_u16 *")
        #expect(btf.size(of: id) == 2)
        let bytes = btf.encoded()
        #expect(try BTF(bytes: bytes) == btf)
        let path = try BTFInputs.temporaryFile(bytes, name: "appended.btf")
        let reference = try BTFInputs.bpftoolDump(path)
        #expect(reference.hasSuffix("[65] INT 'swift_xdp_u16' size=2 bits_offset=0 nr_bits=16 encoding=(none)\n[66] PTR '(anon)' type_id=65\n"))
    }

    @Test func buildingFromEmpty() throws {
        for order in [ByteOrder.little, .big] {
            var btf = BTF(order: order)
            #expect(btf.typeCount == 0 && btf.dump().isEmpty)
            let int = try btf.append(BTFRawType(kind: .int, nameOffset: btf.addString("int"), sizeOrType: 4,
                                                trailing: [1 << 24 | 32]))
            let array = try btf.append(BTFRawType(kind: .array, sizeOrType: 0, trailing: [int, int, 4]))
            #expect(btf.typeDescription(array) == "int[4]" && btf.size(of: array) == 16)
            let bytes = btf.encoded()
            #expect(Array(bytes.prefix(2)) == (order == .little ? [0x9F, 0xEB] : [0xEB, 0x9F]))
            let reparsed = try BTF(bytes: bytes)
            #expect(reparsed == btf)
            #expect(reparsed.dump() == "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n[2] ARRAY '(anon)' type_id=1 index_type_id=1 nr_elems=4\n")
        }
    }

    @Test func longerHeaderAndUnusualLayout() throws {
        let original = try BTF(bytes: BTFSamples.kindsBTF)
        let header = original.header
        let types = Array(BTFSamples.kindsBTF[24..<(24 + Int(header.typeLength))])
        let strings = original.strings.bytes
        // hdr_len 32 (8 extra zero bytes), strings first, padding to a 4-byte boundary plus 4
        // more bytes, then the types.
        let padding = (4 - strings.count % 4) % 4 + 4
        var layout = BTFHeader(headerLength: 32, typeOffset: UInt32(strings.count + padding), typeLength: header.typeLength,
                               stringOffset: 0, stringLength: UInt32(strings.count)).encoded(order: .little)
        layout += [UInt8](repeating: 0, count: 8) + strings + [UInt8](repeating: 0, count: padding) + types
        let btf = try BTF(bytes: layout)
        #expect(btf.headerExtension == [UInt8](repeating: 0, count: 8))
        #expect(btf.dump() == original.dump())
        let written = btf.encoded()
        #expect(written.count == layout.count - padding, "written back in the usual layout, header kept")
        let reparsed = try BTF(bytes: written)
        #expect(reparsed.header.headerLength == 32 && reparsed.header.typeOffset == 0)
        #expect(reparsed.encoded() == written)
        #expect(reparsed.dump() == original.dump())
    }

    @Test func editErrors() throws {
        var btf = try BTF(bytes: BTFSamples.kindsBTF)
        #expect(throws: BTFEditError.wrongKind(2, expected: .dataSection, found: .int)) {
            try btf.setDataSection(2, size: 1)
        }
        #expect(throws: BTFEditError.noSuchType(0)) { try btf.setDataSection(0, size: 1) }
        #expect(throws: BTFEditError.noSuchType(500)) { try btf.setDataSectionEntry(500, index: 0, offset: 0) }
        #expect(throws: BTFEditError.noSuchEntry(61, index: 1, count: 1)) {
            try btf.setDataSectionEntry(61, index: 1, offset: 0)
        }
        #expect(throws: BTFEditError.noSuchEntry(61, index: -1, count: 1)) {
            try btf.setDataSectionEntry(61, index: -1, offset: 0)
        }
        #expect(throws: BTFEditError.self) { try btf.append(BTFRawType(kind: .int, sizeOrType: 4)) }
        #expect(throws: BTFEditError.self) {
            try btf.append(BTFRawType(kind: .structure, vlen: 2, sizeOrType: 4, trailing: [0, 1, 0]))
        }
        #expect(throws: BTFEditError.badNameOffset(1_000_000)) {
            try btf.append(BTFRawType(kind: .pointer, nameOffset: 1_000_000, sizeOrType: 1))
        }
        #expect(throws: BTFEditError.badNameOffset(1_000_000)) {
            try btf.append(BTFRawType(kind: .functionProto, vlen: 1, sizeOrType: 0, trailing: [1_000_000, 2]))
        }
        #expect(throws: BTFEditError.self) { try btf.append(BTFRawType(nameOffset: 0, info: 25 << 24, sizeOrType: 0)) }
        #expect(throws: BTFEditError.self) { try btf.append(BTFRawType(nameOffset: 0, info: 0, sizeOrType: 0)) }
        #expect(throws: BTFEditError.noSuchType(65)) { try btf.replace(65, with: BTFRawType(kind: .pointer, sizeOrType: 0)) }
        #expect(btf == (try BTF(bytes: BTFSamples.kindsBTF)), "failed edits change nothing")
    }
}
