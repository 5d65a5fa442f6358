import Foundation
import Testing
@testable import BPFObject

/// Decoding and encoding of `struct bpf_insn`, the opcode fields, the logical-instruction walk,
/// and the constant tables (pseudo sources, helper ids) checked against the UAPI header.
@Suite struct InstructionTests {
    // MARK: Byte layout

    @Test func decodesLittleEndianSlot() throws {
        // r1 = *(u32 *)(r2 - 0x4): code 0x61, dst 1 in the LOW nibble, src 2 in the high one.
        let bytes: [UInt8] = [0x61, 0x21, 0xfc, 0xff, 0x2a, 0x00, 0x00, 0x00]
        let insn = try Instruction(bytes: bytes[...], order: .little)
        #expect(insn == Instruction(code: 0x61, dst: 1, src: 2, offset: -4, immediate: 42))
        #expect(insn.encoded(order: .little) == bytes)
    }

    @Test func decodesBigEndianSlotWithDstInHighNibble() throws {
        // The same instruction as `clang -target bpfeb` writes it: dst in the HIGH nibble.
        let bytes: [UInt8] = [0x61, 0x12, 0xff, 0xfc, 0x00, 0x00, 0x00, 0x2a]
        let insn = try Instruction(bytes: bytes[...], order: .big)
        #expect(insn == Instruction(code: 0x61, dst: 1, src: 2, offset: -4, immediate: 42))
        #expect(insn.encoded(order: .big) == bytes)
        #expect(insn.encoded(order: .little) == [0x61, 0x21, 0xfc, 0xff, 0x2a, 0x00, 0x00, 0x00])
    }

    @Test func roundTripsEveryFieldValueInBothOrders() throws {
        var generator = SplitMix64(seed: 0x5eed)
        for _ in 0..<5_000 {
            let insn = Instruction(code: UInt8.random(in: .min ... .max, using: &generator),
                                   dst: UInt8.random(in: 0...15, using: &generator),
                                   src: UInt8.random(in: 0...15, using: &generator),
                                   offset: Int16.random(in: .min ... .max, using: &generator),
                                   immediate: Int32.random(in: .min ... .max, using: &generator))
            for order in [ByteOrder.little, .big] {
                let bytes = insn.encoded(order: order)
                #expect(bytes.count == Instruction.size)
                #expect(try Instruction(bytes: bytes[...], order: order) == insn)
            }
        }
    }

    @Test func registersAreFourBits() {
        let insn = Instruction(code: 0xbf, dst: 0x1f, src: 0xf2)
        #expect(insn.dst == 0xf && insn.src == 0x2)
    }

    @Test func decodeAllReadsSlotsAndEncodeAllWritesThemBack() throws {
        let program = Instruction.loadImmediate64(dst: 1, value: 0x1122_3344_5566_7788)
            + [Instruction(code: 0xb7, immediate: 2), Instruction(code: Opcode.exit)]
        for order in [ByteOrder.little, .big] {
            let bytes = Instruction.encodeAll(program, order: order)
            #expect(bytes.count == 32)
            #expect(try Instruction.decodeAll(bytes, order: order) == program)
        }
    }

    // MARK: Bad input gives typed errors

