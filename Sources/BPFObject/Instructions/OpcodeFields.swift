// The pieces of the opcode byte, as defined by linux/bpf_common.h and linux/bpf.h and described
// in the kernel's Documentation/bpf/standardization/instruction-set.rst.
//
//   load/store classes (LD, LDX, ST, STX):   | mode (3 bits) | size (2 bits) | class (3 bits) |
//   arithmetic and jump classes:             | operation (4 bits) | source (1 bit) | class (3) |

/// The instruction class, the low 3 bits of the opcode (`BPF_CLASS(code)`).
public enum InstructionClass: UInt8, Sendable, Equatable, CaseIterable {
    /// `BPF_LD` (0x00): `ld_imm64` and the legacy packet loads (`BPF_ABS`, `BPF_IND`).
    case load = 0x00
    /// `BPF_LDX` (0x01): load from memory into a register.
    case loadRegister = 0x01
    /// `BPF_ST` (0x02): store an immediate into memory.
    case store = 0x02
    /// `BPF_STX` (0x03): store a register into memory, and atomic operations.
    case storeRegister = 0x03
    /// `BPF_ALU` (0x04): 32-bit arithmetic (results are zero-extended).
    case alu = 0x04
    /// `BPF_JMP` (0x05): 64-bit comparisons, `goto`, `call`, `exit`.
    case jump = 0x05
    /// `BPF_JMP32` (0x06): 32-bit comparisons and `gotol`.
    case jump32 = 0x06
    /// `BPF_ALU64` (0x07): 64-bit arithmetic.
    case alu64 = 0x07

    /// True for `BPF_ALU` and `BPF_ALU64`.
    public var isArithmetic: Bool { self == .alu || self == .alu64 }
    /// True for `BPF_JMP` and `BPF_JMP32`.
    public var isJump: Bool { self == .jump || self == .jump32 }
}

/// The width of a memory access (`BPF_SIZE(code)`, bits 3–4).
public enum AccessSize: UInt8, Sendable, Equatable, CaseIterable {
    /// `BPF_W` (0x00): 4 bytes.
    case word = 0x00
    /// `BPF_H` (0x08): 2 bytes.
    case halfWord = 0x08
    /// `BPF_B` (0x10): 1 byte.
    case byte = 0x10
    /// `BPF_DW` (0x18): 8 bytes.
    case doubleWord = 0x18

    /// The access width in bytes.
    public var byteCount: Int {
        switch self {
        case .byte: 1
        case .halfWord: 2
        case .word: 4
        case .doubleWord: 8
        }
    }
}

/// The addressing mode of a load or store (`BPF_MODE(code)`, bits 5–7).
public enum AddressingMode: UInt8, Sendable, Equatable, CaseIterable {
    /// `BPF_IMM` (0x00): immediate; only `ld_imm64` (with `BPF_DW`).
    case immediate = 0x00
    /// `BPF_ABS` (0x20): legacy packet load at a constant offset (`skb[imm]`).
    case packetAbsolute = 0x20
    /// `BPF_IND` (0x40): legacy packet load at a register offset (`skb[src + imm]`).
    case packetIndirect = 0x40
    /// `BPF_MEM` (0x60): regular load/store at `reg + off`.
    case memory = 0x60
    /// `BPF_MEMSX` (0x80): sign-extending load (`LDX` only; B, H, W).
    case memorySignExtend = 0x80
    /// `BPF_ATOMIC` (0xc0): atomic read-modify-write; the operation is in `imm`.
    case atomic = 0xc0
}

/// Where an arithmetic or jump instruction takes its second operand (`BPF_SRC(code)`, bit 3).
public enum OperandSource: UInt8, Sendable, Equatable, CaseIterable {
    /// `BPF_K` (0x00): the 32-bit immediate `imm`.
    case immediate = 0x00
    /// `BPF_X` (0x08): the source register `src_reg`.
    case register = 0x08
}

/// The operation of a `BPF_ALU`/`BPF_ALU64` instruction (`BPF_OP(code)`, bits 4–7).
public enum ALUOperation: UInt8, Sendable, Equatable, CaseIterable {
    /// `BPF_ADD` (0x00): `dst += src`.
    case add = 0x00
    /// `BPF_SUB` (0x10): `dst -= src`.
    case subtract = 0x10
    /// `BPF_MUL` (0x20): `dst *= src`.
    case multiply = 0x20
    /// `BPF_DIV` (0x30): `dst /= src`; signed (`s/=`) when `off` is 1.
    case divide = 0x30
    /// `BPF_OR` (0x40): `dst |= src`.
    case or = 0x40
    /// `BPF_AND` (0x50): `dst &= src`.
    case and = 0x50
    /// `BPF_LSH` (0x60): `dst <<= src`.
    case shiftLeft = 0x60
    /// `BPF_RSH` (0x70): logical `dst >>= src`.
    case shiftRight = 0x70
    /// `BPF_NEG` (0x80): `dst = -dst`.
    case negate = 0x80
    /// `BPF_MOD` (0x90): `dst %= src`; signed (`s%=`) when `off` is 1.
    case modulo = 0x90
    /// `BPF_XOR` (0xa0): `dst ^= src`.
    case xor = 0xa0
    /// `BPF_MOV` (0xb0): `dst = src`; sign-extending when `off` is 8, 16 or 32 (`MOVSX`), an
    /// address-space cast when `off` is 1 (ALU64 only).
    case move = 0xb0
    /// `BPF_ARSH` (0xc0): arithmetic (sign-preserving) `dst s>>= src`.
    case arithmeticShiftRight = 0xc0
    /// `BPF_END` (0xd0): byte swap; `BPF_ALU` + `BPF_TO_LE`/`BPF_TO_BE` converts to an
    /// endianness, `BPF_ALU64` + `BPF_TO_LE` swaps unconditionally (`bswap`). `imm` is 16/32/64.
    case endianness = 0xd0
}

