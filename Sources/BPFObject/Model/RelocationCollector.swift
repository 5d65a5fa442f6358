/// Classifies the relocations of one executable section into ``Relocation`` kinds and
/// validates them: 8-byte aligned offsets inside the section, an instruction that can carry
/// the kind (`ld_imm64` for data, `call` for calls), a symbol whose section is a map, data or
/// code section, and a map that exists.
enum RelocationCollector {
    /// The object-wide facts classification needs, gathered once per object rather than once
    /// per relocation.
    struct Context {
        /// What each section is for, indexed by section index.
        let roles: [SectionRole]
        /// The object's maps.
        let maps: [MapSpec]
        /// The index of the section each map of ``maps`` was read from (same order): a
        /// relocation's target section is matched by number, not by comparing names.
        let mapSections: [Int]
    }

    /// Collects the relocations of `section`, whose decoded instructions are `instructions`
    /// and whose functions are `functions[range]` (in address order, not overlapping).
    ///
    /// The relocations of the whole section are gathered first, with section-relative
    /// instruction indices (the ELF table's entries, then the local calls no entry covers),
    /// then sorted once and handed to their functions with function-relative indices.
    static func collect(_ elf: ELFFile, section: ELFSectionHeader, name sectionName: String,
                        instructions: [Instruction], functions: inout [FunctionSpec], range: Range<Int>,
                        context: Context) throws(ParseError) {
        guard !range.isEmpty else { return }
        var collected: [Relocation] = []
        if let table = try elf.relocationSection(forSection: section.index) {
            collected.reserveCapacity(table.count)
            try collectTable(table, of: elf, section: section, name: sectionName, instructions: instructions,
                             functions: functions, range: range, context: context, into: &collected)
        }
        // BPF-to-BPF calls inside one section need no ELF relocation: the immediate is relative.
        // A call an ELF entry already covers is among `collected` (a handful, searched only for
        // the few local calls). Every slot is looked at: a plain loop over the buffer.
        let relocatedCount = collected.count
        instructions.withUnsafeBufferPointer { body in
            // Most sections have no local call: a pre-scan four slots at a time tells, at a
            // fraction of the cost of the loop below.
            guard containsLocalCall(body) else { return }
            for index in 0..<body.count where body[index].isLocalCall
                && !collected[..<relocatedCount].contains(where: { $0.instruction == index }) {
                let target = index + Int(body[index].immediate) + 1
                collected.append(Relocation(instruction: index,
                                            kind: .subprogramCall(section: section.index, instruction: target),
                                            symbol: "", elfType: nil))
            }
        }
        if !collected.isSorted(by: \.instruction) { collected.sort { $0.instruction < $1.instruction } }
        distribute(collected, to: &functions, range: range)
    }

    /// True when some slot of `body` is a BPF-to-BPF call (``Instruction/isLocalCall``).
    ///
    /// Four slots are tested per step (``Instruction/isLocalCall(raw:)``, a mask and a compare
    /// each) and their four results combined into one branch: a quarter of the branches of a
    /// slot-by-slot loop (a vector version gathering the slots' low halves was slower).
    private static func containsLocalCall(_ body: UnsafeBufferPointer<Instruction>) -> Bool {
        var index = 0
        while index + 4 <= body.count {
            let a = Instruction.isLocalCall(raw: body[index].raw), b = Instruction.isLocalCall(raw: body[index + 1].raw)
            let c = Instruction.isLocalCall(raw: body[index + 2].raw), d = Instruction.isLocalCall(raw: body[index + 3].raw)
            if a || b || c || d { return true }
            index += 4
        }
        while index < body.count {
            if body[index].isLocalCall { return true }
            index += 1
        }
        return false
    }

