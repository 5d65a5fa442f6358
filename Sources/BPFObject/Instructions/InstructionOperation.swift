/// What a (logical) instruction does, decoded from its opcode and fields.
///
/// This is the single place that decides which encodings are instructions of the BPF ISA
/// (kernel Documentation/bpf/standardization/instruction-set.rst); the disassembler only
/// formats it. ``Instruction/operation(next:)`` returns nil for encodings that are not
/// instructions, and the disassembler prints those as `<unknown>`.
///
/// Like LLVM's BPF disassembler, decoding ignores fields an instruction does not use (for
/// example `src_reg` of `r1 += 4`, or `imm` of `r1 += r2`), but checks the fields that select
/// a variant (`off` of `BPF_DIV`/`BPF_MOD`/`BPF_MOV`, `imm` of `BPF_END` and `BPF_ATOMIC`) and
/// the numbers of the registers it does use (r0...r10).
public enum InstructionOperation: Sendable, Equatable {
    /// `ld_imm64` with `src_reg` 0: `dst = value` (`BPF_LD | BPF_IMM | BPF_DW`, two slots).
    case loadImmediate64(dst: UInt8, value: UInt64)
    /// `ld_imm64` with a pseudo source (``BPFPseudo``: map fd, map value, BTF id, function…):
    /// `immediate` is the first slot's `imm`, `secondImmediate` the second slot's.
    case loadPseudo(dst: UInt8, source: UInt8, immediate: Int32, secondImmediate: Int32)
    /// Legacy packet load `r0 = *(size *)skb[imm]` (`BPF_LD | BPF_ABS`).
    case loadPacketAbsolute(size: AccessSize, offset: Int32)
    /// Legacy packet load `r0 = *(size *)skb[src + imm]` (`BPF_LD | BPF_IND`).
    case loadPacketIndirect(size: AccessSize, source: UInt8, offset: Int32)
    /// `dst = *(size *)(base + offset)` (`BPF_LDX | BPF_MEM`), sign-extending for `BPF_MEMSX`.
    case load(size: AccessSize, signExtend: Bool, dst: UInt8, base: UInt8, offset: Int16)
    /// `*(size *)(base + offset) = value` (`BPF_ST | BPF_MEM`).
    case storeImmediate(size: AccessSize, base: UInt8, offset: Int16, value: Int32)
    /// `*(size *)(base + offset) = source` (`BPF_STX | BPF_MEM`).
    case store(size: AccessSize, base: UInt8, offset: Int16, source: UInt8)
    /// An atomic operation on `*(size *)(base + offset)` with register `source`
    /// (`BPF_STX | BPF_ATOMIC`). For `loadAcquire`, `source` is the destination register and
    /// `base` is `src_reg` (the kernel's `dst = load_acquire(src + off)`).
    case atomic(size: AccessSize, operation: AtomicOperation, base: UInt8, offset: Int16, source: UInt8)
    /// `dst op= operand` (`BPF_ALU`/`BPF_ALU64`); `is64` is true for `BPF_ALU64`.
    case arithmetic(is64: Bool, operation: ArithmeticOperation, dst: UInt8, operand: Operand)
    /// `dst = -dst` (`BPF_NEG`).
    case negate(is64: Bool, dst: UInt8)
    /// `dst = (s8/s16/s32)source` (`BPF_MOV | BPF_X` with `off` 8, 16 or 32, "MOVSX").
    case moveSignExtend(is64: Bool, dst: UInt8, source: UInt8, bits: Int)
    /// `dst = addr_space_cast(source, destination, origin)` (`BPF_ALU64 | BPF_MOV | BPF_X`,
    /// `off` 1; `imm` = destination << 16 | origin address space).
    case addressSpaceCast(dst: UInt8, source: UInt8, destinationSpace: UInt16, originSpace: UInt16)
    /// `dst = le16/be32/bswap64 dst` (`BPF_END`).
    case byteSwap(kind: ByteSwapKind, bits: Int, dst: UInt8)
    /// `goto +offset` (`BPF_JMP | BPF_JA`) or, when `isLong`, `gotol +offset` (`BPF_JMP32 | BPF_JA`,
    /// offset in `imm`). The offset counts slots from the next instruction.
    case jump(offset: Int32, isLong: Bool)
    /// `if dst cond operand goto +offset`; `is64` is false for `BPF_JMP32` (compares `wN`).
    case conditionalJump(is64: Bool, condition: JumpCondition, dst: UInt8, operand: Operand, offset: Int16)
    /// `call imm` (`BPF_JMP | BPF_CALL`): `kind` is the `src_reg` (helper 0, BPF-to-BPF 1,
    /// kfunc 2; see ``BPFPseudo``), `immediate` the helper id, relative target or BTF id.
    case call(kind: UInt8, immediate: Int32)
    /// `callx dst` (`BPF_JMP | BPF_CALL | BPF_X`, an LLVM extension for indirect calls).
    case callRegister(UInt8)
    /// `exit` (`BPF_JMP | BPF_EXIT`).
    case exit
    /// `may_goto +offset` (`BPF_JMP | BPF_JCOND`, bounded-loop escape).
    case mayGoto(offset: Int16)

    /// The second operand of an arithmetic or jump instruction.
    public enum Operand: Sendable, Equatable {
        /// `BPF_K`: the immediate.
        case immediate(Int32)
        /// `BPF_X`: a register.
        case register(UInt8)
    }
}

/// A two-operand arithmetic operation, with the signed variants that `off` 1 selects.
public enum ArithmeticOperation: Sendable, Equatable, CaseIterable {
    /// `+=`
    case add
    /// `-=`
    case subtract
    /// `*=`
    case multiply
    /// `/=` (unsigned)
    case divide
    /// `s/=` (`BPF_DIV` with `off` 1)
    case signedDivide
    /// `|=`
    case or
    /// `&=`
    case and
    /// `<<=`
    case shiftLeft
    /// `>>=` (logical)
    case shiftRight
    /// `%=` (unsigned)
    case modulo
    /// `s%=` (`BPF_MOD` with `off` 1)
    case signedModulo
    /// `^=`
    case xor
    /// `=` (`BPF_MOV` with `off` 0)
    case move
    /// `s>>=` (`BPF_ARSH`)
    case arithmeticShiftRight
}

/// The kind of a `BPF_END` byte swap.
public enum ByteSwapKind: Sendable, Equatable, CaseIterable {
    /// `BPF_ALU | BPF_END | BPF_TO_LE`: convert to little-endian (`leN`).
    case toLittleEndian
    /// `BPF_ALU | BPF_END | BPF_TO_BE`: convert to big-endian (`beN`).
    case toBigEndian
    /// `BPF_ALU64 | BPF_END`: unconditional swap (`bswapN`, ISA v4).
    case unconditional
}

/// The comparison of a conditional jump.
public enum JumpCondition: Sendable, Equatable, CaseIterable {
    /// `BPF_JEQ` `==`
    case equal
    /// `BPF_JNE` `!=`
    case notEqual
    /// `BPF_JGT` `>` (unsigned)
    case greater
    /// `BPF_JGE` `>=` (unsigned)
    case greaterOrEqual
    /// `BPF_JLT` `<` (unsigned)
    case less
    /// `BPF_JLE` `<=` (unsigned)
    case lessOrEqual
    /// `BPF_JSGT` `s>`
    case signedGreater
    /// `BPF_JSGE` `s>=`
    case signedGreaterOrEqual
    /// `BPF_JSLT` `s<`
    case signedLess
    /// `BPF_JSLE` `s<=`
    case signedLessOrEqual
    /// `BPF_JSET` `&` (any bit set)
    case bitsSet
}
