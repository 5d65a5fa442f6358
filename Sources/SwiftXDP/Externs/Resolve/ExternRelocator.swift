/// Patches the instructions that use externs once they are resolved: a pure function
/// `(linked program, instructions, resolution, .kconfig map fd) → instructions`, applied after
/// ``MapRelocator`` has patched the map references (it works on that output and touches only
/// the extern relocations; libbpf does the same in `bpf_object__relocate_data`).
///
/// - `ld_imm64` of a variable (``Relocation/Kind/externVariable(name:)``):
///   kconfig → `src_reg = BPF_PSEUDO_MAP_VALUE (2)`, `imm = map fd`, second `imm = offset`;
///   typeless ksym → `src_reg = 0`, the 64-bit address split over both `imm`s;
///   typed ksym or kfunc → `src_reg = BPF_PSEUDO_BTF_ID (3)`, `imm = BTF id`, second `imm = 0`
///   (the BTF object fd; 0 is vmlinux);
///   weak and missing → `src_reg = 0`, both `imm`s 0.
/// - `call` of a kfunc (``Relocation/Kind/externCall(name:)``): `src_reg =
///   BPF_PSEUDO_KFUNC_CALL (2)`, `imm = BTF id`, `off = 0` (the `fd_array` index of the BTF;
///   0 is vmlinux); weak and missing → `imm = 0`, `off = 0`.
public enum ExternRelocator {
    /// An extern relocation that cannot be applied.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// The program.
        public var program: String
        /// The instruction index in the linked program.
        public var instruction: Int
        /// What is wrong.
        public var reason: String
        /// `relocate PROGRAM insn N: reason`.
        public var description: String { "relocate \(program) insn \(instruction): \(reason)" }
    }

    /// Returns `instructions` (by default `linked.instructions`) with every extern relocation
    /// of `linked` applied. `kconfigMapFD` is the fd of the created `.kconfig` map, needed
    /// when a kconfig extern is used.
    public static func apply(_ linked: LinkedProgram, to instructions: [Instruction]? = nil,
                             resolution: ExternResolution, kconfigMapFD: Int32?) throws(Failure) -> [Instruction] {
        var result = instructions ?? linked.instructions
        for relocation in linked.relocations {
            let at = relocation.instruction
            func fail(_ reason: String) -> Failure { Failure(program: linked.name, instruction: at, reason: reason) }
            switch relocation.kind {
            case let .externVariable(name):
                guard at >= 0, at + 1 < result.count, result[at].code == wideLoadCode else {
                    throw fail("extern '\(name)' is not referenced by an ld_imm64")
                }
                guard let value = resolution[name] else { throw fail("extern '\(name)' is not resolved") }
                switch value {
                case let .mapValue(offset):
                    guard let kconfigMapFD else { throw fail("extern '\(name)' needs the .kconfig map, which has no fd") }
                    setWideLoad(&result, at, source: BPFPseudo.mapValue, low: kconfigMapFD, high: Int32(offset))
                case let .address(address):
                    setWideLoad(&result, at, source: 0, low: Int32(truncatingIfNeeded: address),
                                high: Int32(truncatingIfNeeded: address >> 32))
                case let .btfID(id), let .kfunc(id):
                    setWideLoad(&result, at, source: BPFPseudo.btfID, low: Int32(bitPattern: id), high: 0)
                case .zero:
                    setWideLoad(&result, at, source: 0, low: 0, high: 0)
                }
            case let .externCall(name):
                guard at >= 0, at < result.count, result[at].code == callCode else {
                    throw fail("kfunc '\(name)' is not referenced by a call")
                }
                guard let value = resolution[name] else { throw fail("kfunc '\(name)' is not resolved") }
                switch value {
                case let .kfunc(id):
                    result[at].src = BPFPseudo.kernelFunctionCall
                    result[at].immediate = Int32(bitPattern: id)
                    result[at].offset = 0
                case .zero:
                    result[at].src = BPFPseudo.kernelFunctionCall
                    result[at].immediate = 0
                    result[at].offset = 0
                default:
                    throw fail("'\(name)' is called but resolved to \(value), not a kfunc")
                }
            case .mapReference, .mapValue, .subprogramCall, .functionAddress:
                continue
            }
        }
        return result
    }

    /// `BPF_LD | BPF_IMM | BPF_DW`.
    private static let wideLoadCode: UInt8 = 0x18
    /// `BPF_JMP | BPF_CALL`.
    private static let callCode: UInt8 = 0x85

    private static func setWideLoad(_ instructions: inout [Instruction], _ at: Int, source: UInt8, low: Int32, high: Int32) {
        instructions[at].src = source
        instructions[at].immediate = low
        instructions[at + 1].immediate = high
    }
}
