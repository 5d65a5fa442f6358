/// One relocation of a function's instructions, collected from the ELF `.rel<section>` tables
/// (and from local pseudo calls, which need no ELF entry) and classified, but not yet applied.
///
/// Collect first, apply later: the linker resolves the code kinds (calls, function
/// addresses) into one instruction stream; ``MapRelocator`` applies the data kinds once the
/// kernel has handed out map file descriptors.
public struct Relocation: Sendable, Equatable {
    /// What an instruction refers to.
    public enum Kind: Sendable, Equatable {
        /// `ld_imm64` of a map: becomes `src_reg = BPF_PSEUDO_MAP_FD`, `imm = fd`.
        case mapReference(map: String)
        /// `ld_imm64` of an address inside a data map's value: becomes
        /// `src_reg = BPF_PSEUDO_MAP_VALUE`, `insn[0].imm = fd`, `insn[1].imm = offset`.
        case mapValue(map: String, offset: Int)
        /// `call` of a BPF-to-BPF function (`src_reg = BPF_PSEUDO_CALL`) at instruction
        /// `instruction` of section `section`.
        case subprogramCall(section: Int, instruction: Int)
        /// `ld_imm64` of a function's address (callbacks): becomes `src_reg = BPF_PSEUDO_FUNC`.
        case functionAddress(section: Int, instruction: Int)
        /// `ld_imm64` of an extern variable (`__kconfig` value or `__ksym` address).
        case externVariable(name: String)
        /// `call` of an extern function (a kfunc: `src_reg = BPF_PSEUDO_KFUNC_CALL`).
        case externCall(name: String)
    }

    /// Index of the instruction (the first slot for `ld_imm64`) inside its function.
    public var instruction: Int
    /// What it refers to.
    public var kind: Kind
    /// Name of the ELF symbol the relocation named (empty for local calls).
    public var symbol: String
    /// The ELF relocation type (`R_BPF_*`), or nil for local calls that had no ELF entry.
    public var elfType: UInt32?

    /// Creates a relocation record.
    public init(instruction: Int, kind: Kind, symbol: String, elfType: UInt32?) {
        self.instruction = instruction
        self.kind = kind
        self.symbol = symbol
        self.elfType = elfType
    }
}

extension Relocation.Kind: CustomStringConvertible {
    /// A short description (`map lb_map`, `map .rodata+16`, `call .text#12`, …).
    public var description: String {
        switch self {
        case let .mapReference(map): "map \(map)"
        case let .mapValue(map, offset): "map value \(map)+\(offset)"
        case let .subprogramCall(section, instruction): "call section \(section) insn \(instruction)"
        case let .functionAddress(section, instruction): "function address section \(section) insn \(instruction)"
        case let .externVariable(name): "extern \(name)"
        case let .externCall(name): "kfunc \(name)"
        }
    }

    /// True for kinds the linker resolves (calls and function addresses).
    public var isCode: Bool {
        switch self {
        case .subprogramCall, .functionAddress: true
        default: false
        }
    }
}
