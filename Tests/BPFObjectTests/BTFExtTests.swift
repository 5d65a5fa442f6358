import Foundation
import Testing
@testable import BPFObject

/// The `.BTF.ext` reader: the `core.c` sample in detail, and on every object a check against
/// independent references: the relocations LLVM writes for every record's `insn_off`
/// (`.rel.BTF.ext`), the function symbols, and the line numbers `llvm-objdump -l` prints.
@Suite struct BTFExtTests {
    @Test(arguments: ["core (bpfel)", "core (bpfeb)"])
    func coreSample(_ name: String) throws {
        let sample = BTFInputs.sample(name)
        let btf = try BTF(bytes: sample.btf)
        let ext = try BTFExt(bytes: sample.ext[...], btf: btf)
        #expect(ext.order == btf.order)
        #expect(ext.header.headerLength == 32)
        #expect(ext.funcInfoRecordSize == 8 && ext.lineInfoRecordSize == 16 && ext.coreRelocationRecordSize == 16)

        #expect(ext.funcInfo.map(\.sectionName) == ["xdp", ".text", "tc"])
        #expect(ext.funcInfo.map { $0.records.map { btf.name(of: $0.typeID) ?? "" } } == [["core_prog"], ["sub"], ["second"]])
        #expect(ext.funcInfo(forSection: ".text") == [BTFExtFuncInfo(instructionByteOffset: 0, typeID: 12)])

        let lines = ext.lineInfo(forSection: "xdp")
        #expect(lines.count == 11)
        #expect(lines.map(\.line) == [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19])
        #expect(lines.map(\.instructionByteOffset) == [0, 24, 40, 56, 72, 88, 112, 136, 160, 184, 192])
        #expect(lines[0].instructionIndex == 0 && lines[1].instructionIndex == 3)
        #expect(lines[0].column == 11)
        #expect(ext.fileName(of: lines[0]) == "/tmp/btftest/core.c")
        #expect(ext.sourceLine(of: lines[0]) == "  int x = sub(t);")
        #expect(ext.sourceLine(of: lines[10]) == "  return x;")
        #expect(ext.lineInfo(forSection: "tc").map(\.column) == [47, 40])

        let relocations = ext.coreRelocations(forSection: "xdp")
        #expect(relocations.map(\.kind) == [
            .fieldByteOffset, .fieldByteSize, .fieldExists, .typeExists, .typeSize,
            .enumValueExists, .enumValue, .typeIDLocal, .typeIDTarget,
        ])
        #expect(relocations.map(\.accessString) == ["0:3", "0:3", "0:2", "0", "0", "1", "1", "0", "0"])
        #expect(relocations.map { btf.typeDescription($0.typeID) } == [
            "struct task", "struct task", "struct task", "struct task", "struct task",
            "enum state", "enum state", "struct task", "struct task",
        ])
        #expect(relocations[0].instructionByteOffset == 16)
        #expect(ext.coreRelocations(forSection: ".text").map(\.accessPath) == [[0, 1], [0, 0]])
        #expect(ext.coreRelocations(forSection: "tc").first?.accessString == "0:2:3")
        #expect(ext.coreRelocations(forSection: "nope").isEmpty)
    }

    @Test func sampleWithoutCoreRelocations() throws {
        let btf = try BTF(bytes: BTFSamples.kindsBTF)
        let ext = try BTFExt(bytes: BTFSamples.kindsExt[...], btf: btf)
        #expect(ext.header.coreRelocationLength == 0)
        #expect(ext.coreRelocations.isEmpty && ext.coreRelocationRecordSize == 0)
        #expect(ext.funcInfo.map(\.sectionName) == ["xdp", ".text"])
        #expect(ext.lineInfo.map(\.records.count) == [11, 5])
        let bigEndian = try BTFExt(bytes: BTFSamples.kindsExtBigEndian[...], btf: try BTF(bytes: BTFSamples.kindsBTFBigEndian))
        #expect(bigEndian.order == .big)
        #expect(bigEndian.funcInfo == ext.funcInfo && bigEndian.lineInfo == ext.lineInfo)
    }

    /// LLVM emits one `R_BPF_64_NODYLD32` relocation in `.rel.BTF.ext` for the `insn_off` of
    /// every func_info, line_info and CO-RE record, against the code section's symbol. The
    /// set of relocated offsets must be exactly where our parse says the records are.
    @Test(arguments: BTFInputs.objects)
    func recordsMatchRelocations(_ url: URL) throws {
        let object = try BTFInputs.object(url)
        guard let ext = object.ext, let extSection = object.extSection else { return }
        let elf = object.elf
        let table = try #require(try elf.relocations(forSection: extSection.index))
        var expected: [UInt64: String] = [:]
        func collect<R>(_ groups: [BTFExtSection<R>], offset: UInt32, recordSize: UInt32) {
            var position = Int(ext.header.headerLength) + Int(offset) + 4
            for group in groups {
                position += 8
                for _ in group.records {
                    expected[UInt64(position)] = group.sectionName
                    position += Int(recordSize)
                }
            }
        }
        collect(ext.funcInfo, offset: ext.header.funcInfoOffset, recordSize: ext.funcInfoRecordSize)
        collect(ext.lineInfo, offset: ext.header.lineInfoOffset, recordSize: ext.lineInfoRecordSize)
        collect(ext.coreRelocations, offset: ext.header.coreRelocationOffset, recordSize: ext.coreRelocationRecordSize)
        var relocated: [UInt64: String] = [:]
        for entry in table.entries {
            let symbol = elf.symbols[entry.symbolIndex]
            relocated[entry.offset] = elf.sections[symbol.sectionIndex].name
        }
        #expect(relocated == expected, "\(url.lastPathComponent)")
    }

    @Test(arguments: BTFInputs.objects)
    func funcInfoNamesTheFunctionSymbols(_ url: URL) throws {
        let object = try BTFInputs.object(url)
        guard let ext = object.ext else { return }
        for group in ext.funcInfo {
            for record in group.records {
                #expect(object.btf.kind(of: record.typeID) == .function)
                let symbol = object.elf.symbols.first {
                    $0.kind == .function && $0.value == UInt64(record.instructionByteOffset)
                        && $0.sectionIndex < object.elf.sections.count
                        && object.elf.sections[$0.sectionIndex].name == group.sectionName
                }
                #expect(symbol?.name == object.btf.name(of: record.typeID),
                        "\(url.lastPathComponent) \(group.sectionName)+\(record.instructionByteOffset)")
            }
        }
    }

    /// Line numbers agree with the DWARF line table `llvm-objdump -l` prints, except for line 0
    /// records (compiler-generated code) and function entries (BTF names the signature's line,
    /// DWARF the first statement's).
    @Test(arguments: BTFInputs.objects)
    func lineInfoMatchesObjdump(_ url: URL) throws {
        let object = try BTFInputs.object(url)
        guard let ext = object.ext, !ext.lineInfo.isEmpty else { return }
        let listing = try Fixtures.run("llvm-objdump", ["-l", "-d", "--no-show-raw-insn", url.path])
        var lines: [String: [Int: Int]] = [:]  // section -> instruction -> active source line
        var section: String?
        var active: Int?
        for line in listing.split(separator: "\n").map(String.init) {
            if line.hasPrefix("Disassembly of section ") {
                section = String(line.dropFirst("Disassembly of section ".count).dropLast())
                active = nil
            } else if line.hasPrefix("; "), let colon = line.lastIndex(of: ":"), let number = Int(line[line.index(after: colon)...]) {
                active = number
            } else if let section, let colon = line.firstIndex(of: ":"),
                      let index = Int(line[..<colon].trimmingCharacters(in: .whitespaces)) {
                lines[section, default: [:]][index] = active
            }
        }
        for group in ext.lineInfo {
            let entries = Set(ext.funcInfo(forSection: group.sectionName).map(\.instructionIndex))
            for record in group.records where record.line != 0 && !entries.contains(record.instructionIndex) {
                #expect(lines[group.sectionName]?[record.instructionIndex] == Int(record.line),
                        "\(url.lastPathComponent) \(group.sectionName) insn \(record.instructionIndex)")
            }
            #expect(group.records.allSatisfy { !ext.fileName(of: $0).isEmpty })
        }
    }

    @Test func largerRecordsAreAcceptedSmallerRejected() throws {
        let btf = try BTF(bytes: BTFSamples.coreBTF)
        let original = try BTFExt(bytes: BTFSamples.coreExt[...], btf: btf)
        for order in [ByteOrder.little, .big] {
            let wide = ExtBuilder.encode(original, order: order, funcSize: 12, lineSize: 24, coreSize: 20)
            let parsed = try BTFExt(bytes: wide[...], btf: btf)
            #expect(parsed.funcInfo == original.funcInfo)
            #expect(parsed.lineInfo == original.lineInfo)
            #expect(parsed.coreRelocations == original.coreRelocations)
            #expect(parsed.funcInfoRecordSize == 12 && parsed.lineInfoRecordSize == 24)
        }
        #expect(ExtBuilder.encode(original, order: .little, funcSize: 8, lineSize: 16, coreSize: 16) == BTFSamples.coreExt,
                "the test encoder reproduces clang's bytes")
        for (func_, line, core) in [(4, 16, 16), (8, 12, 16), (8, 16, 8), (10, 16, 16), (8, 16, 18)] {
            let bytes = ExtBuilder.encode(original, order: .little, funcSize: func_, lineSize: line, coreSize: core)
            #expect(throws: ParseError.self) { try BTFExt(bytes: bytes[...], btf: btf) }
        }
    }

    @Test func kernelRecords() throws {
        let btf = try BTF(bytes: BTFSamples.coreBTF)
        let ext = try BTFExt(bytes: BTFSamples.coreExt[...], btf: btf)
        // The entry program (xdp, 25 instructions) at 0, then the subprogram from .text at 25.
        let entry = ext.kernelFuncInfo(section: "xdp", instructions: 0..<25, placedAt: 0)
        let sub = ext.kernelFuncInfo(section: ".text", instructions: 0..<3, placedAt: 25)
        #expect(entry + sub == [BPFFuncInfo(instructionIndex: 0, typeID: 9), BPFFuncInfo(instructionIndex: 25, typeID: 12)])
        let subLines = ext.kernelLineInfo(section: ".text", instructions: 0..<3, placedAt: 25)
        #expect(subLines.map(\.instructionIndex) == [25, 27])
        let lineSixColumnTen: UInt32 = (6 << 10) | 10
        #expect(subLines.first?.lineColumn == lineSixColumnTen)
        #expect(ext.kernelLineInfo(section: "xdp", instructions: 3..<6, placedAt: 0).map(\.instructionIndex) == [0, 2])
        #expect(BPFFuncInfo.encode(entry + sub, order: .little) == [0, 0, 0, 0, 9, 0, 0, 0, 25, 0, 0, 0, 12, 0, 0, 0])
        #expect(BPFFuncInfo.encode(entry, order: .big) == [0, 0, 0, 0, 0, 0, 0, 9])
        let line = BPFLineInfo(instructionIndex: 1, fileNameOffset: 2, lineOffset: 3, lineColumn: 4)
        #expect(BPFLineInfo.encode([line], order: .little) == [1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0])
        #expect(BPFLineInfo.encode([line, line]).count == 2 * BPFLineInfo.size)
        #expect(BPFFuncInfo.size == 8 && BPFLineInfo.size == 16)
        #expect(BTFExtFuncInfo.size == 8 && BTFExtLineInfo.size == 16 && BTFCoreRelocation.size == 16)
    }
}