    /// Hands the sorted section-relative `relocations` to the functions `functions[range]`
    /// that hold their instructions, made function-relative. The ELF entries are inside a
    /// function (checked as they were collected); a local call found in slots no function
    /// covers (padding between or after the function symbols) belongs to none and is dropped.
    private static func distribute(_ relocations: [Relocation], to functions: inout [FunctionSpec],
                                   range: Range<Int>) {
        if range.count == 1 {
            // The usual section: one function, which takes the whole array.
            let function = functions[range.lowerBound].rangeInSection
            var own = relocations
            // Sorted: all are inside when the first and the last are (no walk on the usual path).
            if let first = own.first, let last = own.last,
               !function.contains(first.instruction) || !function.contains(last.instruction) {
                own.removeAll { !function.contains($0.instruction) }
            }
            if function.lowerBound != 0 { for index in own.indices { own[index].instruction -= function.lowerBound } }
            functions[range.lowerBound].relocations = own
            return
        }
        var next = 0
        for f in range {
            let function = functions[f].rangeInSection
            // Relocations before this function belong to none (cannot happen: checked).
            while next < relocations.count, relocations[next].instruction < function.lowerBound { next += 1 }
            var end = next
            while end < relocations.count, relocations[end].instruction < function.upperBound { end += 1 }
            guard end > next else { continue }
            var own = Array(relocations[next..<end])
            for index in own.indices { own[index].instruction -= function.lowerBound }
            functions[f].relocations = own
            next = end
        }
    }

    /// Classifies every entry of the ELF relocation `table` that patches `section`,
    /// appending them to `collected` with section-relative instruction indices.
    private static func collectTable(_ table: ELFRelocationSection, of elf: ELFFile, section: ELFSectionHeader,
                                     name sectionName: String, instructions: [Instruction],
                                     functions: [FunctionSpec], range: Range<Int>, context: Context,
                                     into collected: inout [Relocation]) throws(ParseError) {
        let names = elf.sectionNameTable
        let tableNameOffset = elf.headers[table.sectionIndex].nameOffset
        // The common case, one function covering the whole section, needs no search.
        let single = range.count == 1 ? functions[range.lowerBound].rangeInSection : nil
        // Relocations often name the same symbol (a map used in many places): each symbol's
        // display name is built once and shared by its relocations.
        var symbolNames: [(symbol: Int, name: String)] = []
        for entryIndex in 0..<table.count {
            let entry = elf.relocation(entryIndex, of: table)
            // The context string is built only when something fails.
            func fail(_ message: String) -> ParseError {
                ParseError(.invalid(message),
                           context: "relocation \(names.cString(at: Int(tableNameOffset)) ?? "")[\(entryIndex)]",
                           offset: table.offset + entryIndex * table.entrySize)
            }
            guard entry.offset % UInt64(Instruction.size) == 0, entry.offset < UInt64(section.size) else {
                throw fail("offset \(entry.offset) is not an instruction of \(sectionName)")
            }
            let index = Int(entry.offset) / Instruction.size
            let function: Range<Int>
            if let single, single.contains(index) {
                function = single
            } else if let f = range.first(where: { functions[$0].rangeInSection.contains(index) }) {
                function = functions[f].rangeInSection
            } else {
                throw fail("instruction \(index) of \(sectionName) is in no function")
            }
            let instruction = instructions[index]
            let symbol = elf.symbolTable[entry.symbolIndex]
            let kind = try classify(elf, instruction: instruction, symbol: symbol, symbolIndex: entry.symbolIndex,
                                    context: context, fail: fail)
            let name: String
            switch kind {
            case let .externVariable(extern), let .externCall(extern):
                name = extern
            default:
                if let known = symbolNames.first(where: { $0.symbol == entry.symbolIndex }) {
                    name = known.name
                } else {
                    name = elf.displayName(ofSymbol: entry.symbolIndex)
                    symbolNames.append((entry.symbolIndex, name))
                }
            }
            if instruction.isWideLoad, index + 1 >= function.upperBound {
                throw fail("ld_imm64 at instruction \(index) has no second slot")
            }
            collected.append(Relocation(instruction: index, kind: kind, symbol: name, elfType: entry.type))
        }
    }

