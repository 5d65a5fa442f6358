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
            // Usually one func_info per function; line_info grows by doubling from the entry
            // function's group (reserving per placement would reallocate every time).
            linked.funcInfo.reserveCapacity(state.placements.count)
            var groups = GroupCache()
            for placement in state.placements {
                appendRecords(of: placement, from: btfExt, groups: &groups, to: &linked)
            }
        }
        return linked
    }

    /// Appends the func_info and line_info records of the function `placement` placed, moved to
    /// its position in the linked program. The records are read from the checked `.BTF.ext`
    /// bytes (``BTFExtRecordTable``) without decoding the section's other records into arrays.
    private static func appendRecords(of placement: LinkedProgram.Placement, from btfExt: BTFExt,
                                      groups: inout GroupCache, to linked: inout LinkedProgram) {
        // Record offsets are in bytes from the section start; the function covers `range`
        // (instruction indices), and its records move by the same amount as its instructions.
        let range = placement.startInSection..<(placement.startInSection + placement.count)
        let shift = placement.start - placement.startInSection
        let funcs = btfExt.funcInfoTable
        let lines = btfExt.lineInfoTable
        if groups.sectionName != placement.sectionName {
            groups = GroupCache(sectionName: placement.sectionName,
                                funcs: funcs.group(named: placement.sectionName, btfExt.strings),
                                lines: lines.group(named: placement.sectionName, btfExt.strings))
            if linked.lineInfo.isEmpty, let group = groups.lines { linked.lineInfo.reserveCapacity(group.count) }
        }
        if let group = groups.funcs {
            funcs.withBytes { raw in
                for index in 0..<group.count {
                    let at = group.start + index * Int(funcs.recordSize)
                    let instruction = Int(raw.load(UInt32.self, at: at, order: funcs.order)) / Instruction.size
                    guard range.contains(instruction) else { continue }
                    linked.funcInfo.append(BPFFuncInfo(instructionIndex: UInt32(clamping: instruction + shift),
                                                       typeID: raw.load(UInt32.self, at: at + 4, order: funcs.order)))
                }
            }
        }
        if let group = groups.lines {
            lines.withBytes { raw in
                for index in 0..<group.count {
                    let at = group.start + index * Int(lines.recordSize)
                    let instruction = Int(raw.load(UInt32.self, at: at, order: lines.order)) / Instruction.size
                    guard range.contains(instruction) else { continue }
                    linked.lineInfo.append(BPFLineInfo(instructionIndex: UInt32(clamping: instruction + shift),
                                                       fileNameOffset: raw.load(UInt32.self, at: at + 4, order: lines.order),
                                                       lineOffset: raw.load(UInt32.self, at: at + 8, order: lines.order),
                                                       lineColumn: raw.load(UInt32.self, at: at + 12, order: lines.order)))
                }
            }
        }
    }

    /// The `.BTF.ext` groups of the section the previous placement came from: consecutive
    /// placements are often from the same section (`.text`), so each lookup is done once.
    private struct GroupCache {
        var sectionName: String?
        var funcs: BTFExtRecordTable.Group?
        var lines: BTFExtRecordTable.Group?
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
            // Without calls or function addresses, every relocation is a data one that only moves
            // by `base`: take them in bulk (the entry function's array is shared, not copied).
            if !function.relocations.contains(where: { $0.kind.isCode }) {
                if relocations.isEmpty && base == 0 {
                    relocations = function.relocations
                } else {
                    let first = relocations.count
                    relocations += function.relocations
                    for index in first..<relocations.count { relocations[index].instruction += base }
                }
                return placement
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
