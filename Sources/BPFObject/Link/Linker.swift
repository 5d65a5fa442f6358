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
        var funcInfo: [BPFFuncInfo] = []
        var lineInfo: [BPFLineInfo] = []
        if let btfExt {
            appendRecords(of: layout.placements, from: btfExt, funcInfo: &funcInfo, lineInfo: &lineInfo)
        }
        // Built once with every field: assigning fields of a finished value copied it whole.
        return layout.build(program: program, functions: functions, funcInfo: funcInfo, lineInfo: lineInfo,
                            sourceStrings: btfExt?.strings ?? BTFStringTable())
    }

    /// Appends the func_info and line_info records of every placed function, in placement
    /// order (see ``appendRecords(of:from:groups:funcInfo:lineInfo:)``). The placements are
    /// read field by field: copying one would retain its two strings.
    private static func appendRecords(of placements: [LinkedProgram.Placement], from btfExt: BTFExt,
                                      funcInfo: inout [BPFFuncInfo], lineInfo: inout [BPFLineInfo]) {
        // Usually one func_info per function. line_info: for one function, sized from its
        // group; for several, room for all their records at once (no more than the object has,
        // nor than the linked program has instructions), so appending never regrows.
        funcInfo.reserveCapacity(placements.count)
        if placements.count > 1, let last = placements.last {
            lineInfo.reserveCapacity(min(btfExt.lineInfoTable.recordCount, last.start + last.count))
        }
        var groups = GroupCache()
        for index in placements.indices {
            let range = placements[index].startInSection..<(placements[index].startInSection + placements[index].count)
            let shift = placements[index].start - placements[index].startInSection
            if groups.sectionIndex != placements[index].sectionIndex {
                groups = GroupCache(section: placements[index].sectionIndex, named: placements[index].sectionName,
                                    in: btfExt)
            }
            appendRecords(of: range, shift: shift, from: btfExt, groups: &groups, funcInfo: &funcInfo,
                          lineInfo: &lineInfo)
        }
    }

    /// Appends the func_info and line_info records of the placed function that covered `range`
    /// of its section (the groups of which are in `groups`), moved `shift` instructions to its
    /// position in the linked program. Record offsets are in bytes from the section start, and
    /// the records move by the same amount as the instructions. They are read from the checked
    /// `.BTF.ext` bytes (``BTFExtRecordTable``) without decoding other records into arrays.
    private static func appendRecords(of range: Range<Int>, shift: Int, from btfExt: BTFExt,
                                      groups: inout GroupCache, funcInfo: inout [BPFFuncInfo],
                                      lineInfo: inout [BPFLineInfo]) {
        let funcs = btfExt.funcInfoTable
        let lines = btfExt.lineInfoTable
        if let group = groups.funcs {
            let size = Int(funcs.recordSize), order = funcs.order
            // A sorted group (clang's) holds the function's records in one run, found by binary
            // search: a section of many functions is not scanned once per function.
            if group.count > 8, groups.funcsSorted == nil { groups.funcsSorted = isSorted(group, of: funcs) }
            let run = groups.funcsSorted == true ? span(of: range, in: group, of: funcs) : 0..<group.count
            funcs.withBytes { raw in
                for at in stride(from: group.start + run.lowerBound * size, to: group.start + run.upperBound * size,
                                 by: size) {
                    let instruction = Int(raw.load(UInt32.self, at: at, order: order)) / Instruction.size
                    guard range.contains(instruction) else { continue }
                    funcInfo.append(BPFFuncInfo(instructionIndex: UInt32(clamping: instruction + shift),
                                                typeID: raw.load(UInt32.self, at: at + 4, order: order)))
                }
            }
        }
        if let group = groups.lines {
            let size = Int(lines.recordSize), order = lines.order
            lines.withBytes { raw in
                @inline(__always) func record(at: Int, instruction: Int) -> BPFLineInfo {
                    BPFLineInfo(instructionIndex: UInt32(clamping: instruction + shift),
                                fileNameOffset: raw.load(UInt32.self, at: at + 4, order: order),
                                lineOffset: raw.load(UInt32.self, at: at + 8, order: order),
                                lineColumn: raw.load(UInt32.self, at: at + 12, order: order))
                }
                @inline(__always) func instruction(at: Int) -> Int {
                    Int(raw.load(UInt32.self, at: at, order: order)) / Instruction.size
                }
                // The usual entry program is its whole section: every record is its own. Then
                // the records are range-checked and written in place in the same pass (appending
                // one by one pays a capacity and uniqueness check per record; xdp_lb has ~800),
                // with the byte order decided once for the group rather than at every load. The
                // first and last records are tested before allocating: when the section holds
                // other functions too, one of them is usually outside `range`.
                if lineInfo.isEmpty, group.count >= 16,
                   range.contains(instruction(at: group.start)),
                   range.contains(instruction(at: group.start + (group.count - 1) * size)) {
                    let little = order == .little
                    var all = false
                    lineInfo = [BPFLineInfo](unsafeUninitializedCapacity: group.count) { buffer, initialized in
                        all = little ? convertLines(raw, group, size: size, range, shift: shift, little: true, into: buffer)
                                     : convertLines(raw, group, size: size, range, shift: shift, little: false, into: buffer)
                        initialized = all ? group.count : 0
                    }
                    if all { return }
                }
                if group.count > 8, groups.linesSorted == nil { groups.linesSorted = isSorted(group, of: lines) }
                let run = groups.linesSorted == true ? span(of: range, in: group, of: lines) : 0..<group.count
                if lineInfo.isEmpty { lineInfo.reserveCapacity(run.count) }
                for at in stride(from: group.start + run.lowerBound * size, to: group.start + run.upperBound * size,
                                 by: size) {
                    let index = instruction(at: at)
                    if range.contains(index) { lineInfo.append(record(at: at, instruction: index)) }
                }
            }
        }
    }

    /// The 32-bit word at `at` of `raw`, little-endian when `little`, else big-endian (a
    /// constant at every call site, so the test disappears from the loops below).
    @inline(__always)
    private static func word(_ raw: UnsafeRawBufferPointer, _ at: Int, little: Bool) -> UInt32 {
        let value = raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)
        return little ? UInt32(littleEndian: value) : UInt32(bigEndian: value)
    }

    /// Writes the line_info records of `group`, moved by `shift` instructions, to `buffer`, in
    /// one pass; false (with `buffer` left partly written: the records are plain values) as soon
    /// as a record names an instruction outside `range`.
    @inline(__always)
    private static func convertLines(_ raw: UnsafeRawBufferPointer, _ group: BTFExtRecordTable.Group, size: Int,
                                     _ range: Range<Int>, shift: Int, little: Bool,
                                     into buffer: UnsafeMutableBufferPointer<BPFLineInfo>) -> Bool {
        // The group lies inside `raw` (checked when `.BTF.ext` was parsed) and `buffer` holds
        // `group.count` records: plain pointers, no per-record bounds checks.
        guard let source = raw.baseAddress, let target = buffer.baseAddress else { return group.count == 0 }
        var record = source + group.start
        for index in 0..<group.count {
            @inline(__always) func word(_ offset: Int) -> UInt32 {
                let value = (record + offset).loadUnaligned(as: UInt32.self)
                return little ? UInt32(littleEndian: value) : UInt32(bigEndian: value)
            }
            let instruction = Int(word(0)) &>> 3
            guard instruction >= range.lowerBound, instruction < range.upperBound else { return false }
            (target + index).initialize(to: BPFLineInfo(
                instructionIndex: UInt32(clamping: instruction &+ shift), fileNameOffset: word(4),
                lineOffset: word(8), lineColumn: word(12)))
            record += size
        }
        return true
    }

    /// True when the records of `group` are in ascending instruction order (clang writes them so).
    private static func isSorted(_ group: BTFExtRecordTable.Group, of table: BTFExtRecordTable) -> Bool {
        let size = Int(table.recordSize), little = table.order == .little
        return table.withBytes { raw in
            // One pass with the byte order decided once (not one `withBytes` per record).
            @inline(__always) func sorted(little: Bool) -> Bool {
                var previous: UInt32 = 0, at = group.start
                for _ in 0..<group.count {
                    let current = word(raw, at, little: little) / UInt32(Instruction.size)
                    guard current >= previous else { return false }
                    previous = current
                    at += size
                }
                return true
            }
            return little ? sorted(little: true) : sorted(little: false)
        }
    }

    /// The indices of the records of the sorted `group` whose instruction is in `range`.
    private static func span(of range: Range<Int>, in group: BTFExtRecordTable.Group,
                             of table: BTFExtRecordTable) -> Range<Int> {
        let size = Int(table.recordSize), little = table.order == .little
        return table.withBytes { raw in
            /// The instruction record `index` names (its first word is a byte offset).
            func instruction(_ index: Int) -> Int {
                Int(word(raw, group.start + index * size, little: little)) / Instruction.size
            }
            /// The first record whose instruction is at least `target`.
            func firstIndex(from low: Int, atLeast target: Int) -> Int {
                var low = low, high = group.count
                while low < high {
                    let middle = (low + high) / 2
                    if instruction(middle) < target { low = middle + 1 } else { high = middle }
                }
                return low
            }
            let start = firstIndex(from: 0, atLeast: range.lowerBound)
            return start..<firstIndex(from: start, atLeast: range.upperBound)
        }
    }

    /// The `.BTF.ext` groups of the section the previous placement came from: consecutive
    /// placements are often from the same section (`.text`), so each lookup is done once.
    /// Keyed by section index: comparing numbers, not names.
    private struct GroupCache {
        var sectionIndex = Int.min
        var funcs: BTFExtRecordTable.Group?
        var lines: BTFExtRecordTable.Group?

        init() {}

        /// The groups of section `section`, called `name`, in `btfExt`.
        init(section: Int, named name: String, in btfExt: BTFExt) {
            sectionIndex = section
            funcs = btfExt.funcInfoTable.group(named: name, btfExt.strings)
            // The line_info group of the same section usually has the same name offset.
            lines = funcs.flatMap { btfExt.lineInfoTable.group(nameOffset: $0.nameOffset) }
                ?? btfExt.lineInfoTable.group(named: name, btfExt.strings)
        }
        /// Whether each group's records are in instruction order (see ``span(of:in:of:)``), found
        /// out when first needed (nil until then; small groups are simply scanned).
        var funcsSorted: Bool?
        var linesSorted: Bool?
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

        /// Pass 2: the linked program of this layout.
        func build(program: ProgramSpec, functions: [FunctionSpec], funcInfo: [BPFFuncInfo], lineInfo: [BPFLineInfo],
                   sourceStrings: BTFStringTable) -> LinkedProgram {
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
            return LinkedProgram(program: program, instructions: instructions, relocations: relocations,
                                 placements: placements, funcInfo: funcInfo, lineInfo: lineInfo,
                                 sourceStrings: sourceStrings)
        }
    }
}