/// Writes a `.BTF.ext` blob from parsed records with chosen record sizes (extra bytes zero),
/// to test record-size handling. Test-only: the library has no `.BTF.ext` writer.
enum ExtBuilder {
    static func encode(_ ext: BTFExt, order: ByteOrder, funcSize: Int, lineSize: Int, coreSize: Int) -> [UInt8] {
        func subsection<R>(_ groups: [BTFExtSection<R>], size: Int, _ words: (R) -> [UInt32]) -> [UInt8] {
            guard !groups.isEmpty else { return [] }
            var bytes = order.bytes(of: UInt32(size))
            for group in groups {
                bytes += order.bytes(of: group.sectionNameOffset) + order.bytes(of: UInt32(group.records.count))
                for record in group.records {
                    var encoded = words(record).flatMap { order.bytes(of: $0) }
                    encoded = Array(encoded.prefix(size))
                    encoded += [UInt8](repeating: 0, count: max(0, size - encoded.count))
                    bytes += encoded
                }
            }
            return bytes
        }
        let funcs = subsection(ext.funcInfo, size: funcSize) { [$0.instructionByteOffset, $0.typeID] }
        let lines = subsection(ext.lineInfo, size: lineSize) {
            [$0.instructionByteOffset, $0.fileNameOffset, $0.lineOffset, $0.lineColumn]
        }
        let cores = subsection(ext.coreRelocations, size: coreSize) {
            [$0.instructionByteOffset, $0.typeID, $0.accessStringOffset, $0.rawKind]
        }
        var header = order.bytes(of: UInt16(0xEB9F)) + [1, 0] + order.bytes(of: UInt32(32))
        for value in [0, funcs.count, funcs.count, lines.count, funcs.count + lines.count, cores.count] {
            header += order.bytes(of: UInt32(value))
        }
        return header + funcs + lines + cores
    }
}
