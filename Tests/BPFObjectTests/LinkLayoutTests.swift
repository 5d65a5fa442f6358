import Foundation
import Testing
@testable import BPFObject

/// The linked program is made of the placed functions' own instructions, unchanged except for
/// the immediates (and pseudo sources) of their calls and function addresses, and keeps every
/// data relocation of every placed function, moved by the function's position. Functions
/// share their section's decoded instructions; each one's slice is exactly its symbol's range.
@Suite struct LinkLayoutTests {
    static var inputs: [URL] { Fixtures.objects + Fixtures.systemXDPObjects }

    @Test(arguments: inputs)
    func functionsAreTheirSectionsSlices(_ url: URL) throws {
        let object = try BPFObjectFile(bytes: [UInt8](try Data(contentsOf: url)))
        for function in object.functions {
            let section = object.elf.section(at: function.sectionIndex)
            let decoded = try Instruction.decodeAll(object.elf.data(of: section), order: object.order)
            #expect(function.instructions == Array(decoded[function.rangeInSection]), "\(function.name)")
            #expect(function.instructions.count == function.instructionCount)
            for local in 0..<function.instructionCount {
                #expect(function.instruction(at: local) == decoded[function.startInSection + local])
            }
        }
    }

    /// func_info and line_info of a linked program are, placement by placement, the section's
    /// records that fall inside the placed function, moved by its shift
    /// (``LinkedProgram/referenceRecords(in:)``).
    @Test(arguments: inputs)
    func linkedRecordsAreThePlacedFunctionsRecords(_ url: URL) throws {
        let object = try BPFObjectFile(bytes: [UInt8](try Data(contentsOf: url)))
        guard let ext = object.btfExt else { return }
        for program in object.programs {
            let linked = try object.link(program)
            let (funcs, lines) = linked.referenceRecords(in: ext)
            #expect(linked.lineInfo == lines, "\(url.lastPathComponent) \(program.name)")
            #expect(linked.funcInfo == funcs, "\(url.lastPathComponent) \(program.name)")
        }
    }

    @Test(arguments: inputs)
    func linkedProgramsAreThePlacedFunctions(_ url: URL) throws {
        let object = try BPFObjectFile(bytes: [UInt8](try Data(contentsOf: url)))
        for program in object.programs {
            let linked = try object.link(program)
            #expect(linked.placements.first?.start == 0)
            #expect(linked.instructions.count == linked.placements.reduce(0) { $0 + $1.count })
            var expectedRelocations: [Relocation] = []
            for (number, placement) in linked.placements.enumerated() {
                let function = number == 0 ? program.function : try #require(object.functions.first {
                    $0.sectionName == placement.sectionName && $0.startInSection == placement.startInSection
                })
                #expect(placement.count == function.instructionCount)
                let patched = Set(function.relocations.filter(\.kind.isCode).map(\.instruction))
                for local in 0..<placement.count {
                    let original = function.instruction(at: local)
                    let placed = linked.instructions[placement.start + local]
                    if patched.contains(local) {
                        #expect(placed.code == original.code && placed.dst == original.dst
                                && placed.offset == original.offset, "\(program.name) insn \(placement.start + local)")
                    } else {
                        #expect(placed == original, "\(program.name) insn \(placement.start + local)")
                    }
                }
                for var relocation in function.relocations where !relocation.kind.isCode {
                    relocation.instruction += placement.start
                    expectedRelocations.append(relocation)
                }
            }
            // Same relocations (the walk's order interleaves callees' with the caller's).
            let order: (Relocation, Relocation) -> Bool = { $0.instruction < $1.instruction }
            #expect(linked.relocations.sorted(by: order) == expectedRelocations.sorted(by: order))
        }
    }

    @Test func linkingTwiceGivesTheSameProgram() throws {
        let object = try BPFObjectFile(bytes: try Fixtures.bytes("subprograms.bpf.o"), name: "subprograms")
        for program in object.programs {
            #expect(try object.link(program) == object.link(program))
        }
    }
}
