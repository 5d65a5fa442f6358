import Foundation
import Testing
@testable import BPFObject

/// Disassembles a grid of ~25,000 encodings — every opcode byte with many register, offset and
/// immediate values, valid or not — and compares each line with LLVM 21's llvm-objdump.
///
/// The bytes are written as `.byte` directives, assembled by LLVM 21's clang into a BPF
/// object and disassembled by llvm-objdump. Jump labels (`<f+0x…>`) are reproduced through
/// the `jumpLabel` hook. Two deliberate differences are checked separately:
/// - LLVM accepts register number 11 (its internal scratch register); the ISA has r0–r10, so
///   we print `<unknown>`;
/// - LLVM's decoder ignores some `imm` bits of `BPF_ATOMIC` (it prints `0x102` as `lock … +=`);
///   we accept only the `imm` values the ISA defines.
@Suite(.enabled(if: ReferenceTools.hasClangAndObjdump, "needs LLVM 21 clang and llvm-objdump"))
struct DisasmGridTests {
    /// Every opcode byte combined with assorted field values; `ld_imm64` gets a second slot.
    static func grid() -> [Instruction] {
        let registerPairs: [(UInt8, UInt8)] = [(1, 2), (10, 0), (0, 10), (11, 1), (1, 11), (15, 3), (3, 15)]
        let offsets: [Int16] = [1, 8, 16, 32, -8, 0x7fff, -0x8000]
        let immediates: [Int32] = [0, 1, 16, 32, 64, -3, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe0, 0xe1,
                                   0xf0, 0xf1, 0x100, 0x110, 0x102, 0x10000, Int32.max, Int32.min]
        var result: [Instruction] = []
        func add(_ code: UInt8, _ dst: UInt8, _ src: UInt8, _ off: Int16, _ imm: Int32) {
            result.append(Instruction(code: code, dst: dst, src: src, offset: off, immediate: imm))
            if code == Opcode.loadImmediate64 {
                result.append(Instruction(code: 0, immediate: 7))
            }
        }
        for code in UInt8.min...UInt8.max {
            // LLVM reads `ld_imm64 r11` as two slots, we as one invalid slot: keep the
            // instruction boundaries aligned by leaving r11 out of ld_imm64.
            for (dst, src) in registerPairs where code != Opcode.loadImmediate64 || dst != 11 {
                add(code, dst, src, 0, 0x10)
            }
            for off in offsets { add(code, 1, 2, off, 0x10) }
            for imm in immediates {
                for off: Int16 in [0, 1, 8, -8] { add(code, 1, 2, off, imm) }
            }
        }
        return result
    }

    /// The label llvm-objdump gives slot `slot` of a section whose only symbol is `f` at 0.
    static func label(_ slot: Int) -> String {
        let address = UInt64(bitPattern: Int64(slot) * 8)
        return address == 0 ? "f" : "f+0x" + String(address, radix: 16)
    }

    /// True when our `<unknown>` is a deliberate difference from LLVM's `llvmText`.
    static func isDeliberateDifference(_ instruction: Instruction, llvmText: String) -> Bool {
        if llvmText.contains("r11") || llvmText.contains("w11") {
            return true
        }
        return instruction.instructionClass == .storeRegister && instruction.addressingMode == .atomic
            && AtomicOperation(immediate: instruction.immediate) == nil
    }

