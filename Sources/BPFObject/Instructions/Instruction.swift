/// One 8-byte BPF instruction slot.
///
/// Mirrors `struct bpf_insn` in linux/bpf.h:
///
/// ```c
/// struct bpf_insn {
///     __u8  code;        /* opcode */
///     __u8  dst_reg:4;   /* dest register */
///     __u8  src_reg:4;   /* source register */
///     __s16 off;         /* signed offset */
///     __s32 imm;         /* signed immediate constant */
/// };
/// ```
///
/// The register byte is a C bit-field, so its layout follows the object's byte order: in a
/// little-endian object (`-target bpfel`) `dst_reg` is the LOW nibble, in a big-endian one
/// (`-target bpfeb`) it is the HIGH nibble. `off` and `imm` are stored in the object's byte
/// order too. ``init(bytes:at:order:)`` and ``encoded(order:)`` handle both.
///
/// `ld_imm64` (`code` 0x18, ``isWideLoad``) takes two slots: the second slot carries the high
/// 32 bits of the constant in its `imm` and must otherwise be zero. See
/// ``InstructionSlots`` for iterating over "logical" instructions.
public struct Instruction: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The size of one slot in bytes (`sizeof(struct bpf_insn)`).
    public static let size = 8

    /// The whole slot in one word, laid out as a little-endian `struct bpf_insn` reads from
    /// memory: `code` in bits 0–7, `dst_reg` 8–11, `src_reg` 12–15, `off` 16–31, `imm` 32–63.
    ///
    /// One word instead of five fields keeps an instruction at 8 bytes (not 12) and lets the
    /// reader turn a little-endian section into instructions with one copy of its bytes
    /// (``FunctionReader``). The fields below are computed from it; setters keep the other
    /// bits. Equality and hashing compare the word, i.e. all five fields.
    @usableFromInline var raw: UInt64

    /// The opcode byte (`code`): class, plus size/mode or operation/source bits.
    @inlinable public var code: UInt8 {
        get { UInt8(truncatingIfNeeded: raw) }
        set { raw = raw & ~0xff | UInt64(newValue) }
    }
    /// The destination register number (`dst_reg`, 4 bits: 0...15; the ISA defines r0...r10).
    /// Setting it keeps the low 4 bits.
    @inlinable public var dst: UInt8 {
        get { UInt8(truncatingIfNeeded: raw >> 8) & 0x0f }
        set { raw = raw & ~0x0f00 | UInt64(newValue & 0x0f) << 8 }
    }
    /// The source register number (`src_reg`, 4 bits), or a pseudo source kind for `ld_imm64`
    /// and `call` (see ``BPFPseudo``). Setting it keeps the low 4 bits.
    @inlinable public var src: UInt8 {
        get { UInt8(truncatingIfNeeded: raw >> 12) & 0x0f }
        set { raw = raw & ~0xf000 | UInt64(newValue & 0x0f) << 12 }
    }
    /// The signed 16-bit offset (`off`): memory displacement, jump offset, or an opcode
    /// extension (signed division, sign-extending move, address-space cast).
    @inlinable public var offset: Int16 {
        get { Int16(truncatingIfNeeded: raw >> 16) }
        set { raw = raw & ~0xffff_0000 | UInt64(UInt16(bitPattern: newValue)) << 16 }
    }
    /// The signed 32-bit immediate (`imm`).
    @inlinable public var immediate: Int32 {
        get { Int32(truncatingIfNeeded: raw >> 32) }
        set { raw = raw & 0xffff_ffff | UInt64(UInt32(bitPattern: newValue)) << 32 }
    }

    /// Creates an instruction from its fields. Register numbers are truncated to 4 bits.
    @inlinable
    public init(code: UInt8, dst: UInt8 = 0, src: UInt8 = 0, offset: Int16 = 0, immediate: Int32 = 0) {
        raw = UInt64(code) | UInt64(dst & 0x0f) << 8 | UInt64(src & 0x0f) << 12
            | UInt64(UInt16(bitPattern: offset)) << 16 | UInt64(UInt32(bitPattern: immediate)) << 32
    }

    /// Creates an instruction from a slot's 8 bytes loaded as a little-endian `UInt64` (the
    /// layout of ``raw``). For a big-endian object, see ``init(bigEndianSlot:)``.
    @inlinable
    init(littleEndianSlot slot: UInt64) { raw = slot }

    /// Creates an instruction from a big-endian object's slot loaded as a little-endian
    /// `UInt64`: there the register nibbles are swapped and `off`/`imm` are big-endian.
    @inlinable
    init(bigEndianSlot slot: UInt64) {
        let registers = UInt8(truncatingIfNeeded: slot >> 8)
        self.init(code: UInt8(truncatingIfNeeded: slot), dst: registers >> 4, src: registers & 0x0f,
                  offset: Int16(bitPattern: UInt16(truncatingIfNeeded: slot >> 16).byteSwapped),
                  immediate: Int32(bitPattern: UInt32(truncatingIfNeeded: slot >> 32).byteSwapped))
    }

    /// Decodes the 8-byte slot at relative `offset` of `reader`, using the reader's byte order.
    ///
    /// Throws ``ParseError`` (`.truncated`) when fewer than 8 bytes are available.
    public init(reading reader: ByteReader, at offset: Int) throws(ParseError) {
        try reader.check(offset, Instruction.size)
        let code = try reader.u8(at: offset)
        let registers = try reader.u8(at: offset + 1)
        let dst: UInt8
        let src: UInt8
        switch reader.order {
        case .little:
            dst = registers & 0x0f
            src = registers >> 4
        case .big:
            dst = registers >> 4
            src = registers & 0x0f
        }
        self.init(code: code, dst: dst, src: src,
                  offset: Int16(bitPattern: try reader.u16(at: offset + 2)),
                  immediate: try reader.i32(at: offset + 4))
    }

    /// Decodes one slot from the first 8 bytes of `bytes` in `order`.
    public init(bytes: ArraySlice<UInt8>, order: ByteOrder) throws(ParseError) {
        try self.init(reading: ByteReader(bytes, order: order, context: "instruction"), at: 0)
    }

    /// Encodes this slot as 8 bytes in `order` (the inverse of decoding).
    public func encoded(order: ByteOrder) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: Instruction.size)
        encode(into: &result, at: 0, order: order)
        return result
    }

    /// Writes this slot's 8 bytes into `buffer` at `offset` in `order` (the caller checks bounds).
    public func encode(into buffer: inout [UInt8], at offset: Int, order: ByteOrder) {
        buffer[offset] = code
        buffer[offset + 1] = order == .little ? (src << 4) | (dst & 0x0f) : (dst << 4) | (src & 0x0f)
        order.store(UInt16(bitPattern: self.offset), into: &buffer, at: offset + 2)
        order.store(UInt32(bitPattern: immediate), into: &buffer, at: offset + 4)
    }

    // MARK: Opcode fields

    /// The instruction class (`BPF_CLASS(code)`, the low 3 bits).
    public var instructionClass: InstructionClass {
        InstructionClass(rawValue: code & 0x07)!
    }

    /// The access size of a load/store (`BPF_SIZE(code)`); meaningful for LD, LDX, ST, STX.
    public var accessSize: AccessSize {
        AccessSize(rawValue: code & 0x18)!
    }

    /// The addressing mode of a load/store (`BPF_MODE(code)`), or nil for an undefined mode.
    public var addressingMode: AddressingMode? {
        AddressingMode(rawValue: code & 0xe0)
    }

    /// Where the second operand comes from (`BPF_SRC(code)`); meaningful for ALU and JMP classes.
    public var operandSource: OperandSource {
        OperandSource(rawValue: code & 0x08)!
    }

    /// The arithmetic operation (`BPF_OP(code)`) of an ALU/ALU64 instruction, nil otherwise.
    public var aluOperation: ALUOperation? {
        instructionClass.isArithmetic ? ALUOperation(rawValue: code & 0xf0) : nil
    }

    /// The jump operation (`BPF_OP(code)`) of a JMP/JMP32 instruction, nil otherwise.
    public var jumpOperation: JumpOperation? {
        instructionClass.isJump ? JumpOperation(rawValue: code & 0xf0) : nil
    }

    // MARK: Common questions asked by loaders

    /// True for `ld_imm64` (`BPF_LD | BPF_IMM | BPF_DW`, 0x18), which occupies two slots.
    public var isWideLoad: Bool { code == Opcode.loadImmediate64 }

    /// True for `call` (`BPF_JMP | BPF_CALL`, 0x85) of any kind: helper, BPF-to-BPF, kfunc.
    public var isCall: Bool { code == Opcode.call }

    /// True for a call to a BPF helper (`src_reg` 0; `imm` is an `enum bpf_func_id`).
    public var isHelperCall: Bool { isCall && src == 0 }

    /// True for a BPF-to-BPF call (`src_reg` = `BPF_PSEUDO_CALL`; `imm` is relative).
    public var isLocalCall: Bool { Self.isLocalCall(raw: raw) }

    /// ``isLocalCall`` on a slot's word: `code` (bits 0–7) is `call` and `src_reg` (bits
    /// 12–15) is `BPF_PSEUDO_CALL`, whatever `dst_reg`; one mask and compare, which lets a scan
    /// test several slots per branch.
    @inline(__always)
    static func isLocalCall(raw: UInt64) -> Bool {
        raw & 0xf0ff == UInt64(BPFPseudo.call) << 12 | UInt64(Opcode.call)
    }

    /// True for a call to a kernel function (`src_reg` = `BPF_PSEUDO_KFUNC_CALL`; `imm` is a BTF id).
    public var isKernelFunctionCall: Bool { isCall && src == BPFPseudo.kernelFunctionCall }

    /// True for `exit` (`BPF_JMP | BPF_EXIT`, 0x95).
    public var isExit: Bool { code == Opcode.exit }

    /// For a jump with a pc-relative target (`goto`, `gotol`, conditional jumps, `may_goto`),
    /// the offset in slots from the next instruction; nil for anything else (including `call`
    /// and `exit`).
    public var jumpOffset: Int? {
        guard let operation = jumpOperation else { return nil }
        switch operation {
        case .call, .exit:
            return nil
        case .jumpAlways where instructionClass == .jump32:
            return Int(immediate)      // gotol: 32-bit offset in imm
        default:
            return Int(offset)
        }
    }

    /// The raw fields, e.g. `{code: 0x61, dst: r1, src: r2, off: -4, imm: 0}` (see
    /// ``Disassembler`` for assembly syntax).
    public var description: String {
        func hex(_ value: some BinaryInteger) -> String { String(value, radix: 16) }
        return "{code: 0x\(hex(code)), dst: r\(dst), src: r\(src), off: \(offset), imm: \(immediate)}"
    }
}

/// Named opcode bytes the loader and linker look for.
public enum Opcode {
    /// `BPF_LD | BPF_IMM | BPF_DW` (0x18): `ld_imm64`, the two-slot 64-bit immediate load.
    public static let loadImmediate64: UInt8 = 0x18
    /// `BPF_JMP | BPF_CALL` (0x85): helper, BPF-to-BPF or kfunc call.
    public static let call: UInt8 = 0x85
    /// `BPF_JMP | BPF_CALL | BPF_X` (0x8d): `callx`, an indirect call through a register (LLVM only).
    public static let callRegister: UInt8 = 0x8d
    /// `BPF_JMP | BPF_EXIT` (0x95): return from the program or subprogram.
    public static let exit: UInt8 = 0x95
    /// `BPF_JMP | BPF_JA` (0x05): unconditional jump by `off`.
    public static let jumpAlways: UInt8 = 0x05
    /// `BPF_JMP32 | BPF_JA` (0x06): `gotol`, unconditional jump by the 32-bit `imm`.
    public static let jumpAlwaysLong: UInt8 = 0x06
}
