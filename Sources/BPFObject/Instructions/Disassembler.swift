/// Turns instructions into text in the syntax of LLVM's BPF disassembler.
///
/// The default output is the same as `llvm-objdump -d --no-show-raw-insn` of LLVM 21
/// (e.g. `r1 = *(u32 *)(r1 + 0x4)`, `if r2 > r3 goto +0x5`, `r0 = 0x2 ll`, `w1 += 0x4`,
/// `lock *(u64 *)(r1 + 0x0) += r2`, `call 0x5`, `exit`), except that llvm-objdump appends a
/// `<symbol+offset>` label to jump targets, which needs the symbol table (see ``jumpLabel``).
/// Encodings that are not instructions print as `<unknown>`, as in llvm-objdump.
///
/// Options add what llvm-objdump cannot know: helper names, names of called BPF functions,
/// and caller-supplied annotations (for example the map an `ld_imm64` refers to).
public struct Disassembler {
    /// How a helper call (`call` with `src_reg` 0) is printed.
    public enum HelperCallStyle: Sendable, Equatable {
        /// `call 0x1` (llvm-objdump).
        case number
        /// `call bpf_map_lookup_elem` (the number when the id is unknown).
        case name
        /// `call 0x1 ; bpf_map_lookup_elem`.
        case numberAndName
    }

    /// How a BPF-to-BPF call (`src_reg` = `BPF_PSEUDO_CALL`) is printed when
    /// ``localCallName`` gives no name.
    public enum LocalCallStyle: Sendable, Equatable {
        /// `call -0x1`: the raw relative immediate (llvm-objdump).
        case immediate
        /// `call pc+5`: the offset from the next instruction, in decimal (bpftool's style).
        case relative
    }

    /// How helper calls are printed; `.number` by default.
    public var helperCalls: HelperCallStyle
    /// How BPF-to-BPF calls are printed; `.immediate` by default.
    public var localCalls: LocalCallStyle
    /// Names the target of a BPF-to-BPF call, given the target's slot index (that is
    /// `index + 1 + imm`); a non-nil name prints as `call name`.
    public var localCallName: ((_ targetIndex: Int) -> String?)?
    /// Labels the target of a jump (`goto`, `gotol`, `if … goto`, `may_goto`), given the target's
    /// slot index; a non-nil label is appended as ` <label>`, as llvm-objdump does.
    public var jumpLabel: ((_ targetIndex: Int) -> String?)?
    /// Annotates an instruction (e.g. with the relocation that applies to it); a non-nil text
    /// is appended as ` ; text`.
    public var annotate: ((LogicalInstruction) -> String?)?

    /// Creates a disassembler; with no arguments it prints exactly like llvm-objdump.
    public init(helperCalls: HelperCallStyle = .number, localCalls: LocalCallStyle = .immediate,
                localCallName: ((_ targetIndex: Int) -> String?)? = nil,
                jumpLabel: ((_ targetIndex: Int) -> String?)? = nil,
                annotate: ((LogicalInstruction) -> String?)? = nil) {
        self.helperCalls = helperCalls
        self.localCalls = localCalls
        self.localCallName = localCallName
        self.jumpLabel = jumpLabel
        self.annotate = annotate
    }

    /// The text of one instruction; `next` is the following slot (needed by `ld_imm64`) and
    /// `index` its slot index (used for jump and call targets).
    public func text(_ instruction: Instruction, next: Instruction? = nil, at index: Int = 0) -> String {
        text(LogicalInstruction(index: index, instruction: instruction,
                                second: instruction.isWideLoad ? next : nil))
    }

    /// The text of one logical instruction.
    public func text(_ logical: LogicalInstruction) -> String {
        var line = body(logical)
        if let note = annotate?(logical) {
            line += " ; " + note
        }
        return line
    }

