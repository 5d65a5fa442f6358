/// Links entry programs: appends each subprogram a program reaches exactly once (recursively,
/// in the order calls are met) and rewrites call (`BPF_PSEUDO_CALL`) and function-address
/// (`BPF_PSEUDO_FUNC`) immediates to be relative to the new layout:
/// `imm = target position − instruction position − 1`.
///
/// Pure: the result depends only on the object.
public enum Linker {
    /// Links `program`, whose subprograms are found among `functions` (every function of the
    /// object, e.g. ``BPFObjectFile/functions``). With `btfExt`, the func_info and line_info
    /// records of every placed function are moved to their new instruction positions.
    public static func link(_ program: ProgramSpec, functions: [FunctionSpec],
                            btfExt: BTFExt? = nil) throws(LinkError) -> LinkedProgram {
        var instructions = program.function.instructions
        var placements = [LinkedProgram.Placement(name: program.name, sectionName: program.sectionName,
                                                   startInSection: program.function.startInSection,
                                                   start: 0, count: instructions.count)]
        var bodies = [program.function]
        var relocations: [Relocation] = []
        var next = 0
        while next < bodies.count {
            let function = bodies[next]
            let base = placements[next].start
            next += 1
            for relocation in function.relocations {
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
                    var moved = relocation
                    moved.instruction = position
                    relocations.append(moved)
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
                    $0.sectionName == callee.sectionName && $0.startInSection == callee.startInSection
                }) {
                    placed = existing
                } else {
                    placed = .init(name: callee.name, sectionName: callee.sectionName,
                                   startInSection: callee.startInSection, start: instructions.count,
                                   count: callee.instructions.count)
                    placements.append(placed)
                    bodies.append(callee)
                    instructions += callee.instructions
                }
                let newTarget = placed.start + (target.instruction - callee.startInSection)
                instructions[position].src = pseudo
                instructions[position].immediate = Int32(newTarget - position - 1)
            }
        }
        var linked = LinkedProgram(program: program, instructions: instructions, relocations: relocations,
                                   placements: placements)
        if let btfExt {
            for placement in placements {
                let range = placement.startInSection..<(placement.startInSection + placement.count)
                linked.funcInfo += btfExt.kernelFuncInfo(section: placement.sectionName, instructions: range,
                                                         placedAt: placement.start)
                linked.lineInfo += btfExt.kernelLineInfo(section: placement.sectionName, instructions: range,
                                                         placedAt: placement.start)
                for record in btfExt.lineInfo(forSection: placement.sectionName)
                    where range.contains(record.instructionIndex) {
                    linked.sourceLines.append(.init(
                        instruction: record.instructionIndex - placement.startInSection + placement.start,
                        file: record.fileName, line: Int(record.line), column: Int(record.column),
                        text: record.sourceLine))
                }
            }
        }
        return linked
    }
}
