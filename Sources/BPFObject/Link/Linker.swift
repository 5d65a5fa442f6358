/// Links entry programs: appends each subprogram a program reaches exactly once and rewrites
/// call (`BPF_PSEUDO_CALL`) and function-address (`BPF_PSEUDO_FUNC`) immediates to be relative
/// to the new layout: `imm = target position − instruction position − 1`.
///
/// The walk is depth-first, in instruction order, like libbpf's: when a call reaches a
/// function not placed yet, that function is appended and its own calls are resolved before
/// the caller's next instruction. The same layout as libbpf means the same translated program
/// in the kernel. Pure: the result depends only on the object.
public enum Linker {
    /// Links `program`, whose subprograms are found among `functions` (every function of the
    /// object, e.g. ``BPFObjectFile/functions``). With `btfExt`, the func_info and line_info
    /// records of every placed function are moved to their new instruction positions.
    public static func link(_ program: ProgramSpec, functions: [FunctionSpec],
                            btfExt: BTFExt? = nil) throws(LinkError) -> LinkedProgram {
        var state = State(program: program, functions: functions)
        try state.place(program.function)
        var linked = LinkedProgram(program: program, instructions: state.instructions, relocations: state.relocations,
                                   placements: state.placements)
        if let btfExt {
            linked.sourceStrings = btfExt.strings
            for placement in state.placements {
                let range = placement.startInSection..<(placement.startInSection + placement.count)
                // Record positions move by the same amount as the function's instructions.
                let shift = placement.start - placement.startInSection
                for record in btfExt.funcInfo(forSection: placement.sectionName)
                    where range.contains(record.instructionIndex) {
                    linked.funcInfo.append(BPFFuncInfo(instructionIndex: UInt32(clamping: record.instructionIndex + shift),
                                                       typeID: record.typeID))
                }
                let lines = btfExt.lineInfo(forSection: placement.sectionName)
                linked.lineInfo.reserveCapacity(linked.lineInfo.count + lines.count)
                for record in lines where range.contains(record.instructionIndex) {
                    linked.lineInfo.append(BPFLineInfo(instructionIndex: UInt32(clamping: record.instructionIndex + shift),
                                                       fileNameOffset: record.fileNameOffset,
                                                       lineOffset: record.lineOffset, lineColumn: record.lineColumn))
                }
            }
        }
        return linked
    }

    /// The instruction stream being built.
    private struct State {
        let program: ProgramSpec
        let functions: [FunctionSpec]
        var instructions: [Instruction] = []
        var relocations: [Relocation] = []
        var placements: [LinkedProgram.Placement] = []

        init(program: ProgramSpec, functions: [FunctionSpec]) {
            self.program = program
            self.functions = functions
        }

        /// Appends `function` and resolves its calls, placing callees as they are met.
        @discardableResult
        mutating func place(_ function: FunctionSpec) throws(LinkError) -> LinkedProgram.Placement {
            let base = instructions.count
            let placement = LinkedProgram.Placement(name: function.name, sectionName: function.sectionName,
                                                    startInSection: function.startInSection, start: base,
                                                    count: function.instructions.count)
            placements.append(placement)
            if instructions.isEmpty {
                // The entry function: share its array; it is copied only if a call is rewritten.
                instructions = function.instructions
            } else {
                instructions += function.instructions
            }
            relocations.reserveCapacity(relocations.count + function.relocations.count)
            for var relocation in function.relocations {
                let position = base + relocation.instruction
                let target: (section: Int, instruction: Int)
                let pseudo: UInt8
                switch relocation.kind {
                case let .subprogramCall(section, instruction):
                    target = (section, instruction)
                    pseudo = BPFPseudo.call
                case let .functionAddress(section, instruction):
                    target = (section, instruction)
                    pseudo = BPFPseudo.function
                default:
                    relocation.instruction = position
                    relocations.append(relocation)
                    continue
                }
                guard let callee = functions.first(where: {
                    $0.sectionIndex == target.section && $0.rangeInSection.contains(target.instruction)
                }) else {
                    throw LinkError(program: program.name, instruction: relocation.instruction, function: function.name,
                                    reason: "target instruction \(target.instruction) of section \(target.section) "
                                        + "is in no function")
                }
                let placed: LinkedProgram.Placement
                if let existing = placements.first(where: {
                    $0.startInSection == callee.startInSection && $0.sectionName == callee.sectionName
                }) {
                    placed = existing
                } else {
                    placed = try place(callee)
                }
                let newTarget = placed.start + (target.instruction - callee.startInSection)
                instructions[position].src = pseudo
                instructions[position].immediate = Int32(newTarget - position - 1)
            }
            return placement
        }
    }
}
