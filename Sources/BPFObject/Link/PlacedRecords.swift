/// The `.BTF.ext` func_info and line_info records of a linked program: the records of every
/// placed function, in placement order, moved to the function's position in the linked program
/// and converted to the kernel's form (``BPFFuncInfo``, ``BPFLineInfo``: instruction indices).
///
/// Record offsets in `.BTF.ext` are byte offsets from the start of the function's ELF section,
/// and a record moves by as many instructions as its function did. libbpf does the same when it
/// appends subprograms at load time.
///
/// The work is done in two passes over the placements so that each result array is allocated
/// once at its final size and written without per-record capacity checks:
/// 1. for each placement, find its section's group of records and the run of records in the
///    function (a ``Run``), and count them;
/// 2. convert each run's records into the arrays.
enum PlacedRecords {
    /// The records of `placements` in `btfExt`.
    static func records(of placements: [LinkedProgram.Placement],
                        from btfExt: BTFExt) -> (funcInfo: [BPFFuncInfo], lineInfo: [BPFLineInfo]) {
        let funcs = btfExt.funcInfoTable, lines = btfExt.lineInfoTable, strings = btfExt.strings
        return withUnsafeTemporaryAllocation(of: Run.self, capacity: 2 * placements.count) { runs in
            // Pass 1. Runs 2i and 2i+1 are placement i's func_info and line_info runs.
            var funcGroup = SectionGroup(), lineGroup = SectionGroup()
            var funcTotal = 0, lineTotal = 0
            var section = Int.min
            for index in placements.indices {
                // Read field by field: copying a placement would retain its two strings.
                if placements[index].sectionIndex != section {
                    section = placements[index].sectionIndex
                    funcGroup = SectionGroup(funcs.group(named: placements[index].sectionName, strings))
                    // clang names a section by the same string offset in both subsections.
                    lineGroup = SectionGroup(funcGroup.group.flatMap { lines.group(nameOffset: $0.nameOffset) }
                        ?? lines.group(named: placements[index].sectionName, strings))
                }
                let start = placements[index].startInSection
                let range = start..<(start + placements[index].count)
                let shift = placements[index].start - start
                (runs.baseAddress! + 2 * index).initialize(to: funcGroup.run(for: range, shift: shift, in: funcs))
                (runs.baseAddress! + 2 * index + 1).initialize(to: lineGroup.run(for: range, shift: shift, in: lines))
                funcTotal += runs[2 * index].count
                lineTotal += runs[2 * index + 1].count
            }
            // Pass 2 (runs are plain values: nothing to deinitialize afterwards).
            let funcInfo: [BPFFuncInfo] = fill(funcs, runs, every: 0, total: funcTotal)
                ?? fill(funcs, rescan(runs, every: 0, in: funcs), every: 0, total: nil)!
            let lineInfo: [BPFLineInfo] = fill(lines, runs, every: 1, total: lineTotal)
                ?? fill(lines, rescan(runs, every: 1, in: lines), every: 1, total: nil)!
            return (funcInfo, lineInfo)
        }
    }

    /// Which records of a table belong to one placed function.
    struct Run {
        /// How the records were found.
        enum Kind {
            /// Every record of the group, all expected in the function (its first and last
            /// are): each is checked while it is converted.
            case checked
            /// Exactly the records of the function, found by binary search in a sorted group.
            case exact
            /// The records of the group that fall in `range`, found by scanning (small or
            /// unsorted groups); `count` was counted in pass 1.
            case scan
        }
        var kind: Kind
        /// Byte offset of the first record in the table's bytes.
        var start: Int
        /// Records from `start` (for `.scan`: the records to scan; see ``count``).
        var length: Int
        /// How many records the run yields.
        var count: Int
        /// The function's instructions in its section.
        var range: Range<Int>
        /// How far the function moved: linked position − position in section.
        var shift: Int

        /// No records.
        static let empty = Run(kind: .exact, start: 0, length: 0, count: 0, range: 0..<0, shift: 0)
    }

    /// One section's group in one table and, once a search needed it, whether its records are
    /// in instruction order (clang writes them so).
    struct SectionGroup {
        var group: BTFExtRecordTable.Group?
        var sorted: Bool?

        init(_ group: BTFExtRecordTable.Group? = nil) { self.group = group }

