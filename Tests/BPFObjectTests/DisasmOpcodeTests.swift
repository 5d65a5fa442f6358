import Testing
@testable import BPFObject

/// One hand-written instruction and the text llvm-objdump (LLVM 21) prints for it.
struct DisasmCase: Sendable, CustomTestStringConvertible {
    var instruction: Instruction
    /// The second slot's `imm` for `ld_imm64`.
    var next: Int32?
    var expected: String

    var testDescription: String { "\(expected) \(instruction)" }
}

private func G(_ code: UInt8, _ dst: UInt8, _ src: UInt8, _ off: Int16, _ imm: Int32,
               next: Int32? = nil, _ expected: String) -> DisasmCase {
    DisasmCase(instruction: Instruction(code: code, dst: dst, src: src, offset: off, immediate: imm),
               next: next, expected: expected)
}

/// Every opcode of the ISA, disassembled without any external tool. The expected texts were
/// produced by assembling these exact bytes and running LLVM 21's
/// `llvm-objdump -d --no-show-raw-insn` (jump labels removed); DisasmGridTests repeats the
/// comparison live on ~26,000 encodings when LLVM is installed.
@Suite struct DisasmOpcodeTests {
    static let cases: [DisasmCase] = [
        // BPF_LD: ld_imm64 (plain and with each pseudo source), legacy packet loads
        G(0x18, 1, 0, 0, 0x10, next: 0x7, "r1 = 0x700000010 ll"),
        G(0x18, 2, 0, 0, -0x1, next: -0x1, "r2 = -0x1 ll"),
        G(0x18, 3, 0, 0, -0x1, next: 0x0, "r3 = 0xffffffff ll"),
        G(0x18, 0, 0, 0, 0x0, next: -0x80000000, "r0 = -0x8000000000000000 ll"),
        G(0x18, 1, 1, 0, 0x5, next: 0x0, "ld_pseudo\tr1, 0x1, 0x5"),
        G(0x18, 1, 2, 0, 0x5, next: 0x0, "ld_pseudo\tr1, 0x2, 0x5"),
        G(0x18, 1, 3, 0, 0x5, next: 0x0, "ld_pseudo\tr1, 0x3, 0x5"),
        G(0x18, 1, 4, 0, 0x5, next: 0x0, "ld_pseudo\tr1, 0x4, 0x5"),
        G(0x18, 1, 5, 0, 0x5, next: 0x0, "ld_pseudo\tr1, 0x5, 0x5"),
        G(0x18, 1, 6, 0, 0x5, next: 0x0, "ld_pseudo\tr1, 0x6, 0x5"),
        G(0x18, 1, 2, 0, -0x4, next: 0xc, "ld_pseudo\tr1, 0x2, 0xfffffffc"),
        G(0x20, 0, 0, 0, 0x20, "r0 = *(u32 *)skb[0x20]"),
        G(0x28, 0, 0, 0, -0x3, "r0 = *(u16 *)skb[-0x3]"),
        G(0x30, 0, 0, 0, 0x0, "r0 = *(u8 *)skb[0x0]"),
        G(0x40, 0, 2, 0, 0x0, "r0 = *(u32 *)skb[r2]"),
        G(0x48, 0, 7, 0, 0x4, "r0 = *(u16 *)skb[r7]"),
        G(0x50, 0, 10, 0, 0x0, "r0 = *(u8 *)skb[r10]"),
        // BPF_LDX: MEM (u8…u64, loads into wN below 64 bits) and MEMSX (sign-extending)
        G(0x61, 1, 10, -4, 0x0, "w1 = *(u32 *)(r10 - 0x4)"),
        G(0x69, 2, 1, 16, 0x0, "w2 = *(u16 *)(r1 + 0x10)"),
        G(0x71, 3, 2, 0, 0x0, "w3 = *(u8 *)(r2 + 0x0)"),
        G(0x79, 4, 10, -32768, 0x0, "r4 = *(u64 *)(r10 - 0x8000)"),
        G(0x81, 1, 2, 4, 0x0, "r1 = *(s32 *)(r2 + 0x4)"),
        G(0x89, 1, 2, -2, 0x0, "r1 = *(s16 *)(r2 - 0x2)"),
        G(0x91, 1, 2, 32767, 0x0, "r1 = *(s8 *)(r2 + 0x7fff)"),
        // BPF_ST and BPF_STX | BPF_MEM
        G(0x62, 10, 0, -4, 0x20, "*(u32 *)(r10 - 0x4) = 0x20"),
        G(0x6a, 1, 0, 2, -0x1, "*(u16 *)(r1 + 0x2) = -0x1"),
        G(0x72, 1, 0, 0, 0xff, "*(u8 *)(r1 + 0x0) = 0xff"),
        G(0x7a, 10, 0, -8, -0x80000000, "*(u64 *)(r10 - 0x8) = -0x80000000"),
        G(0x63, 10, 1, -4, 0x0, "*(u32 *)(r10 - 0x4) = w1"),
        G(0x6b, 1, 2, 2, 0x0, "*(u16 *)(r1 + 0x2) = w2"),
        G(0x73, 1, 2, 0, 0x0, "*(u8 *)(r1 + 0x0) = w2"),
        G(0x7b, 10, 6, -16, 0x0, "*(u64 *)(r10 - 0x10) = r6"),
        // BPF_STX | BPF_ATOMIC: every operation in 32 and 64 bits, acquire/release in 8 and 16
        G(0xc3, 1, 2, -8, 0x0, "lock *(u32 *)(r1 - 0x8) += w2"),
        G(0xc3, 1, 2, -8, 0x1, "w2 = atomic_fetch_add((u32 *)(r1 - 0x8), w2)"),
        G(0xc3, 1, 2, -8, 0x40, "lock *(u32 *)(r1 - 0x8) |= w2"),
        G(0xc3, 1, 2, -8, 0x41, "w2 = atomic_fetch_or((u32 *)(r1 - 0x8), w2)"),
        G(0xc3, 1, 2, -8, 0x50, "lock *(u32 *)(r1 - 0x8) &= w2"),
        G(0xc3, 1, 2, -8, 0x51, "w2 = atomic_fetch_and((u32 *)(r1 - 0x8), w2)"),
        G(0xc3, 1, 2, -8, 0xa0, "lock *(u32 *)(r1 - 0x8) ^= w2"),
        G(0xc3, 1, 2, -8, 0xa1, "w2 = atomic_fetch_xor((u32 *)(r1 - 0x8), w2)"),
        G(0xc3, 1, 2, -8, 0xe1, "w2 = xchg32_32(r1 - 0x8, w2)"),
        G(0xc3, 1, 2, -8, 0xf1, "w0 = cmpxchg32_32(r1 - 0x8, w0, w2)"),
        G(0xc3, 1, 2, -8, 0x100, "w1 = load_acquire((u32 *)(r2 - 0x8))"),
        G(0xc3, 1, 2, -8, 0x110, "store_release((u32 *)(r1 - 0x8), w2)"),
        G(0xdb, 1, 2, -8, 0x0, "lock *(u64 *)(r1 - 0x8) += r2"),
        G(0xdb, 1, 2, -8, 0x1, "r2 = atomic_fetch_add((u64 *)(r1 - 0x8), r2)"),
        G(0xdb, 1, 2, -8, 0x40, "lock *(u64 *)(r1 - 0x8) |= r2"),
        G(0xdb, 1, 2, -8, 0x41, "r2 = atomic_fetch_or((u64 *)(r1 - 0x8), r2)"),
        G(0xdb, 1, 2, -8, 0x50, "lock *(u64 *)(r1 - 0x8) &= r2"),
        G(0xdb, 1, 2, -8, 0x51, "r2 = atomic_fetch_and((u64 *)(r1 - 0x8), r2)"),
        G(0xdb, 1, 2, -8, 0xa0, "lock *(u64 *)(r1 - 0x8) ^= r2"),
        G(0xdb, 1, 2, -8, 0xa1, "r2 = atomic_fetch_xor((u64 *)(r1 - 0x8), r2)"),
        G(0xdb, 1, 2, -8, 0xe1, "r2 = xchg_64(r1 - 0x8, r2)"),
        G(0xdb, 1, 2, -8, 0xf1, "r0 = cmpxchg_64(r1 - 0x8, r0, r2)"),
        G(0xdb, 1, 2, -8, 0x100, "r1 = load_acquire((u64 *)(r2 - 0x8))"),
        G(0xdb, 1, 2, -8, 0x110, "store_release((u64 *)(r1 - 0x8), r2)"),
        G(0xcb, 3, 4, 6, 0x100, "w3 = load_acquire((u16 *)(r4 + 0x6))"),
        G(0xcb, 3, 4, 6, 0x110, "store_release((u16 *)(r3 + 0x6), w4)"),
        G(0xd3, 3, 4, 6, 0x100, "w3 = load_acquire((u8 *)(r4 + 0x6))"),
        G(0xd3, 3, 4, 6, 0x110, "store_release((u8 *)(r3 + 0x6), w4)"),
        // BPF_ALU and BPF_ALU64: every operation with K and X, signed div/mod (off 1), NEG,
        // MOVSX (off 8/16/32), addr_space_cast (off 1), byte swaps (le/be in ALU, bswap in ALU64)
        G(0x04, 1, 0, 0, 0x10, "w1 += 0x10"),
        G(0x0c, 1, 2, 0, 0x0, "w1 += w2"),
        G(0x14, 1, 0, 0, -0x7, "w1 -= -0x7"),
        G(0x1c, 1, 2, 0, 0x0, "w1 -= w2"),
        G(0x24, 1, 0, 0, 0x10, "w1 *= 0x10"),
        G(0x2c, 1, 2, 0, 0x0, "w1 *= w2"),
        G(0x34, 1, 0, 0, 0x10, "w1 /= 0x10"),
        G(0x3c, 1, 2, 0, 0x0, "w1 /= w2"),
        G(0x44, 1, 0, 0, 0x10, "w1 |= 0x10"),
        G(0x4c, 1, 2, 0, 0x0, "w1 |= w2"),
        G(0x54, 1, 0, 0, 0x10, "w1 &= 0x10"),
        G(0x5c, 1, 2, 0, 0x0, "w1 &= w2"),
        G(0x64, 1, 0, 0, 0x10, "w1 <<= 0x10"),
        G(0x6c, 1, 2, 0, 0x0, "w1 <<= w2"),
        G(0x74, 1, 0, 0, 0x10, "w1 >>= 0x10"),
        G(0x7c, 1, 2, 0, 0x0, "w1 >>= w2"),
        G(0x94, 1, 0, 0, 0x10, "w1 %= 0x10"),
        G(0x9c, 1, 2, 0, 0x0, "w1 %= w2"),
        G(0xa4, 1, 0, 0, 0x10, "w1 ^= 0x10"),
        G(0xac, 1, 2, 0, 0x0, "w1 ^= w2"),
        G(0xb4, 1, 0, 0, 0x10, "w1 = 0x10"),
        G(0xbc, 1, 2, 0, 0x0, "w1 = w2"),
        G(0xc4, 1, 0, 0, 0x10, "w1 s>>= 0x10"),
        G(0xcc, 1, 2, 0, 0x0, "w1 s>>= w2"),
        G(0x34, 3, 0, 1, 0x5, "w3 s/= 0x5"),
        G(0x3c, 3, 4, 1, 0x0, "w3 s/= w4"),
        G(0x94, 3, 0, 1, 0x5, "w3 s%= 0x5"),
        G(0x9c, 3, 4, 1, 0x0, "w3 s%= w4"),
        G(0x84, 5, 0, 0, 0x0, "w5 = -w5"),
        G(0xbc, 1, 2, 8, 0x0, "w1 = (s8)w2"),
        G(0xbc, 1, 2, 16, 0x0, "w1 = (s16)w2"),
        G(0x07, 1, 0, 0, 0x10, "r1 += 0x10"),
        G(0x0f, 1, 2, 0, 0x0, "r1 += r2"),
        G(0x17, 1, 0, 0, -0x7, "r1 -= -0x7"),
        G(0x1f, 1, 2, 0, 0x0, "r1 -= r2"),
        G(0x27, 1, 0, 0, 0x10, "r1 *= 0x10"),
        G(0x2f, 1, 2, 0, 0x0, "r1 *= r2"),
        G(0x37, 1, 0, 0, 0x10, "r1 /= 0x10"),
        G(0x3f, 1, 2, 0, 0x0, "r1 /= r2"),
        G(0x47, 1, 0, 0, 0x10, "r1 |= 0x10"),
        G(0x4f, 1, 2, 0, 0x0, "r1 |= r2"),
        G(0x57, 1, 0, 0, 0x10, "r1 &= 0x10"),
        G(0x5f, 1, 2, 0, 0x0, "r1 &= r2"),
        G(0x67, 1, 0, 0, 0x10, "r1 <<= 0x10"),
        G(0x6f, 1, 2, 0, 0x0, "r1 <<= r2"),
        G(0x77, 1, 0, 0, 0x10, "r1 >>= 0x10"),
        G(0x7f, 1, 2, 0, 0x0, "r1 >>= r2"),
        G(0x97, 1, 0, 0, 0x10, "r1 %= 0x10"),
        G(0x9f, 1, 2, 0, 0x0, "r1 %= r2"),
        G(0xa7, 1, 0, 0, 0x10, "r1 ^= 0x10"),
        G(0xaf, 1, 2, 0, 0x0, "r1 ^= r2"),
        G(0xb7, 1, 0, 0, 0x10, "r1 = 0x10"),
        G(0xbf, 1, 2, 0, 0x0, "r1 = r2"),
        G(0xc7, 1, 0, 0, 0x10, "r1 s>>= 0x10"),
        G(0xcf, 1, 2, 0, 0x0, "r1 s>>= r2"),
        G(0x37, 3, 0, 1, 0x5, "r3 s/= 0x5"),
        G(0x3f, 3, 4, 1, 0x0, "r3 s/= r4"),
        G(0x97, 3, 0, 1, 0x5, "r3 s%= 0x5"),
        G(0x9f, 3, 4, 1, 0x0, "r3 s%= r4"),
        G(0x87, 5, 0, 0, 0x0, "r5 = -r5"),
        G(0xbf, 1, 2, 8, 0x0, "r1 = (s8)r2"),
        G(0xbf, 1, 2, 16, 0x0, "r1 = (s16)r2"),
        G(0xbf, 1, 2, 32, 0x0, "r1 = (s32)r2"),
        G(0xbf, 1, 2, 1, 0x10000, "r1 = addr_space_cast(r2, 0x1, 0x0)"),
        G(0xbf, 2, 1, 1, 0x1, "r2 = addr_space_cast(r1, 0x0, 0x1)"),
        G(0xd4, 1, 0, 0, 0x10, "r1 = le16 r1"),
        G(0xdc, 2, 0, 0, 0x10, "r2 = be16 r2"),
        G(0xd7, 3, 0, 0, 0x10, "r3 = bswap16 r3"),
        G(0xd4, 1, 0, 0, 0x20, "r1 = le32 r1"),
        G(0xdc, 2, 0, 0, 0x20, "r2 = be32 r2"),
        G(0xd7, 3, 0, 0, 0x20, "r3 = bswap32 r3"),
        G(0xd4, 1, 0, 0, 0x40, "r1 = le64 r1"),
        G(0xdc, 2, 0, 0, 0x40, "r2 = be64 r2"),
        G(0xd7, 3, 0, 0, 0x40, "r3 = bswap64 r3"),
        // BPF_JMP and BPF_JMP32: goto/gotol, every condition with K and X, calls, exit, may_goto
        G(0x05, 0, 0, 3, 0x0, "goto +0x3"),
        G(0x05, 0, 0, -1, 0x0, "goto -0x1"),
        G(0x06, 0, 0, 0, 0x10000, "gotol +0x10000"),
        G(0x06, 0, 0, 0, -0x2, "gotol -0x2"),
        G(0x15, 1, 0, 5, 0x20, "if r1 == 0x20 goto +0x5"),
        G(0x1d, 1, 2, -5, 0x0, "if r1 == r2 goto -0x5"),
        G(0x25, 1, 0, 5, 0x20, "if r1 > 0x20 goto +0x5"),
        G(0x2d, 1, 2, -5, 0x0, "if r1 > r2 goto -0x5"),
        G(0x35, 1, 0, 5, 0x20, "if r1 >= 0x20 goto +0x5"),
        G(0x3d, 1, 2, -5, 0x0, "if r1 >= r2 goto -0x5"),
        G(0x45, 1, 0, 5, 0x20, "if r1 & 0x20 goto +0x5"),
        G(0x4d, 1, 2, -5, 0x0, "if r1 & r2 goto -0x5"),
        G(0x55, 1, 0, 5, 0x20, "if r1 != 0x20 goto +0x5"),
        G(0x5d, 1, 2, -5, 0x0, "if r1 != r2 goto -0x5"),
        G(0x65, 1, 0, 5, -0x3, "if r1 s> -0x3 goto +0x5"),
        G(0x6d, 1, 2, -5, 0x0, "if r1 s> r2 goto -0x5"),
        G(0x75, 1, 0, 5, 0x20, "if r1 s>= 0x20 goto +0x5"),
        G(0x7d, 1, 2, -5, 0x0, "if r1 s>= r2 goto -0x5"),
        G(0xa5, 1, 0, 5, 0x20, "if r1 < 0x20 goto +0x5"),
        G(0xad, 1, 2, -5, 0x0, "if r1 < r2 goto -0x5"),
        G(0xb5, 1, 0, 5, 0x20, "if r1 <= 0x20 goto +0x5"),
        G(0xbd, 1, 2, -5, 0x0, "if r1 <= r2 goto -0x5"),
        G(0xc5, 1, 0, 5, -0x3, "if r1 s< -0x3 goto +0x5"),
        G(0xcd, 1, 2, -5, 0x0, "if r1 s< r2 goto -0x5"),
        G(0xd5, 1, 0, 5, 0x20, "if r1 s<= 0x20 goto +0x5"),
        G(0xdd, 1, 2, -5, 0x0, "if r1 s<= r2 goto -0x5"),
        G(0x16, 1, 0, 5, 0x20, "if w1 == 0x20 goto +0x5"),
        G(0x1e, 1, 2, -5, 0x0, "if w1 == w2 goto -0x5"),
        G(0x26, 1, 0, 5, 0x20, "if w1 > 0x20 goto +0x5"),
        G(0x2e, 1, 2, -5, 0x0, "if w1 > w2 goto -0x5"),
        G(0x36, 1, 0, 5, 0x20, "if w1 >= 0x20 goto +0x5"),
        G(0x3e, 1, 2, -5, 0x0, "if w1 >= w2 goto -0x5"),
        G(0x46, 1, 0, 5, 0x20, "if w1 & 0x20 goto +0x5"),
        G(0x4e, 1, 2, -5, 0x0, "if w1 & w2 goto -0x5"),
        G(0x56, 1, 0, 5, 0x20, "if w1 != 0x20 goto +0x5"),
        G(0x5e, 1, 2, -5, 0x0, "if w1 != w2 goto -0x5"),
        G(0x66, 1, 0, 5, -0x3, "if w1 s> -0x3 goto +0x5"),
        G(0x6e, 1, 2, -5, 0x0, "if w1 s> w2 goto -0x5"),
        G(0x76, 1, 0, 5, 0x20, "if w1 s>= 0x20 goto +0x5"),
        G(0x7e, 1, 2, -5, 0x0, "if w1 s>= w2 goto -0x5"),
        G(0xa6, 1, 0, 5, 0x20, "if w1 < 0x20 goto +0x5"),
        G(0xae, 1, 2, -5, 0x0, "if w1 < w2 goto -0x5"),
        G(0xb6, 1, 0, 5, 0x20, "if w1 <= 0x20 goto +0x5"),
        G(0xbe, 1, 2, -5, 0x0, "if w1 <= w2 goto -0x5"),
        G(0xc6, 1, 0, 5, -0x3, "if w1 s< -0x3 goto +0x5"),
        G(0xce, 1, 2, -5, 0x0, "if w1 s< w2 goto -0x5"),
        G(0xd6, 1, 0, 5, 0x20, "if w1 s<= 0x20 goto +0x5"),
        G(0xde, 1, 2, -5, 0x0, "if w1 s<= w2 goto -0x5"),
        G(0x85, 0, 0, 0, 0x1, "call 0x1"),
        G(0x85, 0, 0, 0, 0xd3, "call 0xd3"),
        G(0x85, 0, 1, 0, -0x1, "call -0x1"),
        G(0x85, 0, 1, 0, 0xc, "call 0xc"),
        G(0x85, 0, 2, 0, 0x1234, "call 0x1234"),
        G(0x8d, 3, 0, 0, 0x0, "callx r3"),
        G(0x95, 0, 0, 0, 0x0, "exit"),
        G(0xe5, 0, 0, 7, 0x0, "may_goto +0x7"),
        // Encodings that are not instructions
        G(0x00, 1, 2, 0, 0x0, "<unknown>"),
        G(0x08, 1, 2, 0, 0x0, "<unknown>"),
        G(0x38, 1, 2, 0, 0x0, "<unknown>"),
        G(0x58, 1, 2, 0, 0x0, "<unknown>"),
        G(0x99, 1, 2, 0, 0x0, "<unknown>"),
        G(0x82, 1, 2, 0, 0x0, "<unknown>"),
        G(0xe3, 1, 2, 0, 0x0, "<unknown>"),
        G(0x8c, 1, 2, 0, 0x0, "<unknown>"),
        G(0xdf, 1, 2, 0, 0x0, "<unknown>"),
        G(0x0d, 1, 2, 0, 0x0, "<unknown>"),
        G(0x86, 1, 2, 0, 0x0, "<unknown>"),
        G(0x9d, 1, 2, 0, 0x0, "<unknown>"),
        G(0xf5, 1, 2, 0, 0x0, "<unknown>"),
        G(0xe6, 1, 2, 0, 0x0, "<unknown>"),
        G(0x04, 1, 0, 1, 0x1, "<unknown>"),
        G(0x34, 1, 0, 2, 0x1, "<unknown>"),
        G(0xbc, 1, 2, 32, 0x0, "<unknown>"),
        G(0xbc, 1, 2, 1, 0x0, "<unknown>"),
        G(0xd4, 1, 0, 0, 0x8, "<unknown>"),
        G(0x95, 0, 0, 0, 0x1, "<unknown>"),
        G(0x95, 0, 0, 1, 0x0, "exit"),
        G(0xc3, 1, 2, 0, 0xe0, "<unknown>"),
        // LLVM 21 prints "lock *(u32 *)(r1 + 0x0) += w2": its decoder ignores imm bit 1.
        G(0xc3, 1, 2, 0, 0x2, "<unknown>"),
        G(0xd3, 1, 2, 0, 0x0, "<unknown>"),
        // LLVM 21 prints "r11 += r1" (its internal scratch register); the ISA ends at r10.
        G(0x0f, 11, 1, 0, 0x0, "<unknown>"),
        G(0x79, 1, 12, 0, 0x0, "<unknown>"),
        G(0x18, 1, 0, 1, 0x0, next: 0x0, "<unknown>"),
    ]

