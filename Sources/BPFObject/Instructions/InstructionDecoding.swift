// Decoding an instruction's fields into an `InstructionOperation` — the rules of which
// encodings are valid live here and nowhere else.

extension Instruction {
    /// The highest register number of the ISA (r10, the read-only frame pointer).
    public static let maxRegister: UInt8 = 10

    /// What this instruction does, or nil if it is not a valid instruction.
    ///
    /// `next` is the slot after this one; it is only used by `ld_imm64`, which is invalid
    /// (nil) without it.
    public func operation(next: Instruction? = nil) -> InstructionOperation? {
        switch instructionClass {
        case .load: decodeLoad(next: next)
        case .loadRegister: decodeLoadRegister()
        case .store: decodeStoreImmediate()
        case .storeRegister: decodeStoreRegister()
        case .alu, .alu64: decodeArithmetic()
        case .jump, .jump32: decodeJump()
        }
    }

    /// The operation of a logical instruction (see ``Instruction/operation(next:)``).
    public static func operation(of logical: LogicalInstruction) -> InstructionOperation? {
        logical.instruction.operation(next: logical.second)
    }

    // MARK: Load and store classes

    private func decodeLoad(next: Instruction?) -> InstructionOperation? {
        let size = accessSize
        switch addressingMode {
        case .immediate where size == .doubleWord:
            guard offset == 0, dst <= Self.maxRegister, let next else { return nil }
            if src == 0 {
                return .loadImmediate64(dst: dst, value: Instruction.wideImmediate(low: self, high: next))
            }
            return .loadPseudo(dst: dst, source: src, immediate: immediate, secondImmediate: next.immediate)
        case .packetAbsolute where size != .doubleWord:
            return .loadPacketAbsolute(size: size, offset: immediate)
        case .packetIndirect where size != .doubleWord:
            guard src <= Self.maxRegister else { return nil }
            return .loadPacketIndirect(size: size, source: src, offset: immediate)
        default:
            return nil
        }
    }

    private func decodeLoadRegister() -> InstructionOperation? {
        guard dst <= Self.maxRegister, src <= Self.maxRegister else { return nil }
        switch addressingMode {
        case .memory:
            return .load(size: accessSize, signExtend: false, dst: dst, base: src, offset: offset)
        case .memorySignExtend where accessSize != .doubleWord:
            return .load(size: accessSize, signExtend: true, dst: dst, base: src, offset: offset)
        default:
            return nil
        }
    }

    private func decodeStoreImmediate() -> InstructionOperation? {
        guard addressingMode == .memory, dst <= Self.maxRegister else { return nil }
        return .storeImmediate(size: accessSize, base: dst, offset: offset, value: immediate)
    }

    private func decodeStoreRegister() -> InstructionOperation? {
        guard dst <= Self.maxRegister, src <= Self.maxRegister else { return nil }
        switch addressingMode {
        case .memory:
            return .store(size: accessSize, base: dst, offset: offset, source: src)
        case .atomic:
            guard let operation = AtomicOperation(immediate: immediate) else { return nil }
            switch (accessSize, operation) {
            case (.word, _), (.doubleWord, _), (_, .loadAcquire), (_, .storeRelease):
                break
            default:
                return nil      // 8- and 16-bit atomics exist only as load-acquire/store-release
            }
            if operation == .loadAcquire {
                return .atomic(size: accessSize, operation: operation, base: src, offset: offset, source: dst)
            }
            return .atomic(size: accessSize, operation: operation, base: dst, offset: offset, source: src)
        default:
            return nil
        }
    }

    // MARK: Arithmetic classes

    private func decodeArithmetic() -> InstructionOperation? {
        let is64 = instructionClass == .alu64
        let usesRegister = operandSource == .register
        guard let operation = aluOperation, dst <= Self.maxRegister else { return nil }
        if operation == .endianness {
            return decodeByteSwap(is64: is64, toBigEndian: usesRegister)     // src_reg is not used
        }
        guard !usesRegister || src <= Self.maxRegister else { return nil }
        let operand: InstructionOperation.Operand = usesRegister ? .register(src) : .immediate(immediate)
        switch operation {
        case .negate:
            return usesRegister ? nil : .negate(is64: is64, dst: dst)
        case .move:
            return decodeMove(is64: is64, operand: operand)
        case .divide, .modulo:
            guard offset == 0 || offset == 1 else { return nil }
            let signed = offset == 1
            let arithmetic: ArithmeticOperation = operation == .divide
                ? (signed ? .signedDivide : .divide)
                : (signed ? .signedModulo : .modulo)
            return .arithmetic(is64: is64, operation: arithmetic, dst: dst, operand: operand)
        default:
            guard offset == 0, let arithmetic = ArithmeticOperation(simple: operation) else { return nil }
            return .arithmetic(is64: is64, operation: arithmetic, dst: dst, operand: operand)
        }
    }