        /// The run of this group's records that belong to the function at `range`.
        mutating func run(for range: Range<Int>, shift: Int, in table: BTFExtRecordTable) -> Run {
            guard let group, group.count > 0 else { return .empty }
            let size = Int(table.recordSize)
            // One body per byte order: the order test stays out of the searches.
            return table.withBytes { raw in
                table.order == .little ? run(for: range, shift: shift, group, raw, size: size, little: true)
                                       : run(for: range, shift: shift, group, raw, size: size, little: false)
            }
        }

        @inline(__always)
        private mutating func run(for range: Range<Int>, shift: Int, _ group: BTFExtRecordTable.Group,
                                  _ raw: UnsafeRawBufferPointer, size: Int, little: Bool) -> Run {
            let last = group.start + (group.count - 1) * size
            // The usual case: the function is its whole section, or the group's only function.
            if range.contains(instruction(raw, group.start, little)), range.contains(instruction(raw, last, little)) {
                return Run(kind: .checked, start: group.start, length: group.count, count: group.count,
                           range: range, shift: shift)
            }
            // A section of several functions: a sorted group holds each function's records in
            // one run, found by binary search instead of a scan per function.
            if group.count > 8 {
                if sorted == nil { sorted = isSorted(raw, group, size: size, little: little) }
                if sorted == true {
                    let from = firstIndex(raw, group, size: size, little: little, atLeast: range.lowerBound)
                    let to = firstIndex(raw, group, size: size, little: little, atLeast: range.upperBound, from: from)
                    return Run(kind: .exact, start: group.start + from * size, length: to - from, count: to - from,
                               range: range, shift: shift)
                }
            }
            return scan(raw, group.start, length: group.count, size: size, little: little, range: range, shift: shift)
        }
    }

    // MARK: - Reading the checked bytes

    /// The instruction index a record at byte `at` names (its first word is a byte offset).
    @inline(__always)
    static func instruction(_ raw: UnsafeRawBufferPointer, _ at: Int, _ little: Bool) -> Int {
        Int(word(raw.baseAddress! + at, 0, little)) &>> 3
    }

    /// The 32-bit word at `offset` from `record`, in the table's byte order.
    @inline(__always)
    static func word(_ record: UnsafeRawPointer, _ offset: Int, _ little: Bool) -> UInt32 {
        let value = (record + offset).loadUnaligned(as: UInt32.self)
        return little ? UInt32(littleEndian: value) : UInt32(bigEndian: value)
    }

    /// True when the records of `group` are in ascending instruction order.
    @inline(__always)
    static func isSorted(_ raw: UnsafeRawBufferPointer, _ group: BTFExtRecordTable.Group, size: Int,
                         little: Bool) -> Bool {
        var previous = 0, at = group.start
        for _ in 0..<group.count {
            let current = instruction(raw, at, little)
            guard current >= previous else { return false }
            previous = current
            at &+= size
        }
        return true
    }

    /// The index of the first record of the sorted `group`, from `from` on, whose instruction
    /// is at least `target`.
    @inline(__always)
    static func firstIndex(_ raw: UnsafeRawBufferPointer, _ group: BTFExtRecordTable.Group, size: Int, little: Bool,
                           atLeast target: Int, from: Int = 0) -> Int {
        // Indices are small and non-negative: wrapping arithmetic, a shift for the halving.
        var low = from, high = group.count
        while low < high {
            let middle = (low &+ high) &>> 1
            if instruction(raw, group.start &+ middle &* size, little) < target { low = middle &+ 1 } else { high = middle }
        }
        return low
    }

    /// A `.scan` run over `length` records from `start`, counting those in `range`.
    @inline(__always)
    static func scan(_ raw: UnsafeRawBufferPointer, _ start: Int, length: Int, size: Int, little: Bool,
                     range: Range<Int>, shift: Int) -> Run {
        var count = 0, at = start
        for _ in 0..<length {
            if range.contains(instruction(raw, at, little)) { count += 1 }
            at += size
        }
        return Run(kind: .scan, start: start, length: length, count: count, range: range, shift: shift)
    }

    /// The runs at `every`, `every + 2`, … with `.checked` ones turned into `.scan` ones: the
    /// fallback when a `.checked` run met a record outside its function.
    static func rescan(_ runs: UnsafeMutableBufferPointer<Run>, every phase: Int,
                       in table: BTFExtRecordTable) -> UnsafeMutableBufferPointer<Run> {
        let size = Int(table.recordSize), little = table.order == .little
        table.withBytes { raw in
            for index in stride(from: phase, to: runs.count, by: 2) where runs[index].kind == .checked {
                let run = runs[index]
                runs[index] = scan(raw, run.start, length: run.length, size: size, little: little, range: run.range,
                                   shift: run.shift)
            }
        }
        return runs
    }