    /// The text of every logical instruction of `instructions`, with its slot index.
    ///
    /// As in llvm-objdump, an `ld_imm64` that is not valid (for example with a non-zero `off`)
    /// prints as `<unknown>` and takes one slot; the slot after it is printed on its own.
    public func lines<C: RandomAccessCollection>(_ instructions: C) -> [(index: Int, text: String)]
    where C.Element == Instruction, C.Index == Int {
        var result: [(index: Int, text: String)] = []
        var position = instructions.startIndex
        while position < instructions.endIndex {
            let first = instructions[position]
            var logical = LogicalInstruction(index: position, instruction: first)
            if first.isWideLoad, position + 1 < instructions.endIndex {
                let second = instructions[position + 1]
                if first.operation(next: second) != nil {
                    logical = LogicalInstruction(index: position, instruction: first, second: second)
                }
            }
            result.append((index: position, text: text(logical)))
            position += logical.slotCount
        }
        return result
    }

    /// A listing in the layout of `llvm-objdump -d --no-show-raw-insn`: one line per logical
    /// instruction, the slot index right-aligned in 8 columns, a colon and a tab.
    public func listing<C: RandomAccessCollection>(_ instructions: C) -> String
    where C.Element == Instruction, C.Index == Int {
        lines(instructions).map { line in
            let number = String(line.index)
            return String(repeating: " ", count: max(0, 8 - number.count)) + number + ":\t" + line.text + "\n"
        }.joined()
    }

    // MARK: Formatting

    private func body(_ logical: LogicalInstruction) -> String {
        guard let operation = Instruction.operation(of: logical) else { return "<unknown>" }
        let index = logical.index
        switch operation {
        case let .loadImmediate64(dst, value):
            return "\(reg(dst)) = \(hex(Int64(bitPattern: value))) ll"
        case let .loadPseudo(dst, source, immediate, _):
            return "ld_pseudo\t\(reg(dst)), \(hex(source)), \(hex(UInt32(bitPattern: immediate)))"
        case let .loadPacketAbsolute(size, offset):
            return "r0 = *(\(type(size)) *)skb[\(hex(offset))]"
        case let .loadPacketIndirect(size, source, _):
            return "r0 = *(\(type(size)) *)skb[\(reg(source))]"
        case let .load(size, signExtend, dst, base, offset):
            let target = signExtend || size == .doubleWord ? reg(dst) : reg32(dst)
            return "\(target) = *(\(type(size, signed: signExtend)) *)\(address(base, offset))"
        case let .storeImmediate(size, base, offset, value):
            return "*(\(type(size)) *)\(address(base, offset)) = \(hex(value))"
        case let .store(size, base, offset, source):
            return "*(\(type(size)) *)\(address(base, offset)) = \(reg(source, size == .doubleWord))"
        case let .atomic(size, operation, base, offset, source):
            return atomic(size, operation, base, offset, source)
        case let .arithmetic(is64, operation, dst, operand):
            let op = operation == .move ? "=" : Self.symbol(operation) + "="
            return "\(reg(dst, is64)) \(op) \(self.operand(operand, is64))"
        case let .negate(is64, dst):
            return "\(reg(dst, is64)) = -\(reg(dst, is64))"
        case let .moveSignExtend(is64, dst, source, bits):
            return "\(reg(dst, is64)) = (s\(bits))\(reg(source, is64))"
        case let .addressSpaceCast(dst, source, destination, origin):
            return "\(reg(dst)) = addr_space_cast(\(reg(source)), \(hex(destination)), \(hex(origin)))"
        case let .byteSwap(kind, bits, dst):
            let name = switch kind {
            case .toLittleEndian: "le"
            case .toBigEndian: "be"
            case .unconditional: "bswap"
            }
            return "\(reg(dst)) = \(name)\(bits) \(reg(dst))"
        case let .jump(offset, isLong):
            return (isLong ? "gotol " : "goto ") + relative(offset, from: index)
        case let .conditionalJump(is64, condition, dst, operand, offset):
            return "if \(reg(dst, is64)) \(Self.symbol(condition)) \(self.operand(operand, is64)) goto "
                + relative(Int32(offset), from: index)
        case let .call(kind, immediate):
            return call(kind: kind, immediate: immediate, at: index)
        case let .callRegister(register):
            return "callx \(reg(register))"
        case .exit:
            return "exit"
        case let .mayGoto(offset):
            return "may_goto " + relative(Int32(offset), from: index)
        }
    }