    /// `BPF_END`: `BPF_TO_LE`/`BPF_TO_BE` (the source bit) in `BPF_ALU`, `bswap` in `BPF_ALU64`.
    private func decodeByteSwap(is64: Bool, toBigEndian: Bool) -> InstructionOperation? {
        guard immediate == 16 || immediate == 32 || immediate == 64 else { return nil }
        let kind: ByteSwapKind
        switch (is64, toBigEndian) {
        case (false, false): kind = .toLittleEndian
        case (false, true): kind = .toBigEndian
        case (true, false): kind = .unconditional
        case (true, true): return nil
        }
        return .byteSwap(kind: kind, bits: Int(immediate), dst: dst)
    }

    private func decodeMove(is64: Bool, operand: InstructionOperation.Operand) -> InstructionOperation? {
        switch (offset, operand) {
        case (0, _):
            return .arithmetic(is64: is64, operation: .move, dst: dst, operand: operand)
        case (8, .register(let source)), (16, .register(let source)):
            return .moveSignExtend(is64: is64, dst: dst, source: source, bits: Int(offset))
        case (32, .register(let source)) where is64:
            return .moveSignExtend(is64: true, dst: dst, source: source, bits: 32)
        case (1, .register(let source)) where is64:
            let bits = UInt32(bitPattern: immediate)
            return .addressSpaceCast(dst: dst, source: source,
                                     destinationSpace: UInt16(truncatingIfNeeded: bits >> 16),
                                     originSpace: UInt16(truncatingIfNeeded: bits))
        default:
            return nil
        }
    }

    // MARK: Jump classes

    private func decodeJump() -> InstructionOperation? {
        let is64 = instructionClass == .jump
        let usesRegister = operandSource == .register
        guard let operation = jumpOperation else { return nil }
        switch operation {
        case .jumpAlways:
            guard !usesRegister else { return nil }
            return is64 ? .jump(offset: Int32(offset), isLong: false) : .jump(offset: immediate, isLong: true)
        case .call:
            guard is64 else { return nil }
            if usesRegister {
                return dst <= Self.maxRegister ? .callRegister(dst) : nil
            }
            return .call(kind: src, immediate: immediate)
        case .exit:
            guard is64, !usesRegister, immediate == 0 else { return nil }
            return .exit
        case .conditionalPseudo:
            guard is64, !usesRegister else { return nil }
            return .mayGoto(offset: offset)
        default:
            guard let condition = JumpCondition(operation), dst <= Self.maxRegister,
                  !usesRegister || src <= Self.maxRegister else { return nil }
            let operand: InstructionOperation.Operand = usesRegister ? .register(src) : .immediate(immediate)
            return .conditionalJump(is64: is64, condition: condition, dst: dst, operand: operand, offset: offset)
        }
    }
}

extension ArithmeticOperation {
    /// The operation of an opcode that has no `off`-selected variants (nil for DIV, MOD, MOV,
    /// NEG and END, which are decoded separately).
    init?(simple operation: ALUOperation) {
        switch operation {
        case .add: self = .add
        case .subtract: self = .subtract
        case .multiply: self = .multiply
        case .or: self = .or
        case .and: self = .and
        case .shiftLeft: self = .shiftLeft
        case .shiftRight: self = .shiftRight
        case .xor: self = .xor
        case .arithmeticShiftRight: self = .arithmeticShiftRight
        case .divide, .modulo, .move, .negate, .endianness: return nil
        }
    }
}

extension JumpCondition {
    /// The condition of a conditional jump opcode (nil for JA, CALL, EXIT, JCOND).
    init?(_ operation: JumpOperation) {
        switch operation {
        case .equal: self = .equal
        case .notEqual: self = .notEqual
        case .greater: self = .greater
        case .greaterOrEqual: self = .greaterOrEqual
        case .less: self = .less
        case .lessOrEqual: self = .lessOrEqual
        case .signedGreater: self = .signedGreater
        case .signedGreaterOrEqual: self = .signedGreaterOrEqual
        case .signedLess: self = .signedLess
        case .signedLessOrEqual: self = .signedLessOrEqual
        case .bitsSet: self = .bitsSet
        case .jumpAlways, .call, .exit, .conditionalPseudo: return nil
        }
    }
}
