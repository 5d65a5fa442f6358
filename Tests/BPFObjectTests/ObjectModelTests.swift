import Foundation
import Testing
@testable import BPFObject

/// The object model lists exactly the programs and maps that the ELF symbols imply, with the
/// implication computed from llvm-readelf's output (not from our ELF reader).
@Suite struct ObjectModelTests {
    static var inputs: [URL] { Fixtures.objects + Fixtures.systemXDPObjects }

    /// Programs: FUNC symbols in executable sections other than `.text`.
    /// Maps: symbols in `.maps`/`maps`, plus one per non-empty `.data*`/`.rodata*`/`.bss*` section.
    static func expected(_ url: URL) throws -> (programs: Set<String>, maps: Set<String>) {
        let sections = try Readelf.sections(url)
        let flags = try Readelf.sectionFlags(url)
        let symbols = try Readelf.symbols(url)
        var programs = Set<String>()
        var maps = Set<String>()
        for symbol in symbols {
            guard let index = Int(symbol.section), index < sections.count else { continue }
            let section = sections[index]
            if symbol.kind == "FUNC", flags[index].contains("X"), section.name != ".text" {
                programs.insert(symbol.name)
            }
            if (section.name == ".maps" || section.name == "maps"), symbol.kind != "SECTION", !symbol.name.isEmpty {
                maps.insert(symbol.name)
            }
        }
        for (index, section) in sections.enumerated() where section.size > 0 && !flags[index].contains("X") {
            for prefix in [".data", ".rodata", ".bss"] where section.name == prefix || section.name.hasPrefix(prefix + ".") {
                maps.insert(section.name)
            }
        }
        return (programs, maps)
    }

    @Test(arguments: inputs)
    func programsAndMapsAreWhatTheSymbolsImply(_ url: URL) throws {
        let object = try BPFObjectFile(bytes: [UInt8](try Data(contentsOf: url)))
        let (programs, maps) = try Self.expected(url)
        #expect(Set(object.programs.map(\.name)) == programs)
        #expect(Set(object.maps.map(\.name)) == maps)
        #expect(object.programs.count == programs.count, "no duplicate programs")
        #expect(object.maps.count == maps.count, "no duplicate maps")
    }

    @Test(arguments: inputs)
    func everyProgramLinks(_ url: URL) throws {
        let object = try BPFObjectFile(bytes: [UInt8](try Data(contentsOf: url)))
        for program in object.programs {
            let linked = try object.link(program)
            #expect(linked.instructions.count >= program.function.instructions.count)
            // After linking, every pseudo call lands on the first instruction of a placement.
            let externCalls = Set(linked.relocations.filter {
                if case .externCall = $0.kind { true } else { false }
            }.map(\.instruction))
            for (index, instruction) in linked.instructions.enumerated()
                where instruction.isLocalCall && !externCalls.contains(index) {
                let target = index + Int(instruction.immediate) + 1
                #expect(linked.placements.contains { $0.start == target }, "\(program.name) insn \(index)")
            }
            #expect(linked.relocations.allSatisfy { !$0.kind.isCode })
        }
    }
}

extension Readelf {
    /// The `Flg` column of `llvm-readelf -S -W`, per section index.
    static func sectionFlags(_ url: URL) throws -> [String] {
        let text = try Fixtures.run("llvm-readelf", ["-S", "-W", url.path])
        var result: [String] = []
        for line in text.split(separator: "\n") where line.contains("[") && !line.contains("[Nr]") {
            guard let close = line.firstIndex(of: "]") else { continue }
            var fields = line[line.index(after: close)...].split(separator: " ").map(String.init)
            fields.removeLast(3) // Lk Inf Al
            let last = fields.last ?? ""
            result.append(last.count == 2 && Readelf.isHex(last) && fields.count >= 6 ? "" : last)
        }
        return result
    }
}