    @Test(arguments: cases)
    func disassemblesLikeObjdump(_ item: DisasmCase) {
        let next = item.next.map { Instruction(code: 0, immediate: $0) }
        #expect(Disassembler().text(item.instruction, next: next) == item.expected)
    }

    /// The table above covers every class, mode, ALU and jump operation and atomic operation.
    @Test func casesCoverTheWholeISA() {
        let valid = Self.cases.filter { $0.expected != "<unknown>" }.map(\.instruction)
        #expect(Set(valid.map(\.instructionClass)) == Set(InstructionClass.allCases))
        let loadsAndStores = valid.filter { !$0.instructionClass.isArithmetic && !$0.instructionClass.isJump }
        #expect(Set(loadsAndStores.compactMap(\.addressingMode)) == Set(AddressingMode.allCases))
        #expect(Set(loadsAndStores.map(\.accessSize)) == Set(AccessSize.allCases))
        for cls in [InstructionClass.alu, .alu64] {
            #expect(Set(valid.filter { $0.instructionClass == cls }.compactMap(\.aluOperation)) == Set(ALUOperation.allCases))
        }
        #expect(Set(valid.filter { $0.instructionClass == .jump }.compactMap(\.jumpOperation)) == Set(JumpOperation.allCases))
        let atomics = valid.filter { $0.instructionClass == .storeRegister && $0.addressingMode == .atomic }
        #expect(Set(atomics.compactMap { AtomicOperation(immediate: $0.immediate) }).count == 12)
        let operations = valid.compactMap { $0.operation(next: Instruction(code: 0)) }
        #expect(Set(operations.compactMap { op -> ArithmeticOperation? in
            if case let .arithmetic(_, operation, _, _) = op { return operation } else { return nil }
        }) == Set(ArithmeticOperation.allCases))
        #expect(Set(operations.compactMap { op -> JumpCondition? in
            if case let .conditionalJump(_, condition, _, _, _) = op { return condition } else { return nil }
        }) == Set(JumpCondition.allCases))
    }
}
