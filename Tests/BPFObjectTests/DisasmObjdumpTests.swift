import Foundation
import Testing
@testable import BPFObject

/// Compares the disassembler with LLVM 21's llvm-objdump, line by line, on every executable
/// section of every committed fixture and every xdp-tools object installed on the machine.
///
/// Normalisation: none on the instruction text. llvm-objdump appends `<symbol>` or
/// `<symbol+0xoff>` to jump targets; the test reproduces those labels through the
/// disassembler's `jumpLabel` hook from the object's symbol table (see
/// ``ReferenceTools/objdumpLabel(_:section:slot:)``), so whole lines are compared.
@Suite(.enabled(if: ReferenceTools.hasObjdump, "needs \(ReferenceTools.objdump)"))
struct DisasmObjdumpTests {
    static var inputs: [URL] { Fixtures.objects + Fixtures.systemXDPObjects }

    @Test func thereAreInputs() {
        #expect(!Self.inputs.isEmpty)
    }

    @Test(arguments: inputs)
    func everyLineMatchesObjdump(_ url: URL) throws {
        let elf = try ELFFile(bytes: [UInt8](try Data(contentsOf: url)))
        let reference = try ReferenceTools.objdumpListing(url.path)
        var compared = 0
        for section in elf.sections where section.isExecutable && section.size > 0 {
            let instructions = try Instruction.decodeAll(elf.data(of: section), order: elf.order,
                                                         context: section.name, base: section.offset)
            let disassembler = Disassembler(jumpLabel: { slot in
                ReferenceTools.objdumpLabel(elf, section: section, slot: slot)
            })
            let ours = disassembler.lines(instructions)
            let theirs = try #require(reference[section.name], "objdump did not list \(section.name)")
            #expect(ours.map(\.index) == theirs.keys.sorted(), "\(section.name): instruction boundaries")
            for line in ours {
                #expect(line.text == theirs[line.index], "\(url.lastPathComponent) \(section.name) #\(line.index)")
            }
            compared += ours.count
        }
        #expect(compared > 0, "no instructions in \(url.lastPathComponent)")
    }

    /// Re-encoding the decoded slots in the object's byte order gives back the section bytes.
    @Test(arguments: inputs)
    func decodeEncodeRoundTripOnObjects(_ url: URL) throws {
        let elf = try ELFFile(bytes: [UInt8](try Data(contentsOf: url)))
        for section in elf.sections where section.isExecutable {
            let bytes = elf.data(of: section)
            let instructions = try Instruction.decodeAll(bytes, order: elf.order)
            #expect(Instruction.encodeAll(instructions, order: elf.order) == Array(bytes), "\(section.name)")
        }
    }

    /// `-target bpfeb` builds of a source decode to the same instructions as `-target bpf`
    /// builds. `xdp_pass` is endian-neutral C, so the instructions are identical. `global_data`
    /// reads packet bytes and compares with `bpf_htons()` constants, so the compiler picks other
    /// byte offsets and constants for big-endian: there the opcodes and registers must agree.
    @Test(arguments: [("xdp_pass.bpf.o", "xdp_pass.bpfeb.o", true),
                      ("global_data.bpf.o", "global_data.bpfeb.o", false)])
    func bigEndianObjectsDecodeLikeLittleEndian(_ little: String, _ big: String, _ identical: Bool) throws {
        let le = try ELFFile(bytes: try Fixtures.bytes(little))
        let be = try ELFFile(bytes: try Fixtures.bytes(big))
        #expect(le.order == .little && be.order == .big)
        let leSections = le.sections.filter(\.isExecutable)
        #expect(leSections.map(\.name) == be.sections.filter(\.isExecutable).map(\.name))
        var compared = 0
        for section in leSections {
            let other = try #require(be.section(named: section.name))
            let leInstructions = try Instruction.decodeAll(le.data(of: section), order: .little)
            let beInstructions = try Instruction.decodeAll(be.data(of: other), order: .big)
            if identical {
                #expect(leInstructions == beInstructions, "\(section.name)")
            } else {
                #expect(leInstructions.map { [$0.code, $0.dst, $0.src] } == beInstructions.map { [$0.code, $0.dst, $0.src] },
                        "\(section.name)")
            }
            // The bytes differ: at least the register nibbles are swapped.
            if leInstructions.contains(where: { $0.dst != $0.src }) {
                #expect(Array(le.data(of: section)) != Array(be.data(of: other)))
            }
            compared += leInstructions.count
        }
        #expect(compared > 0)
    }
}
