/// An entry program with every BPF-to-BPF call resolved: its own instructions first, then each
/// subprogram it reaches (directly or not) appended once, with call and function-address
/// immediates rewritten to the new layout. Only data relocations (maps, externs) remain.
public struct LinkedProgram: Sendable, Equatable {
    public static func == (lhs: LinkedProgram, rhs: LinkedProgram) -> Bool {
        lhs.program == rhs.program && lhs.instructions == rhs.instructions && lhs.relocations == rhs.relocations
            && lhs.placements == rhs.placements && lhs.funcInfo == rhs.funcInfo && lhs.lineInfo == rhs.lineInfo
    }

    /// Where one function landed in the linked instruction stream.
    public struct Placement: Sendable, Equatable {
        /// The function's name.
        public var name: String
        /// The section it came from.
        public var sectionName: String
        /// Its first instruction in the section.
        public var startInSection: Int
        /// Its first instruction in ``LinkedProgram/instructions``.
        public var start: Int
        /// Its instruction count.
        public var count: Int
        /// The index of the section it came from (the linker groups `.BTF.ext` lookups by it).
        var sectionIndex: Int = -1
        /// The function's number in the object's functions (``BPFObjectFile/functions``), or -1
        /// for the entry function: the linker finds the placed instructions by it.
        var functionIndex: Int = -1
    }

    /// The entry program this was linked from.
    public var program: ProgramSpec
    /// The linked instructions (host-independent values; encode in any byte order).
    public var instructions: [Instruction]
    /// Data relocations left for ``MapRelocator``, with indices into ``instructions``.
    public var relocations: [Relocation]
    /// The entry function first, then each appended subprogram in the order it was reached.
    public var placements: [Placement]

    /// Creates a linked program (normally done by ``Linker``).
    public init(program: ProgramSpec, instructions: [Instruction], relocations: [Relocation], placements: [Placement]) {
        self.program = program
        self.instructions = instructions
        self.relocations = relocations
        self.placements = placements
        self.funcInfo = []
        self.lineInfo = []
        self.sourceStrings = BTFStringTable()
    }

    /// Creates a linked program with its `.BTF.ext` records, every field at once.
    init(program: ProgramSpec, instructions: [Instruction], relocations: [Relocation], placements: [Placement],
         funcInfo: [BPFFuncInfo], lineInfo: [BPFLineInfo], sourceStrings: BTFStringTable) {
        self.program = program
        self.instructions = instructions
        self.relocations = relocations
        self.placements = placements
        self.funcInfo = funcInfo
        self.lineInfo = lineInfo
        self.sourceStrings = sourceStrings
    }

    // No default values on the stored properties: with them, the init below built the value
    // in a temporary and copied it whole (every array and string retained, then released).

    /// func_info for `BPF_PROG_LOAD` (kernel form: instruction indices into ``instructions``),
    /// empty without `.BTF.ext`.
    public var funcInfo: [BPFFuncInfo]
    /// line_info for `BPF_PROG_LOAD` (kernel form), empty without `.BTF.ext`.
    public var lineInfo: [BPFLineInfo]
    /// The line_info records of the placed functions with their positions in ``instructions``
    /// (their strings are resolved only by ``sourceLines``). Rebuilt from ``lineInfo`` and
    /// ``placements`` on each call: the record's `insn_off` is the position in its section.
    public var placedLineInfo: [(instruction: Int, record: BTFExtLineInfo)] {
        lineInfo.map { line in
            let position = Int(line.instructionIndex)
            let placement = placements.first { $0.start <= position && position < $0.start + $0.count }
            let inSection = position - (placement.map { $0.start - $0.startInSection } ?? 0)
            return (position, BTFExtLineInfo(instructionByteOffset: UInt32(clamping: inSection * Instruction.size),
                                             fileNameOffset: line.fileNameOffset, lineOffset: line.lineOffset,
                                             lineColumn: line.lineColumn))
        }
    }
    /// The `.BTF` string section the line_info records point into (empty without `.BTF.ext`).
    public var sourceStrings: BTFStringTable

    /// The C source line each line_info record names, for disassembly and verifier logs.
    public var sourceLines: [SourceLine] {
        lineInfo.map { line in
            SourceLine(instruction: Int(line.instructionIndex), file: sourceStrings[line.fileNameOffset],
                       line: Int(line.lineColumn >> 10), column: Int(line.lineColumn & 0x3ff),
                       text: sourceStrings[line.lineOffset])
        }
    }

    /// A source position from `.BTF.ext` line_info, placed in the linked program.
    public struct SourceLine: Sendable, Equatable {
        /// Index into ``LinkedProgram/instructions`` of the line's first instruction.
        public var instruction: Int
        /// The source file name.
        public var file: String
        /// 1-based line number.
        public var line: Int
        /// Column (0 when unknown).
        public var column: Int
        /// The text of the line.
        public var text: String
    }

    /// The program's name.
    public var name: String { program.name }
    /// Names of the subprograms pulled in (everything but the entry function).
    public var subprogramNames: [String] { placements.dropFirst().map(\.name) }
}

/// A linking failure: a call or function address whose target is not the start of a function.
public struct LinkError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The program being linked.
    public var program: String
    /// Index of the instruction (in the function named by `function`) that could not be linked.
    public var instruction: Int
    /// The function containing it.
    public var function: String
    /// What is wrong.
    public var reason: String

    public var description: String {
        "link \(program): \(function) insn \(instruction): \(reason)"
    }
}
