/// One BPF function as it lies in the object: an entry program's body or a `.text` subprogram.
///
/// Its instructions are exactly the function symbol's range (`st_value`, `st_size`); calls to
/// other functions are not resolved yet (see ``Linker``).
public struct FunctionSpec: Sendable, Equatable {
    /// The function symbol's name.
    public var name: String
    /// Name of the ELF section holding it (`xdp`, `.text`, …).
    public var sectionName: String
    /// Index of that section.
    public var sectionIndex: Int
    /// Index of the function's first instruction inside its section.
    public var startInSection: Int
    /// The function's instructions, decoded (an `ld_imm64` occupies two entries). Built from
    /// ``body`` on each call (no copy when the function is its whole section).
    public var instructions: [Instruction] {
        get { Array(body) }
        set { body = newValue[...] }
    }
    /// The function's instructions as a slice of its section's decoded instructions, which
    /// every function of the section shares: the functions of `.text` cost no array of their
    /// own, and the ``Linker`` copies each slice once into the linked program. Its indices are
    /// the slice's own (use ``instruction(at:)`` for function-relative ones).
    var body: ArraySlice<Instruction>
    /// True for `STB_GLOBAL`/`STB_WEAK` functions, false for `static` ones.
    public var isGlobal: Bool
    /// Relocations, with instruction indices relative to the function's start.
    public var relocations: [Relocation]

    /// The instruction range the function covers inside its section.
    public var rangeInSection: Range<Int> { startInSection..<(startInSection + body.count) }

    /// The number of instruction slots.
    var instructionCount: Int { body.count }

    /// Instruction `index` counted from the function's start (below ``instructionCount``).
    @inline(__always)
    func instruction(at index: Int) -> Instruction { body[body.startIndex + index] }
}

/// An entry program: a function in an executable section other than `.text`.
public struct ProgramSpec: Sendable, Equatable {
    /// The program's code as it lies in the object.
    public var function: FunctionSpec
    /// What libbpf's `SEC()` conventions make of the section name; nil when the section name
    /// is unknown (the program is still listed, and a loader must be told its type).
    public var kind: ProgramKind?

    /// The program's name (its function symbol).
    public var name: String { function.name }
    /// The ELF section it lives in, which names its type (`xdp`, `xdp.frags`, `tc`, …).
    public var sectionName: String { function.sectionName }
}