    @Test func everyEncodingMatchesObjdump() throws {
        let instructions = Self.grid()
        let directory = try ReferenceTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bytes = Instruction.encodeAll(instructions, order: .little)
        var source = ".text\n.globl f\nf:\n"
        for start in stride(from: 0, to: bytes.count, by: Instruction.size) {
            source += ".byte " + bytes[start..<(start + Instruction.size)].map { String($0) }
                .joined(separator: ",") + "\n"
        }
        let assembly = directory.appendingPathComponent("grid.s")
        let object = directory.appendingPathComponent("grid.o")
        try source.write(to: assembly, atomically: true, encoding: .utf8)
        try ReferenceTools.run(ReferenceTools.clang, ["-target", "bpf", "-c", assembly.path, "-o", object.path])
        let reference = try #require(try ReferenceTools.objdumpListing(object.path)[".text"])

        let ours = Disassembler(jumpLabel: Self.label).lines(instructions)
        let boundaries = (ours: ours.map(\.index), llvm: reference.keys.sorted())
        let firstDifference = zip(boundaries.ours, boundaries.llvm).first { $0 != $1 }
        #expect(boundaries.ours.count == boundaries.llvm.count && firstDifference == nil,
                "instruction boundaries: first difference \(String(describing: firstDifference)), counts \(boundaries.ours.count) vs \(boundaries.llvm.count), last \(boundaries.ours.suffix(2)) vs \(boundaries.llvm.suffix(2))")
        var matched = 0
        var deliberate = 0
        for line in ours {
            guard let theirs = reference[line.index] else { continue }
            if line.text == theirs {
                matched += 1
            } else if line.text == "<unknown>", Self.isDeliberateDifference(instructions[line.index], llvmText: theirs) {
                deliberate += 1
            } else {
                Issue.record("slot \(line.index) \(instructions[line.index]): ours \"\(line.text)\", llvm \"\(theirs)\"")
            }
        }
        #expect(matched > 20_000)
        #expect(deliberate > 0 && deliberate < 2_000)
    }

    /// A cpu v4 C program (sign-extending loads and moves, signed division and modulo, byte
    /// swaps, atomics with fetch, cmpxchg and xchg, a BPF-to-BPF call) compiled for both byte
    /// orders: each object disassembles like llvm-objdump, and both decode to the same slots.
    @Test func compiledCPUv4ProgramMatchesObjdumpInBothByteOrders() throws {
        let directory = try ReferenceTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("v4.c")
        try Self.cpuV4Source.write(to: source, atomically: true, encoding: .utf8)
        var decoded: [ByteOrder: [String: [Instruction]]] = [:]
        for (target, order) in [("bpfel", ByteOrder.little), ("bpfeb", .big)] {
            let object = directory.appendingPathComponent("v4.\(target).o")
            try ReferenceTools.run(ReferenceTools.clang, ["-target", target, "-mcpu=v4", "-O2", "-c",
                                                          source.path, "-o", object.path])
            let elf = try ELFFile(bytes: [UInt8](try Data(contentsOf: object)))
            #expect(elf.order == order)
            let reference = try ReferenceTools.objdumpListing(object.path)
            for section in elf.sections where section.isExecutable && section.size > 0 {
                let instructions = try Instruction.decodeAll(elf.data(of: section), order: elf.order)
                decoded[order, default: [:]][section.name] = instructions
                let lines = Disassembler(jumpLabel: { ReferenceTools.objdumpLabel(elf, section: section, slot: $0) })
                    .lines(instructions)
                let theirs = try #require(reference[section.name])
                #expect(lines.map(\.index) == theirs.keys.sorted(), "\(target) \(section.name)")
                for line in lines {
                    #expect(line.text == theirs[line.index], "\(target) \(section.name) #\(line.index)")
                }
            }
        }
        #expect(decoded[.little] == decoded[.big])
        let all = decoded[.little, default: [:]].values.flatMap { $0 }
        let operations = all.compactMap { $0.operation(next: Instruction(code: 0)) }
        #expect(operations.contains { if case .moveSignExtend = $0 { true } else { false } })
        #expect(operations.contains { if case .load(_, true, _, _, _) = $0 { true } else { false } })
        #expect(operations.contains { if case .atomic(_, .compareExchange, _, _, _) = $0 { true } else { false } })
        #expect(operations.contains { if case .byteSwap(.unconditional, _, _) = $0 { true } else { false } })
        #expect(operations.contains(.arithmetic(is64: true, operation: .signedDivide, dst: 2, operand: .register(1))))
        #expect(all.contains { $0.isLocalCall })
    }

    static let cpuV4Source = """
        typedef unsigned long long u64; typedef unsigned int u32; typedef unsigned short u16;
        typedef signed char s8; typedef short s16; typedef int s32; typedef long long s64;
        struct xdp_md { u32 data, data_end; };
        u64 counter; u32 counter32;
        static __attribute__((noinline)) int helper(int x) { return x * 3 + 1; }
        __attribute__((section("xdp"), used)) int prog(struct xdp_md *ctx) {
            void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
            if (data + 16 > end) return 1;
            s8 a = *(s8 *)data; s16 b = *(s16 *)(data + 2); s32 c = *(s32 *)(data + 4);
            s64 v = (s64)a + b + c;
            __sync_fetch_and_add(&counter, 1);
            u64 old = __sync_fetch_and_or(&counter, 2);
            __sync_val_compare_and_swap(&counter32, 5, 6);
            __atomic_exchange_n(&counter, 7, __ATOMIC_SEQ_CST);
            v = v / (s64)ctx->data; v %= (s64)c;
            v += __builtin_bswap32((u32)v) + __builtin_bswap16((u16)v) + __builtin_bswap64(v);
            v += (s64)(s32)old; v += (s64)(s16)old;
            u32 w = (u32)v; w = (s32)w / (s32)b;
            return helper((int)v + w);
        }
        """
}
