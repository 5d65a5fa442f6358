/// Applies the data relocations of a linked program once the kernel's file descriptors are
/// known. A pure function: `(linked program, map name → fd) → instructions`, so tests can call
/// it with made-up descriptors.
public enum MapRelocator {
    /// A relocation that cannot be applied.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// The program.
        public var program: String
        /// The instruction index in the linked program.
        public var instruction: Int
        /// What is missing.
        public var reason: String
        public var description: String { "relocate \(program) insn \(instruction): \(reason)" }
    }

    /// Returns `linked.instructions` with every map reference and map-value reference patched:
    /// - `.mapReference`: `src_reg = BPF_PSEUDO_MAP_FD (1)`, `imm = fd`;
    /// - `.mapValue`: `src_reg = BPF_PSEUDO_MAP_VALUE (2)`, `insn[0].imm = fd`, `insn[1].imm = offset`.
    ///
    /// Extern relocations (kconfig values, kernel symbols, kfuncs) are left as they are: they
    /// need the running kernel and are applied by the loader's extern step.
    public static func apply(_ linked: LinkedProgram, mapFDs: [String: Int32]) throws(Failure) -> [Instruction] {
        var instructions = linked.instructions
        for relocation in linked.relocations {
            let at = relocation.instruction
            func fail(_ reason: String) -> Failure { Failure(program: linked.name, instruction: at, reason: reason) }
            switch relocation.kind {
            case let .mapReference(map):
                guard let fd = mapFDs[map] else { throw fail("no file descriptor for map '\(map)'") }
                instructions[at].src = BPFPseudo.mapFD
                instructions[at].immediate = fd
            case let .mapValue(map, offset):
                guard let fd = mapFDs[map] else { throw fail("no file descriptor for map '\(map)'") }
                instructions[at].src = BPFPseudo.mapValue
                instructions[at].immediate = fd
                instructions[at + 1].immediate = Int32(offset)
            case .externVariable, .externCall:
                continue
            case .subprogramCall, .functionAddress:
                throw fail("code relocation left after linking")
            }
        }
        return instructions
    }
}