    @Test func sectionSizeMustBeAMultipleOfEight() {
        let bytes = [UInt8](repeating: 0, count: 20)
        #expect(throws: ParseError(.invalid("size 20 is not a multiple of 8"), context: "xdp", offset: 0x100 + 16)) {
            try Instruction.decodeAll(bytes[...], order: .little, context: "xdp", base: 0x100)
        }
    }

    @Test func shortSlotIsTruncated() {
        let bytes: [UInt8] = [0x95, 0, 0]
        #expect(throws: ParseError(.truncated(needed: 8, available: 3), context: "instruction", offset: 0)) {
            try Instruction(bytes: bytes[...], order: .little)
        }
    }

    @Test func randomBytesNeverTrap() throws {
        var generator = SplitMix64(seed: 42)
        let bytes = (0..<(8 * 20_000)).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        for order in [ByteOrder.little, .big] {
            let instructions = try Instruction.decodeAll(bytes, order: order)
            let lines = Disassembler(helperCalls: .name, localCalls: .relative).lines(instructions)
            #expect(lines.count >= 19_000 && lines.allSatisfy { !$0.text.isEmpty })
            #expect(Array(instructions.logicalInstructions).reduce(0) { $0 + $1.slotCount } == instructions.count)
        }
    }

    // MARK: Opcode fields and predicates

    @Test func opcodeFields() {
        let load = Instruction(code: 0x79)            // BPF_LDX | BPF_MEM | BPF_DW
        #expect(load.instructionClass == .loadRegister && load.accessSize == .doubleWord
                && load.addressingMode == .memory && load.aluOperation == nil && load.jumpOperation == nil)
        let signExtending = Instruction(code: 0x89)   // BPF_LDX | BPF_MEMSX | BPF_H
        #expect(signExtending.addressingMode == .memorySignExtend && signExtending.accessSize == .halfWord)
        let atomic = Instruction(code: 0xdb)          // BPF_STX | BPF_ATOMIC | BPF_DW
        #expect(atomic.instructionClass == .storeRegister && atomic.addressingMode == .atomic)
        let add = Instruction(code: 0x0c)             // BPF_ALU | BPF_ADD | BPF_X
        #expect(add.instructionClass == .alu && add.aluOperation == .add && add.operandSource == .register)
        let jump = Instruction(code: 0xde)            // BPF_JMP32 | BPF_JSLE | BPF_X
        #expect(jump.instructionClass == .jump32 && jump.jumpOperation == .signedLessOrEqual)
        #expect(Instruction(code: 0xa0).addressingMode == nil)   // mode 0xa0 is not defined
    }

    @Test func callAndJumpPredicates() {
        let helper = Instruction(code: 0x85, immediate: 1)
        let local = Instruction(code: 0x85, src: BPFPseudo.call, immediate: -1)
        let kfunc = Instruction(code: 0x85, src: BPFPseudo.kernelFunctionCall, immediate: 1234)
        #expect(helper.isCall && helper.isHelperCall && !helper.isLocalCall)
        #expect(local.isCall && local.isLocalCall && !local.isHelperCall && !local.isKernelFunctionCall)
        #expect(kfunc.isKernelFunctionCall && !kfunc.isHelperCall)
        #expect(Instruction(code: 0x95).isExit)
        #expect(Instruction(code: 0x18).isWideLoad)
        #expect(Instruction(code: 0x05, offset: -3).jumpOffset == -3)
        #expect(Instruction(code: 0x06, offset: 9, immediate: 70_000).jumpOffset == 70_000)   // gotol
        #expect(Instruction(code: 0x2e, offset: 4).jumpOffset == 4)
        #expect(Instruction(code: 0xe5, offset: 2).jumpOffset == 2)                          // may_goto
        #expect(helper.jumpOffset == nil && Instruction(code: 0x95).jumpOffset == nil)
        #expect(Instruction(code: 0x07, offset: 4).jumpOffset == nil)
    }

    @Test func atomicOperationImmediatesRoundTrip() {
        let all: [AtomicOperation] = [.add(fetch: false), .add(fetch: true), .or(fetch: false), .or(fetch: true),
                                      .and(fetch: false), .and(fetch: true), .xor(fetch: false), .xor(fetch: true),
                                      .exchange, .compareExchange, .loadAcquire, .storeRelease]
        #expect(all.map(\.immediate) == [0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1, 0x100, 0x110])
        for operation in all {
            #expect(AtomicOperation(immediate: operation.immediate) == operation)
        }
        #expect(AtomicOperation(immediate: 0xe0) == nil && AtomicOperation(immediate: 0xf0) == nil)
        #expect(all.filter(\.fetches).count == 7)
    }

    // MARK: ld_imm64 and logical instructions

    @Test func wideImmediateJoinsTwoSlots() {
        let pair = Instruction.loadImmediate64(dst: 3, value: 0xdead_beef_0000_0001, source: BPFPseudo.mapValue)
        #expect(pair[0].code == 0x18 && pair[0].dst == 3 && pair[0].src == 2 && pair[0].immediate == 1)
        #expect(pair[1] == Instruction(code: 0, immediate: Int32(bitPattern: 0xdead_beef)))
        #expect(Instruction.wideImmediate(low: pair[0], high: pair[1]) == 0xdead_beef_0000_0001)
        #expect(pair[0].operation(next: pair[1])
                == .loadPseudo(dst: 3, source: 2, immediate: 1, secondImmediate: Int32(bitPattern: 0xdead_beef)))
        #expect(pair[0].operation(next: nil) == nil)
    }

    @Test func logicalInstructionsJoinWideLoads() {
        let program = [Instruction(code: 0xb7)] + Instruction.loadImmediate64(dst: 1, value: 7)
            + [Instruction(code: 0x95)] + [Instruction(code: 0x18, dst: 2, immediate: 5)]   // cut off
        let logical = Array(program.logicalInstructions)
        #expect(logical.map(\.index) == [0, 1, 3, 4])
        #expect(logical.map(\.slotCount) == [1, 2, 1, 1])
        #expect(logical[1].immediate64 == 7 && logical[0].immediate64 == nil)
        #expect(logical[3].isTruncated && !logical[1].isTruncated)
        #expect(Array(program[1...].logicalInstructions).map(\.index) == [1, 3, 4])   // slices keep indices
    }

    // MARK: Constant tables against linux/bpf.h

    static let uapiHeader = "/usr/include/linux/bpf.h"
    static var hasUAPIHeader: Bool { FileManager.default.fileExists(atPath: uapiHeader) }

    @Test(.enabled(if: hasUAPIHeader))
    func pseudoConstantsMatchHeader() throws {
        let header = try String(contentsOfFile: Self.uapiHeader, encoding: .utf8)
        let expected: [String: UInt8] = [
            "BPF_PSEUDO_MAP_FD": BPFPseudo.mapFD, "BPF_PSEUDO_MAP_VALUE": BPFPseudo.mapValue,
            "BPF_PSEUDO_BTF_ID": BPFPseudo.btfID, "BPF_PSEUDO_FUNC": BPFPseudo.function,
            "BPF_PSEUDO_MAP_IDX": BPFPseudo.mapIndex, "BPF_PSEUDO_MAP_IDX_VALUE": BPFPseudo.mapIndexValue,
            "BPF_PSEUDO_CALL": BPFPseudo.call, "BPF_PSEUDO_KFUNC_CALL": BPFPseudo.kernelFunctionCall,
        ]
        for (name, value) in expected {
            let pattern = "#define \(name)\\s+(\\d+)\\b"
            let regex = try NSRegularExpression(pattern: pattern)
            let match = try #require(regex.firstMatch(in: header, range: NSRange(header.startIndex..., in: header)), "\(name)")
            #expect(UInt8(header[Range(match.range(at: 1), in: header)!]) == value, "\(name)")
        }
    }

    /// The helper table agrees with `__BPF_FUNC_MAPPER` of the installed header (which may be
    /// older than the table: Debian 12's stops at 209).
    @Test(.enabled(if: hasUAPIHeader))
    func helperNamesMatchHeader() throws {
        let header = try String(contentsOfFile: Self.uapiHeader, encoding: .utf8)
        let start = try #require(header.range(of: "#define __BPF_FUNC_MAPPER(FN)"))
        let end = try #require(header.range(of: "/* */", range: start.upperBound..<header.endIndex))
        let regex = try NSRegularExpression(pattern: "FN\\(([a-z0-9_]+)")
        let body = String(header[start.upperBound..<end.lowerBound])
        let names = regex.matches(in: body, range: NSRange(body.startIndex..., in: body)).map {
            "bpf_" + body[Range($0.range(at: 1), in: body)!]
        }
        #expect(names.count > 200)
        #expect(Array(BPFHelper.names.prefix(names.count)) == names)
    }

    @Test func helperLookups() {
        #expect(BPFHelper.names.count == 212)
        #expect(BPFHelper.name(of: 1) == "bpf_map_lookup_elem")
        #expect(BPFHelper.name(of: 51) == "bpf_redirect_map")
        #expect(BPFHelper.name(of: 211) == "bpf_cgrp_storage_delete")
        #expect(BPFHelper.name(of: 0) == nil && BPFHelper.name(of: 212) == nil && BPFHelper.name(of: -1) == nil)
        #expect(BPFHelper.id(named: "bpf_xdp_adjust_head") == 44)
        #expect(BPFHelper.id(named: "bpf_unspec") == nil && BPFHelper.id(named: "nope") == nil)
    }
}

/// A small deterministic random number generator, so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
