/// Classifies the relocations of one executable section into ``Relocation`` kinds and
/// validates them: 8-byte aligned offsets inside the section, an instruction that can carry
/// the kind (`ld_imm64` for data, `call` for calls), a symbol whose section is a map, data or
/// code section, and a map that exists.
enum RelocationCollector {
    /// Collects the relocations of `section`, whose functions are `functions[range]`.
    static func collect(_ elf: ELFFile, section: ELFSectionHeader, name sectionName: String, roles: [SectionRole],
                        functions: inout [FunctionSpec], range: Range<Int>, maps: [MapSpec]) throws(ParseError) {
        if let table = elf.relocationSection(forSection: section.index) {
            // The usual section holds one function: give it room for every entry at once.
            if range.count == 1 { functions[range.lowerBound].relocations.reserveCapacity(table.count) }
            // `fail` captures only these two (not `elf`, whose copy would retain all its arrays).
            let names = elf.sectionNameTable
            let tableNameOffset = elf.headers[table.sectionIndex].nameOffset
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
                guard let f = range.first(where: { functions[$0].rangeInSection.contains(index) }) else {
                    throw fail("instruction \(index) of \(sectionName) is in no function")
                }
                let local = index - functions[f].startInSection
                let instruction = functions[f].instruction(at: local)
                let symbol = elf.symbolTable[entry.symbolIndex]
                let kind = try classify(elf, roles: roles, instruction: instruction, symbol: symbol,
                                        symbolIndex: entry.symbolIndex, maps: maps, fail: fail)
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
                if instruction.isWideLoad, local + 1 >= functions[f].instructionCount {
                    throw fail("ld_imm64 at instruction \(index) has no second slot")
                }
                functions[f].relocations.append(
                    Relocation(instruction: local, kind: kind, symbol: name, elfType: entry.type))
            }
        }
        // BPF-to-BPF calls inside one section need no ELF relocation: the immediate is relative.
        for f in range {
            let start = functions[f].startInSection
            // A call an ELF relocation already covered is among the function's relocations
            // (a handful, searched only for the few local calls).
            let relocatedCount = functions[f].relocations.count
            // Every slot is looked at: a plain loop over the buffer (an enumerated slice
            // iterator cost several times the test itself; xdp_lb has 1,700 slots).
            let instructions = functions[f].body
            instructions.withUnsafeBufferPointer { body in
                for local in 0..<body.count where body[local].isLocalCall
                    && !functions[f].relocations[..<relocatedCount].contains(where: { $0.instruction == local }) {
                    let target = start + local + Int(body[local].immediate) + 1
                    functions[f].relocations.append(Relocation(
                        instruction: local, kind: .subprogramCall(section: section.index, instruction: target),
                        symbol: "", elfType: nil))
                }
            }
            if !functions[f].relocations.isSorted(by: \.instruction) {
                functions[f].relocations.sort { $0.instruction < $1.instruction }
            }
        }
    }

    /// The kind of a relocation against symbol `symbolIndex` (`symbol`) patching `instruction`.
    /// The symbol's name is built only for extern kinds and error messages.
    private static func classify(_ elf: ELFFile, roles: [SectionRole], instruction: Instruction,
                                 symbol: ELFSymbolTable.Entry, symbolIndex: Int, maps: [MapSpec],
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
        let role = roles[target.index]
        switch role {
        case .btfMaps, .legacyMaps:
            guard !isCall else { throw fail("call of map symbol '\(name)'") }
            let offset = symbol.isSection ? UInt64(bitPattern: Int64(instruction.immediate)) : symbol.value
            // Searched by index: iterating `maps` would copy each `MapSpec` (a dozen references).
            guard let map = maps.indices.first(where: {
                maps[$0].symbolOffset == offset && elf.nameEquals(target, maps[$0].sectionName)
            }) else {
                throw fail("symbol '\(name)' is in section \(targetName) at offset \(offset) but no map is defined there")
            }
            return .mapReference(map: maps[map].name)
        case .data, .rodata, .bss:
            guard !isCall else { throw fail("call of data symbol '\(name)'") }
            guard let index = maps.indices.first(where: {
                maps[$0].origin == .data && elf.nameEquals(target, maps[$0].sectionName)
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