/// The operation of a `BPF_JMP`/`BPF_JMP32` instruction (`BPF_OP(code)`, bits 4–7).
public enum JumpOperation: UInt8, Sendable, Equatable, CaseIterable {
    /// `BPF_JA` (0x00): `goto +off` (JMP), or `gotol +imm` (JMP32).
    case jumpAlways = 0x00
    /// `BPF_JEQ` (0x10): jump if `dst == src`.
    case equal = 0x10
    /// `BPF_JGT` (0x20): jump if `dst > src` (unsigned).
    case greater = 0x20
    /// `BPF_JGE` (0x30): jump if `dst >= src` (unsigned).
    case greaterOrEqual = 0x30
    /// `BPF_JSET` (0x40): jump if `dst & src` is not zero.
    case bitsSet = 0x40
    /// `BPF_JNE` (0x50): jump if `dst != src`.
    case notEqual = 0x50
    /// `BPF_JSGT` (0x60): jump if `dst > src` (signed).
    case signedGreater = 0x60
    /// `BPF_JSGE` (0x70): jump if `dst >= src` (signed).
    case signedGreaterOrEqual = 0x70
    /// `BPF_CALL` (0x80): call a helper, BPF function or kfunc (`src_reg` says which).
    case call = 0x80
    /// `BPF_EXIT` (0x90): return.
    case exit = 0x90
    /// `BPF_JLT` (0xa0): jump if `dst < src` (unsigned).
    case less = 0xa0
    /// `BPF_JLE` (0xb0): jump if `dst <= src` (unsigned).
    case lessOrEqual = 0xb0
    /// `BPF_JSLT` (0xc0): jump if `dst < src` (signed).
    case signedLess = 0xc0
    /// `BPF_JSLE` (0xd0): jump if `dst <= src` (signed).
    case signedLessOrEqual = 0xd0
    /// `BPF_JCOND` (0xe0): `may_goto +off` when `src_reg` is `BPF_MAY_GOTO` (0).
    case conditionalPseudo = 0xe0
}

/// The operation of a `BPF_STX | BPF_ATOMIC` instruction, carried in `imm`.
///
/// Mirrors the `BPF_ADD`/`BPF_OR`/`BPF_AND`/`BPF_XOR` (+ `BPF_FETCH` 0x01), `BPF_XCHG`,
/// `BPF_CMPXCHG`, `BPF_LOAD_ACQ` and `BPF_STORE_REL` values of linux/bpf.h.
public enum AtomicOperation: Sendable, Equatable, Hashable {
    /// `BPF_ADD` (0x00), with `BPF_FETCH` (0x01) when `fetch` is true.
    case add(fetch: Bool)
    /// `BPF_OR` (0x40), with `BPF_FETCH` when `fetch` is true.
    case or(fetch: Bool)
    /// `BPF_AND` (0x50), with `BPF_FETCH` when `fetch` is true.
    case and(fetch: Bool)
    /// `BPF_XOR` (0xa0), with `BPF_FETCH` when `fetch` is true.
    case xor(fetch: Bool)
    /// `BPF_XCHG` (0xe0 | `BPF_FETCH` = 0xe1): exchange memory and `src_reg`.
    case exchange
    /// `BPF_CMPXCHG` (0xf0 | `BPF_FETCH` = 0xf1): compare memory with r0, store `src_reg` if
    /// equal; r0 receives the old value.
    case compareExchange
    /// `BPF_LOAD_ACQ` (0x100): load with acquire semantics into `dst_reg` from `src_reg + off`.
    case loadAcquire
    /// `BPF_STORE_REL` (0x110): store `src_reg` with release semantics at `dst_reg + off`.
    case storeRelease

    /// `BPF_FETCH` (0x01): the flag that makes an atomic operation return the old value.
    public static let fetchFlag: Int32 = 0x01

    /// Decodes `imm`; nil for values the ISA does not define.
    public init?(immediate: Int32) {
        switch immediate {
        case 0x00: self = .add(fetch: false)
        case 0x01: self = .add(fetch: true)
        case 0x40: self = .or(fetch: false)
        case 0x41: self = .or(fetch: true)
        case 0x50: self = .and(fetch: false)
        case 0x51: self = .and(fetch: true)
        case 0xa0: self = .xor(fetch: false)
        case 0xa1: self = .xor(fetch: true)
        case 0xe1: self = .exchange
        case 0xf1: self = .compareExchange
        case 0x100: self = .loadAcquire
        case 0x110: self = .storeRelease
        default: return nil
        }
    }

    /// The `imm` value that encodes this operation.
    public var immediate: Int32 {
        switch self {
        case let .add(fetch): fetch ? 0x01 : 0x00
        case let .or(fetch): fetch ? 0x41 : 0x40
        case let .and(fetch): fetch ? 0x51 : 0x50
        case let .xor(fetch): fetch ? 0xa1 : 0xa0
        case .exchange: 0xe1
        case .compareExchange: 0xf1
        case .loadAcquire: 0x100
        case .storeRelease: 0x110
        }
    }

    /// True when the operation writes the old memory value back to a register.
    public var fetches: Bool {
        switch self {
        case let .add(fetch), let .or(fetch), let .and(fetch), let .xor(fetch): fetch
        case .exchange, .compareExchange, .loadAcquire: true
        case .storeRelease: false
        }
    }
}