    /// The kind of a relocation against symbol `symbolIndex` (`symbol`) patching `instruction`.
    /// The symbol's name is built only for extern kinds and error messages.
    private static func classify(_ elf: ELFFile, instruction: Instruction, symbol: ELFSymbolTable.Entry,
                                 symbolIndex: Int, context: Context,
                                 fail: (String) -> ParseError) throws(ParseError) -> Relocation.Kind {
        var name: String { elf.displayName(ofSymbol: symbolIndex) }
        let isCall = instruction.isCall
        guard instruction.isWideLoad || isCall else {
            throw fail("relocation against '\(name)' patches opcode 0x\(String(instruction.code, radix: 16)), not ld_imm64 or call")
        }
        if symbol.isUndefined {
            let externName = name
            guard !externName.isEmpty else { throw fail("relocation against an unnamed undefined symbol") }
            return isCall ? .externCall(name: externName) : .externVariable(name: externName)
        }
        guard Int(symbol.sectionIndex) < elf.headers.count else {
            throw fail("symbol '\(name)' has special section index \(symbol.sectionIndex)")
        }
        let target = elf.headers[Int(symbol.sectionIndex)]
        // The target's name is built only for error messages; maps are matched by comparing bytes.
        var targetName: String { elf.name(of: target) }
        let role = context.roles[target.index]
        let maps = context.maps, mapSections = context.mapSections
        switch role {
        case .btfMaps, .legacyMaps:
            guard !isCall else { throw fail("call of map symbol '\(name)'") }
            let offset = symbol.isSection ? UInt64(bitPattern: Int64(instruction.immediate)) : symbol.value
            // Searched by index (iterating `maps` would copy each `MapSpec`, a dozen references),
            // and by section number (no name comparison).
            guard let map = maps.indices.first(where: {
                mapSections[$0] == target.index && maps[$0].symbolOffset == offset
            }) else {
                throw fail("symbol '\(name)' is in section \(targetName) at offset \(offset) but no map is defined there")
            }
            return .mapReference(map: maps[map].name)
        case .data, .rodata, .bss:
            guard !isCall else { throw fail("call of data symbol '\(name)'") }
            guard let index = maps.indices.first(where: {
                mapSections[$0] == target.index && maps[$0].origin == .data
            }) else {
                throw fail("symbol '\(name)' is in section \(targetName) but no such map")
            }
            let map = (name: maps[index].name, valueSize: maps[index].valueSize)
            // Both parts are bounded before adding: st_value is untrusted and may be huge.
            let offset = Int(instruction.immediate) + Int(min(symbol.value, UInt64(UInt32.max)))
            guard offset >= 0, offset < Int(map.valueSize) else {
                throw fail("offset \(offset) of '\(name)' is outside \(targetName) (\(map.valueSize) bytes)")
            }
            return .mapValue(map: map.name, offset: offset)
        case .programs, .subprograms:
            let targetIndex: Int
            if isCall {
                guard instruction.isLocalCall else {
                    throw fail("call relocation against function '\(name)' on a helper call (src_reg 0)")
                }
                targetIndex = Int(min(symbol.value, UInt64(UInt32.max))) / Instruction.size
                    + Int(instruction.immediate) + 1
            } else {
                let byteOffset = Int(min(symbol.value, UInt64(UInt32.max))) + Int(instruction.immediate)
                guard byteOffset % Instruction.size == 0 else {
                    throw fail("function address \(name)+\(instruction.immediate) is not on an instruction")
                }
                targetIndex = byteOffset / Instruction.size
            }
            guard targetIndex >= 0, targetIndex < target.size / Instruction.size else {
                throw fail("call target \(targetIndex) is outside section \(targetName)")
            }
            return isCall ? .subprogramCall(section: target.index, instruction: targetIndex)
                          : .functionAddress(section: target.index, instruction: targetIndex)
        default:
            throw fail("symbol '\(name)' is in section \(targetName), which is neither maps, data nor code")
        }
    }
}

extension Array {
    /// True when the elements are in ascending order of `key`.
    func isSorted(by key: (Element) -> Int) -> Bool {
        indices.dropFirst().allSatisfy { key(self[$0 - 1]) <= key(self[$0]) }
    }
}