    private func atomic(_ size: AccessSize, _ operation: AtomicOperation,
                        _ base: UInt8, _ offset: Int16, _ source: UInt8) -> String {
        let wide = size == .doubleWord
        let value = reg(source, wide)
        let memory = "(\(type(size)) *)\(address(base, offset))"
        switch operation {
        case let .add(fetch), let .or(fetch), let .and(fetch), let .xor(fetch):
            let (name, symbol) = switch operation {
            case .add: ("add", "+")
            case .or: ("or", "|")
            case .and: ("and", "&")
            default: ("xor", "^")
            }
            return fetch ? "\(value) = atomic_fetch_\(name)(\(memory), \(value))"
                         : "lock *\(memory) \(symbol)= \(value)"
        case .exchange:
            return "\(value) = \(wide ? "xchg_64" : "xchg32_32")(\(address(base, offset, parenthesized: false)), \(value))"
        case .compareExchange:
            let r0 = reg(0, wide)
            return "\(r0) = \(wide ? "cmpxchg_64" : "cmpxchg32_32")(\(address(base, offset, parenthesized: false)), \(r0), \(value))"
        case .loadAcquire:
            return "\(value) = load_acquire(\(memory))"
        case .storeRelease:
            return "store_release(\(memory), \(value))"
        }
    }

    private func call(kind: UInt8, immediate: Int32, at index: Int) -> String {
        switch kind {
        case BPFPseudo.helperCall:
            let name = BPFHelper.name(of: immediate)
            switch (helperCalls, name) {
            case (.name, let name?): return "call \(name)"
            case (.numberAndName, let name?): return "call \(hex(immediate)) ; \(name)"
            default: return "call \(hex(immediate))"
            }
        case BPFPseudo.call:
            let target = index + 1 + Int(immediate)
            if let name = localCallName?(target) {
                return "call \(name)"
            }
            switch localCalls {
            case .immediate: return "call \(hex(immediate))"
            case .relative: return "call pc\(immediate < 0 ? "" : "+")\(immediate)"
            }
        default:
            return "call \(hex(immediate))"
        }
    }

    private func relative(_ offset: Int32, from index: Int) -> String {
        let magnitude = "0x" + String(offset.magnitude, radix: 16)
        var text = (offset < 0 ? "-" : "+") + magnitude
        if let label = jumpLabel?(index + 1 + Int(offset)) {
            text += " <\(label)>"
        }
        return text
    }

    private func operand(_ operand: InstructionOperation.Operand, _ is64: Bool) -> String {
        switch operand {
        case let .immediate(value): hex(value)
        case let .register(register): reg(register, is64)
        }
    }

    private func address(_ base: UInt8, _ offset: Int16, parenthesized: Bool = true) -> String {
        let inner = "\(reg(base)) \(offset < 0 ? "-" : "+") 0x\(String(offset.magnitude, radix: 16))"
        return parenthesized ? "(\(inner))" : inner
    }

    private func type(_ size: AccessSize, signed: Bool = false) -> String {
        (signed ? "s" : "u") + String(size.byteCount * 8)
    }

    private func reg(_ number: UInt8, _ is64: Bool = true) -> String {
        (is64 ? "r" : "w") + String(number)
    }

    private func reg32(_ number: UInt8) -> String { reg(number, false) }

    private func hex<T: BinaryInteger>(_ value: T) -> String {
        (value < 0 ? "-0x" : "0x") + String(value.magnitude, radix: 16)
    }

    static func symbol(_ operation: ArithmeticOperation) -> String {
        switch operation {
        case .add: "+"
        case .subtract: "-"
        case .multiply: "*"
        case .divide: "/"
        case .signedDivide: "s/"
        case .or: "|"
        case .and: "&"
        case .shiftLeft: "<<"
        case .shiftRight: ">>"
        case .modulo: "%"
        case .signedModulo: "s%"
        case .xor: "^"
        case .move: ""
        case .arithmeticShiftRight: "s>>"
        }
    }

    static func symbol(_ condition: JumpCondition) -> String {
        switch condition {
        case .equal: "=="
        case .notEqual: "!="
        case .greater: ">"
        case .greaterOrEqual: ">="
        case .less: "<"
        case .lessOrEqual: "<="
        case .signedGreater: "s>"
        case .signedGreaterOrEqual: "s>="
        case .signedLess: "s<"
        case .signedLessOrEqual: "s<="
        case .bitsSet: "&"
        }
    }
}
