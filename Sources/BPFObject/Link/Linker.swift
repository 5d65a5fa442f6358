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
        // Pass 1 decides the layout (which functions, where) and the call immediates without
        // copying an instruction; pass 2 copies each placed function's slice once into an
        // array reserved at its final size, then patches the calls in place.
        var layout = Layout(program: program, functions: functions)
        try layout.place(index: layout.entryIndex, program: program, functions: functions)
        let records = btfExt.map { PlacedRecords.records(of: layout.placements, from: $0) }
        // Built here, once, with every field: assigning fields of a finished value, or
        // returning one built by a helper, copied it whole.
        return LinkedProgram(program: program, instructions: layout.instructions(program: program, functions: functions),
                             relocations: layout.relocations, placements: layout.placements,
                             funcInfo: records?.funcInfo ?? [], lineInfo: records?.lineInfo ?? [],
                             sourceStrings: btfExt?.strings ?? BTFStringTable())
    }

    /// The layout of the program being linked (pass 1) and the linked program built from it
    /// (pass 2). The program and the object's functions are passed to each step rather than
    /// stored: storing them would retain (and later release) every string and array they hold.
    private struct Layout {
        /// The index of the entry function in `functions` (-1 when it is not among them).
        let entryIndex: Int
        /// Where each placed function goes, in placement order (the entry first).
        var placements: [LinkedProgram.Placement] = []
        /// The index in `functions` of each placement after the entry.
        var placedIndices: [Int] = []
        /// Instruction slots of the linked program.
        var total = 0
        /// The relocations the linked program keeps (the data kinds of every placed function),
        /// moved to their linked positions, in the order the walk meets them.
        var relocations: [Relocation] = []
        /// The call and function-address immediates to write: (position, pseudo source, imm).
        var patches: [(position: Int, pseudo: UInt8, immediate: Int32)] = []

        init(program: ProgramSpec, functions: [FunctionSpec]) {
            let entry = program.function
            entryIndex = functions.firstIndex {
                $0.sectionIndex == entry.sectionIndex && $0.startInSection == entry.startInSection
                    && $0.sectionName == entry.sectionName
            } ?? -1
        }

        /// Where function `index` of `functions` starts in the linked program, if it is placed
        /// already (only the start is read: copying the placement would copy its strings).
        func existingStart(ofFunction index: Int) -> Int? {
            if index == entryIndex { return placements.first?.start }
            guard let position = placedIndices.firstIndex(of: index) else { return nil }
            return placements[position + 1].start
        }

        /// Places function number `index` of `functions` (the entry function, `program`'s,
        /// when nothing is placed yet) at the end of the layout and, depth-first in instruction
        /// order, every function it calls that is not placed yet. Returns where it starts. The
        /// function's fields are read one by one: copying the whole ``FunctionSpec`` out of
        /// `self` (which this method mutates) would retain all its strings and arrays.
        @discardableResult
        mutating func place(index: Int, program: ProgramSpec, functions: [FunctionSpec]) throws(LinkError) -> Int {
            let isEntry = placements.isEmpty
            let startInSection = isEntry ? program.function.startInSection : functions[index].startInSection
            let count = isEntry ? program.function.instructionCount : functions[index].instructionCount
            let base = total
            let own = isEntry ? program.function.relocations : functions[index].relocations
            let calls = own.contains(where: { $0.kind.isCode })
            if isEntry && calls {
                // A program that calls: room for every function at once (each is placed at most
                // once), instead of growing the arrays call by call.
                placements.reserveCapacity(functions.count + 1)
                placedIndices.reserveCapacity(functions.count)
            }
            if !isEntry { placedIndices.append(index) }
            placements.append(LinkedProgram.Placement(
                name: isEntry ? program.function.name : functions[index].name,
                sectionName: isEntry ? program.function.sectionName : functions[index].sectionName,
                startInSection: startInSection, start: base, count: count,
                sectionIndex: isEntry ? program.function.sectionIndex : functions[index].sectionIndex))
            total += count
            // Without calls or function addresses, every relocation is a data one that only moves
            // by `base`: take them in bulk (the entry function's array is shared, not copied).
            if !calls {
                if relocations.isEmpty && base == 0 {
                    relocations = own
                } else {
                    let first = relocations.count
                    relocations += own
                    for index in first..<relocations.count { relocations[index].instruction += base }
                }
                return base
            }
            if relocations.isEmpty { relocations.reserveCapacity(own.count) }
            for number in own.indices {
                // The kind is read in place: only data relocations are copied (into the result).
                let target: (section: Int, instruction: Int)
                let pseudo: UInt8
                switch own[number].kind {
                case let .subprogramCall(section, instruction):
                    target = (section, instruction)
                    pseudo = BPFPseudo.call
                case let .functionAddress(section, instruction):
                    target = (section, instruction)
                    pseudo = BPFPseudo.function
                default:
                    var relocation = own[number]
                    relocation.instruction += base
                    relocations.append(relocation)
                    continue
                }
                let instruction = own[number].instruction
                guard let callee = functions.firstIndex(where: {
                    $0.sectionIndex == target.section && $0.rangeInSection.contains(target.instruction)
                }) else {
                    throw LinkError(program: program.name, instruction: instruction,
                                    function: isEntry ? program.function.name : functions[index].name,
                                    reason: "target instruction \(target.instruction) of section \(target.section) "
                                        + "is in no function")
                }
                let calleeStart: Int
                if let existing = existingStart(ofFunction: callee) {
                    calleeStart = existing
                } else {
                    calleeStart = try place(index: callee, program: program, functions: functions)
                }
                let position = base + instruction
                let newTarget = calleeStart + (target.instruction - functions[callee].startInSection)
                if patches.isEmpty { patches.reserveCapacity(16) }
                patches.append((position, pseudo, Int32(truncatingIfNeeded: newTarget - position - 1)))
            }
            return base
        }

        /// The instructions of placed function number `placement` (0 is the entry).
        func body(_ placement: Int, program: ProgramSpec, functions: [FunctionSpec]) -> ArraySlice<Instruction> {
            placement == 0 ? program.function.body : functions[placedIndices[placement - 1]].body
        }

        /// Pass 2: the instructions of the linked program.
        func instructions(program: ProgramSpec, functions: [FunctionSpec]) -> [Instruction] {
            var instructions: [Instruction]
            if placements.count == 1 && patches.isEmpty {
                // Nothing to move or patch: share the entry's instructions (no copy when the
                // function is its whole section).
                instructions = Array(program.function.body)
            } else {
                instructions = []
                instructions.reserveCapacity(total)
                for number in placements.indices {
                    instructions.append(contentsOf: body(number, program: program, functions: functions))
                }
                for patch in patches {
                    instructions[patch.position].src = patch.pseudo
                    instructions[patch.position].immediate = patch.immediate
                }
            }
            return instructions
        }
    }
}
