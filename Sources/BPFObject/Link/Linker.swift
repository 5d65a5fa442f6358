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
        // Pass 1 decides the layout (which functions, where) without copying an instruction;
        // pass 2 copies each placed function's slice once into an array reserved at its final
        // size, then patches the calls in place.
        var layout = Layout()
        try layout.place(index: Layout.entry, program: program, functions: functions)
        let records = btfExt.map { PlacedRecords.records(of: layout.placements, from: $0) }
        // Built here, once, with every field: assigning fields of a finished value, or
        // returning one built by a helper, copied it whole.
        return LinkedProgram(program: program, instructions: layout.instructions(program: program, functions: functions),
                             relocations: layout.relocations, placements: layout.placements,
                             funcInfo: records?.funcInfo ?? [], lineInfo: records?.lineInfo ?? [],
                             sourceStrings: btfExt?.strings ?? BTFStringTable())
    }

    /// The layout of the program being linked (pass 1) and the linked instructions built from
    /// it (pass 2). The program and the object's functions are passed to each step rather than
    /// stored: storing them would retain (and later release) every string and array they hold.
    private struct Layout {
        /// Where each placed function goes, in placement order (the entry first).
        var placements: [LinkedProgram.Placement] = []
        /// Instruction slots of the linked program.
        var total = 0
        /// The relocations the linked program keeps (the data kinds of every placed function),
        /// moved to their linked positions, in the order the walk meets them.
        var relocations: [Relocation] = []
        /// Whether some placed function calls or takes the address of another (then pass 2
        /// copies and patches; otherwise the entry's instructions are shared as they are).
        var calls = false

        /// The function's number in `functions` for the entry function (which need not be
        /// one of them) in ``place(index:program:functions:)`` and ``LinkedProgram/Placement``.
        static let entry = -1

        /// The position in the linked program of `instruction` of section `section`, if the
        /// function that holds it is placed already. The placements' fields are read in place:
        /// copying one would copy its strings.
        func placed(section: Int, instruction: Int) -> Int? {
            for index in placements.indices where placements[index].sectionIndex == section {
                let offset = instruction - placements[index].startInSection
                if offset >= 0 && offset < placements[index].count { return placements[index].start + offset }
            }
            return nil
        }

        /// Places function number `index` of `functions` (the entry function, `program`'s,
        /// when `index` is ``entry``) at the end of the layout and, depth-first in instruction
        /// order, every function it calls that is not placed yet. The function's fields are
        /// read one by one: copying the whole ``FunctionSpec`` out of `functions` would retain
        /// all its strings and arrays.
        mutating func place(index: Int, program: ProgramSpec, functions: [FunctionSpec]) throws(LinkError) {
            let isEntry = index == Self.entry
            let count = isEntry ? program.function.instructionCount : functions[index].instructionCount
            let base = total
            let own = isEntry ? program.function.relocations : functions[index].relocations
            let calling = own.contains(where: { $0.kind.isCode })
            if isEntry && calling {
                // A program that calls: room for every function at once (each is placed at most
                // once), instead of growing the array call by call.
                placements.reserveCapacity(functions.count + 1)
            }
            calls = calls || calling
            placements.append(LinkedProgram.Placement(
                name: isEntry ? program.function.name : functions[index].name,
                sectionName: isEntry ? program.function.sectionName : functions[index].sectionName,
                startInSection: isEntry ? program.function.startInSection : functions[index].startInSection,
                start: base, count: count,
                sectionIndex: isEntry ? program.function.sectionIndex : functions[index].sectionIndex,
                functionIndex: index))
            total += count
            // Without calls or function addresses, every relocation is a data one that only moves
            // by `base`: take them in bulk (the entry function's array is shared, not copied).
            if !calling {
                if relocations.isEmpty && base == 0 {
                    relocations = own
                } else if !own.isEmpty {  // appending nothing still costs a uniqueness check
                    let first = relocations.count
                    relocations += own
                    for index in first..<relocations.count { relocations[index].instruction += base }
                }
                return
            }
            if relocations.isEmpty { relocations.reserveCapacity(own.count) }
            for number in own.indices {
                // The kind is read in place: only data relocations are copied (into the result).
                guard let target = own[number].kind.codeTarget else {
                    var relocation = own[number]
                    relocation.instruction += base
                    relocations.append(relocation)
                    continue
                }
                guard placed(section: target.section, instruction: target.instruction) == nil else { continue }
                guard let callee = functions.firstIndex(where: {
                    $0.sectionIndex == target.section && $0.rangeInSection.contains(target.instruction)
                }) else {
                    throw LinkError(program: program.name, instruction: own[number].instruction,
                                    function: isEntry ? program.function.name : functions[index].name,
                                    reason: "target instruction \(target.instruction) of section \(target.section) "
                                        + "is in no function")
                }
                try place(index: callee, program: program, functions: functions)
            }
        }

        /// Pass 2: the instructions of the linked program: each placed function's copied once
        /// into an array reserved at its final size, then the immediates of its calls and
        /// function addresses rewritten to the placed targets (every target is placed: pass 1
        /// placed or found each one).
        func instructions(program: ProgramSpec, functions: [FunctionSpec]) -> [Instruction] {
            guard calls else {
                // Nothing to move or patch: share the entry's instructions (no copy when the
                // function is its whole section).
                return Array(program.function.body)
            }
            var instructions: [Instruction] = []
            instructions.reserveCapacity(total)
            for number in placements.indices {
                let function = placements[number].functionIndex
                instructions.append(contentsOf: function == Self.entry ? program.function.body : functions[function].body)
            }
            for number in placements.indices {
                let function = placements[number].functionIndex
                let own = function == Self.entry ? program.function.relocations : functions[function].relocations
                let base = placements[number].start
                for relocation in own.indices {
                    guard let target = own[relocation].kind.codeTarget,
                          let callee = placed(section: target.section, instruction: target.instruction) else { continue }
                    let position = base + own[relocation].instruction
                    instructions[position].src = target.pseudo
                    instructions[position].immediate = Int32(truncatingIfNeeded: callee - position - 1)
                }
            }
            return instructions
        }
    }
}

extension Relocation.Kind {
    /// For a subprogram call or a function address: the section and instruction it targets,
    /// and the pseudo source (`BPF_PSEUDO_CALL`, `BPF_PSEUDO_FUNC`) the linked instruction
    /// carries. Nil for data relocations.
    var codeTarget: (section: Int, instruction: Int, pseudo: UInt8)? {
        switch self {
        case let .subprogramCall(section, instruction): (section, instruction, BPFPseudo.call)
        case let .functionAddress(section, instruction): (section, instruction, BPFPseudo.function)
        default: nil
        }
    }
}
