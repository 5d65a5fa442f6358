import Testing
@testable import BPFObject

/// The disassembler's options beyond llvm-objdump: helper names, BPF-to-BPF call targets,
/// jump labels, caller annotations, and the listing layout.
@Suite struct DisasmOptionsTests {
    let lookup = Instruction(code: 0x85, immediate: 1)                       // call bpf_map_lookup_elem
    let unknownHelper = Instruction(code: 0x85, immediate: 999)
    let localCall = Instruction(code: 0x85, src: BPFPseudo.call, immediate: 3)
    let backwardCall = Instruction(code: 0x85, src: BPFPseudo.call, immediate: -6)

    @Test func helperCallStyles() {
        #expect(Disassembler().text(lookup) == "call 0x1")
        #expect(Disassembler(helperCalls: .name).text(lookup) == "call bpf_map_lookup_elem")
        #expect(Disassembler(helperCalls: .numberAndName).text(lookup) == "call 0x1 ; bpf_map_lookup_elem")
        for style in [Disassembler.HelperCallStyle.number, .name, .numberAndName] {
            #expect(Disassembler(helperCalls: style).text(unknownHelper) == "call 0x3e7")
        }
        // Helper names never apply to BPF-to-BPF or kfunc calls.
        #expect(Disassembler(helperCalls: .name).text(Instruction(code: 0x85, src: 2, immediate: 1)) == "call 0x1")
    }

    @Test func localCallStyles() {
        #expect(Disassembler().text(localCall, at: 5) == "call 0x3")
        #expect(Disassembler(localCalls: .relative).text(localCall, at: 5) == "call pc+3")
        #expect(Disassembler(localCalls: .relative).text(backwardCall, at: 10) == "call pc-6")
        var targets: [Int] = []
        let named = Disassembler(localCallName: { target in
            targets.append(target)
            return target == 9 ? "parse_ipv4" : nil
        })
        #expect(named.text(localCall, at: 5) == "call parse_ipv4")     // 5 + 1 + 3
        #expect(named.text(backwardCall, at: 10) == "call -0x6")       // target 5 has no name
        #expect(targets == [9, 5])
    }

    @Test func jumpLabels() {
        let labels = Disassembler(jumpLabel: { "LBB0_\($0)" })
        #expect(labels.text(Instruction(code: 0x05, offset: 2), at: 4) == "goto +0x2 <LBB0_7>")
        #expect(labels.text(Instruction(code: 0x06, immediate: -5), at: 4) == "gotol -0x5 <LBB0_0>")
        #expect(labels.text(Instruction(code: 0x1d, dst: 1, src: 2, offset: 1), at: 0) == "if r1 == r2 goto +0x1 <LBB0_2>")
        #expect(labels.text(Instruction(code: 0xe5, offset: 0), at: 3) == "may_goto +0x0 <LBB0_4>")
        #expect(labels.text(Instruction(code: 0x95)) == "exit")
    }

    @Test func annotationsAreAppendedAsComments() {
        let program = Instruction.loadImmediate64(dst: 1, value: 0) + [lookup, Instruction(code: 0x95)]
        let disassembler = Disassembler(helperCalls: .name, annotate: { logical in
            logical.instruction.isWideLoad ? "map xdp_stats_map" : nil
        })
        let lines = disassembler.lines(program)
        #expect(lines.map(\.index) == [0, 2, 3])
        #expect(lines.map(\.text) == ["r1 = 0x0 ll ; map xdp_stats_map", "call bpf_map_lookup_elem", "exit"])
    }

    @Test func listingHasObjdumpLayout() {
        let program = [Instruction(code: 0xb7, immediate: 2)] + Instruction.loadImmediate64(dst: 2, value: 1)
            + [Instruction(code: 0x95)]
        #expect(Disassembler().listing(program) == """
                   0:\tr0 = 0x2
                   1:\tr2 = 0x1 ll
                   3:\texit

            """)
    }

    @Test func invalidWideLoadTakesOneSlot() {
        // off != 0 makes ld_imm64 invalid: llvm-objdump prints <unknown> for 8 bytes and goes on.
        let program = [Instruction(code: 0x18, dst: 1, offset: 1), Instruction(code: 0xb7, dst: 3)]
        let lines = Disassembler().lines(program)
        #expect(lines.map(\.index) == [0, 1])
        #expect(lines.map(\.text) == ["<unknown>", "r3 = 0x0"])
        // A truncated ld_imm64 at the end of a section is <unknown> too.
        #expect(Disassembler().lines([Instruction(code: 0x18, dst: 1)]).map(\.text) == ["<unknown>"])
    }
}
