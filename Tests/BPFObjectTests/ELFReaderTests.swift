import Foundation
import Testing
@testable import BPFObject

/// Compares the ELF reader with llvm-readelf on every fixture and every xdp-tools object.
@Suite struct ELFReaderTests {
    static var inputs: [URL] { Fixtures.objects + Fixtures.systemXDPObjects }

    @Test func thereAreInputs() {
        #expect(!Fixtures.objects.isEmpty, "Fixtures/*.o must be committed")
    }

    @Test(arguments: inputs)
    func sectionsMatchReadelf(_ url: URL) throws {
        let elf = try ELFFile(bytes: [UInt8](try Data(contentsOf: url)))
        let reference = try Readelf.sections(url)
        #expect(elf.sections.count == reference.count)
        for (ours, theirs) in zip(elf.sections, reference) {
            #expect(ours.name == theirs.name, "section \(ours.index)")
            #expect(ours.offset == theirs.offset, "section \(ours.name) offset")
            #expect(ours.size == theirs.size, "section \(ours.name) size")
            #expect(ours.link == theirs.link && ours.info == theirs.info, "section \(ours.name) link/info")
        }
    }

    @Test(arguments: inputs)
    func symbolsMatchReadelf(_ url: URL) throws {
        let elf = try ELFFile(bytes: [UInt8](try Data(contentsOf: url)))
        let reference = try Readelf.symbols(url)
        #expect(elf.symbols.count == reference.count)
        for (ours, theirs) in zip(elf.symbols, reference) {
            #expect(elf.displayName(of: ours) == theirs.name, "symbol \(ours.index)")
            #expect(ours.value == theirs.value, "symbol \(ours.name) value")
            #expect(ours.size == theirs.size, "symbol \(ours.name) size")
            #expect(Readelf.kindName(ours.kind) == theirs.kind, "symbol \(ours.name) type")
            #expect(Readelf.bindingName(ours.binding) == theirs.binding, "symbol \(ours.name) binding")
            #expect(Readelf.sectionIndexName(ours.sectionIndex) == theirs.section, "symbol \(ours.name) ndx")
        }
    }

    @Test(arguments: inputs)
    func relocationsMatchReadelf(_ url: URL) throws {
        let elf = try ELFFile(bytes: [UInt8](try Data(contentsOf: url)))
        let reference = try Readelf.relocations(url)
        let tables = try elf.relocationTables
        #expect(tables.map(\.section.name) == reference.map(\.section))
        for (ours, theirs) in zip(tables, reference) {
            #expect(ours.entries.count == theirs.entries.count, "\(ours.section.name)")
            for (entry, expected) in zip(ours.entries, theirs.entries) {
                #expect(entry.offset == expected.offset)
                #expect(BPFRelocationType.name(entry.type) == expected.type)
                #expect(elf.displayName(of: elf.symbols[entry.symbolIndex]) == expected.symbol,
                        "\(ours.section.name) +\(entry.offset)")
            }
        }
    }

    /// Symbol names are resolved on demand: one symbol and the whole list agree.
    @Test(arguments: inputs)
    func symbolAtMatchesTheList(_ url: URL) throws {
        let elf = try ELFFile(bytes: [UInt8](try Data(contentsOf: url)))
        let symbols = elf.symbols
        #expect(symbols.count == elf.symbolCount)
        for index in symbols.indices { #expect(elf.symbol(at: index) == symbols[index]) }
    }

    /// Relocation entries are decoded on demand. A table patching DWARF is checked when it is
    /// first decoded (libbpf never reads those): the file opens, and a bad symbol index is an
    /// error at that entry when the table is asked for.
    @Test func aDWARFRelocationTableIsCheckedWhenDecoded() throws {
        var bytes = try Fixtures.bytes("xdp_pass.bpf.o")
        let elf = try ELFFile(bytes: bytes)
        let table = try #require(try elf.relocationTables.first { $0.section.name.hasPrefix(".rel.debug") })
        // Entry 1's r_info (little-endian): the symbol index is the high half, at +12.
        let info = table.section.offset + ELF.relSize + 8
        bytes.replaceSubrange((info + 4)..<(info + 8), with: [0xff, 0xff, 0, 0])
        let damaged = try ELFFile(bytes: bytes)
        let error = ParseError(.invalid("symbol index 65535 is out of range (\(elf.symbolCount) symbols)"),
                               context: "relocation section \(table.section.name) entry 1", offset: info)
        #expect(throws: error) { try damaged.relocationTables }
        #expect(throws: error) { try damaged.relocations(forSection: table.targetSectionIndex) }
        // The object model never reads it: the object still opens.
        _ = try BPFObjectFile(bytes: bytes)
    }

    /// A table patching a loadable section (code, `.maps`) is checked when the file is read.
    @Test func aCodeRelocationTableIsCheckedOnRead() throws {
        var bytes = try Fixtures.bytes("tiny_lb.bpf.o")
        let elf = try ELFFile(bytes: bytes)
        let table = try #require(try elf.relocationTables.first { elf.sections[$0.targetSectionIndex].isExecutable })
        let info = table.section.offset + 8
        bytes.replaceSubrange((info + 4)..<(info + 8), with: [0xff, 0xff, 0, 0])
        #expect(throws: ParseError(.invalid("symbol index 65535 is out of range (\(elf.symbolCount) symbols)"),
                                   context: "relocation section \(table.section.name) entry 0", offset: info)) {
            try ELFFile(bytes: bytes)
        }
    }

    @Test func rejectsWhatIsNotABPFObject() throws {
        #expect(throws: ParseError.self) { try ELFFile(bytes: []) }
        #expect(throws: ParseError(.badMagic, context: "ELF header", offset: 0)) {
            try ELFFile(bytes: Array("not an elf file at all, long enough".utf8) + [UInt8](repeating: 0, count: 64))
        }
        // A host executable: ELF, but not ET_REL / EM_BPF.
        let host = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "/bin/true")))
        do {
            _ = try ELFFile(bytes: host)
            Issue.record("/bin/true parsed as a BPF object")
        } catch {
            guard case .unsupported = error.kind else { Issue.record("wrong kind \(error)"); return }
            #expect(error.offset == 16 || error.offset == 18)
        }
    }
}