    /// The records of the runs at `every`, `every + 2`, … converted, in run order; nil when a
    /// `.checked` run holds a record outside its function. `total` is the number of records
    /// (nil: add up the runs' counts).
    static func fill<Record: PlacedRecord>(_ table: BTFExtRecordTable, _ runs: UnsafeMutableBufferPointer<Run>,
                                           every phase: Int, total: Int?) -> [Record]? {
        let total = total ?? stride(from: phase, to: runs.count, by: 2).reduce(0) { $0 + runs[$1].count }
        guard total > 0 else { return [] }
        let records = table.withBytes { raw in
            [Record](capacity: total, filledBy: RunConverter(runs: runs, phase: phase, raw: raw.baseAddress!,
                                                             size: Int(table.recordSize),
                                                             little: table.order == .little))
        }
        // Fewer than counted: a `.checked` run stopped at a record outside its function.
        return records.count == total ? records : nil
    }

    /// Converts the records of every other run (from `phase`) into an array's storage.
    struct RunConverter<Record: PlacedRecord>: ArrayFiller {
        let runs: UnsafeMutableBufferPointer<Run>
        let phase: Int
        /// The table's bytes.
        let raw: UnsafeRawPointer
        let size: Int
        let little: Bool

        func fill(_ buffer: UnsafeMutableBufferPointer<Record>) -> Int {
            // One loop per byte order: the order test stays out of the loop.
            little ? fill(buffer, little: true) : fill(buffer, little: false)
        }

        /// Every run lies inside the table (its groups were checked when `.BTF.ext` was read),
        /// and the runs' counts add up to `buffer.count`: plain pointers, no bounds checks.
        @inline(__always)
        private func fill(_ buffer: UnsafeMutableBufferPointer<Record>, little: Bool) -> Int {
            var target = buffer.baseAddress!
            for index in stride(from: phase, to: runs.count, by: 2) {
                guard convert(runs[index], little: little, into: &target) else { break }
            }
            return target - buffer.baseAddress!
        }

        /// Converts the records of `run` that fall in its function, writing them at `target`
        /// and advancing it; false as soon as a `.checked` run meets a record outside its
        /// function.
        @inline(__always)
        private func convert(_ run: Run, little: Bool, into target: inout UnsafeMutablePointer<Record>) -> Bool {
            var record = raw + run.start
            let end = record + run.length * size
            // `low <= at < low + width` as one unsigned comparison.
            let low = run.range.lowerBound, width = UInt(bitPattern: run.range.count), shift = run.shift
            let strict = run.kind == .checked
            while record < end {
                let at = Int(PlacedRecords.word(record, 0, little)) &>> 3
                if UInt(bitPattern: at &- low) < width {
                    target.initialize(to: Record(record, instruction: at &+ shift, little: little))
                    target += 1
                } else if strict {
                    return false
                }
                record += size
            }
            return true
        }
    }
}

/// A kernel-form `.BTF.ext` record (``BPFFuncInfo``, ``BPFLineInfo``) read from the file's bytes.
protocol PlacedRecord {
    /// The record at `record` (file form), placed at linked instruction `instruction` (a
    /// position in a linked program, which the kernel limits far below `UInt32.max`).
    init(_ record: UnsafeRawPointer, instruction: Int, little: Bool)
}

extension BPFFuncInfo: PlacedRecord {
    @inline(__always)
    init(_ record: UnsafeRawPointer, instruction: Int, little: Bool) {
        self.init(instructionIndex: UInt32(truncatingIfNeeded: instruction), typeID: PlacedRecords.word(record, 4, little))
    }
}

extension BPFLineInfo: PlacedRecord {
    @inline(__always)
    init(_ record: UnsafeRawPointer, instruction: Int, little: Bool) {
        self.init(instructionIndex: UInt32(truncatingIfNeeded: instruction), fileNameOffset: PlacedRecords.word(record, 4, little),
                  lineOffset: PlacedRecords.word(record, 8, little), lineColumn: PlacedRecords.word(record, 12, little))
    }
}