/// Parses llvm-readelf's text output (the reference).
enum Readelf {
    struct Section { var name: String; var offset: Int; var size: Int; var link: UInt32; var info: UInt32 }
    struct Symbol { var value: UInt64; var size: UInt64; var kind: String; var binding: String; var section: String; var name: String }
    struct Relocation { var offset: UInt64; var type: String; var symbol: String }
    struct Table { var section: String; var entries: [Relocation] }

    static func sections(_ url: URL) throws -> [Section] {
        let text = try Fixtures.run("llvm-readelf", ["-S", "-W", url.path])
        var result: [Section] = []
        for line in text.split(separator: "\n") where line.contains("[") && !line.contains("[Nr]") {
            // "  [ 3] xdp   PROGBITS  0000000000000000 000250 0004b0 00  AX  0   0  8"
            guard let close = line.firstIndex(of: "]") else { continue }
            let rest = line[line.index(after: close)...]
            var fields = rest.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            // The null section has no name; flags may be empty: count from the end.
            let align = fields.removeLast(), info = fields.removeLast(), link = fields.removeLast()
            _ = align
            if fields.count >= 1, !isHex(fields.last!) || fields.last!.count < 2 { fields.removeLast() } // flags
            let es = fields.removeLast(), size = fields.removeLast(), offset = fields.removeLast()
            _ = es
            fields.removeLast() // address
            fields.removeLast() // type
            let name = fields.joined(separator: " ")
            result.append(Section(name: name, offset: Int(offset, radix: 16)!, size: Int(size, radix: 16)!,
                                  link: UInt32(link)!, info: UInt32(info)!))
        }
        return result
    }

    static func isHex(_ s: String) -> Bool { s.allSatisfy(\.isHexDigit) }

    static func symbols(_ url: URL) throws -> [Symbol] {
        let text = try Fixtures.run("llvm-readelf", ["-s", "-W", url.path])
        var result: [Symbol] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard fields.count >= 7, fields[0].hasSuffix(":"), Int(fields[0].dropLast()) != nil else { continue }
            result.append(Symbol(value: UInt64(fields[1], radix: 16)!, size: UInt64(fields[2])!, kind: fields[3],
                                 binding: fields[4], section: fields[6],
                                 name: fields.count > 7 ? fields[7...].joined(separator: " ") : ""))
        }
        return result
    }

    static func relocations(_ url: URL) throws -> [Table] {
        let text = try Fixtures.run("llvm-readelf", ["-r", "-W", url.path])
        var tables: [Table] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("Relocation section '") {
                let name = line.dropFirst("Relocation section '".count).prefix { $0 != "'" }
                tables.append(Table(section: String(name), entries: []))
                continue
            }
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard fields.count >= 3, fields[0].count == 16, let offset = UInt64(fields[0], radix: 16) else { continue }
            tables[tables.count - 1].entries.append(
                Relocation(offset: offset, type: fields[2], symbol: fields.count > 4 ? fields[4...].joined(separator: " ") : ""))
        }
        return tables
    }

    static func kindName(_ kind: ELFSymbol.Kind) -> String {
        switch kind {
        case .noType: "NOTYPE"
        case .object: "OBJECT"
        case .function: "FUNC"
        case .section: "SECTION"
        case .file: "FILE"
        case .other: "?"
        }
    }

    static func bindingName(_ binding: ELFSymbol.Binding) -> String {
        switch binding {
        case .local: "LOCAL"
        case .global: "GLOBAL"
        case .weak: "WEAK"
        case .other: "?"
        }
    }

    static func sectionIndexName(_ index: Int) -> String {
        switch index {
        case 0: "UND"
        case Int(ELF.sectionAbsolute): "ABS"
        case Int(ELF.sectionCommon): "COM"
        default: String(index)
        }
    }
}
