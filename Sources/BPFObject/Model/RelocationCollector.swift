/// Classifies the relocations of one executable section into ``Relocation`` kinds and
/// validates them: 8-byte aligned offsets inside the section, an instruction that can carry
/// the kind (`ld_imm64` for data, `call` for calls), a symbol whose section is a map, data or
/// code section, and a map that exists.
enum RelocationCollector {
    static func collect(_ elf: ELFFile, section: ELFSection, roles: [SectionRole], functions: inout [FunctionSpec],
                        maps: [MapSpec]) throws(ParseError) {
        // The instructions of the section an ELF relocation already covers (a handful).
        var relocated: [Int] = []
        if let table = elf.relocations(forSection: section.index) {
            let tableSection = table.section
            for (entryIndex, entry) in table.entries.enumerated() {
                // The context string is built only when something fails.
                func fail(_ message: String) -> ParseError {
                    let entryOffset = tableSection.offset + entryIndex * (tableSection.type == ELFSectionType.rela
                                                                          ? ELF.relaSize : ELF.relSize)
                    return ParseError(.invalid(message), context: "relocation \(tableSection.name)[\(entryIndex)]",
                                      offset: entryOffset)
                }
                guard entry.offset % UInt64(Instruction.size) == 0, entry.offset < UInt64(section.size) else {
                    throw fail("offset \(entry.offset) is not an instruction of \(section.name)")
                }
                let index = Int(entry.offset) / Instruction.size
                guard let f = functions.firstIndex(where: { $0.rangeInSection.contains(index) }) else {
                    throw fail("instruction \(index) of \(section.name) is in no function")
                }
                let local = index - functions[f].startInSection
                let instruction = functions[f].instructions[local]
                let symbol = elf.symbolTable.entries[entry.symbolIndex]
                let name = elf.displayName(ofSymbol: entry.symbolIndex)
                let kind = try classify(elf, roles: roles, instruction: instruction, symbol: symbol, name: name,
                                        maps: maps, fail: fail)
                if instruction.isWideLoad, local + 1 >= functions[f].instructions.count {
                    throw fail("ld_imm64 at instruction \(index) has no second slot")
                }
                functions[f].relocations.append(
                    Relocation(instruction: local, kind: kind, symbol: name, elfType: entry.type))
                relocated.append(index)
            }
        }
        // BPF-to-BPF calls inside one section need no ELF relocation: the immediate is relative.
        for f in functions.indices {
            let start = functions[f].startInSection
            for (local, instruction) in functions[f].instructions.enumerated()
                where instruction.isLocalCall && !relocated.contains(start + local) {
                let target = start + local + Int(instruction.immediate) + 1
                functions[f].relocations.append(Relocation(
                    instruction: local, kind: .subprogramCall(section: section.index, instruction: target),
                    symbol: "", elfType: nil))
            }
            if !functions[f].relocations.isSorted(by: \.instruction) {
                functions[f].relocations.sort { $0.instruction < $1.instruction }
            }
        }
    }

    private static func classify(_ elf: ELFFile, roles: [SectionRole], instruction: Instruction,
                                 symbol: ELFSymbolTable.Entry,
                                 name: String,
                                 maps: [MapSpec], fail: (String) -> ParseError) throws(ParseError) -> Relocation.Kind {
        let isCall = instruction.isCall
        guard instruction.isWideLoad || isCall else {
            throw fail("relocation against '\(name)' patches opcode 0x\(String(instruction.code, radix: 16)), not ld_imm64 or call")
        }
        if symbol.isUndefined {
            guard !name.isEmpty else { throw fail("relocation against an unnamed undefined symbol") }
            return isCall ? .externCall(name: name) : .externVariable(name: name)
        }
        guard Int(symbol.sectionIndex) < elf.sections.count else {
            throw fail("symbol '\(name)' has special section index \(symbol.sectionIndex)")
        }
        let target = elf.sections[Int(symbol.sectionIndex)]
        let role = roles[target.index]
        switch role {
        case .btfMaps, .legacyMaps:
            guard !isCall else { throw fail("call of map symbol '\(name)'") }
            let offset = symbol.isSection ? UInt64(bitPattern: Int64(instruction.immediate)) : symbol.value
            guard let map = maps.first(where: { $0.symbolOffset == offset && $0.sectionName == target.name }) else {
                throw fail("symbol '\(name)' is in section \(target.name) at offset \(offset) but no map is defined there")
            }
            return .mapReference(map: map.name)
        case .data, .rodata, .bss:
            guard !isCall else { throw fail("call of data symbol '\(name)'") }
            guard let map = maps.first(where: { $0.origin == .data && $0.sectionName == target.name }) else {
                throw fail("symbol '\(name)' is in section \(target.name) but no such map")
            }
            // Both parts are bounded before adding: st_value is untrusted and may be huge.
            let offset = Int(instruction.immediate) + Int(min(symbol.value, UInt64(UInt32.max)))
            guard offset >= 0, offset < Int(map.valueSize) else {
                throw fail("offset \(offset) of '\(name)' is outside \(target.name) (\(map.valueSize) bytes)")
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
                throw fail("call target \(targetIndex) is outside section \(target.name)")
            }
            return isCall ? .subprogramCall(section: target.index, instruction: targetIndex)
                          : .functionAddress(section: target.index, instruction: targetIndex)
        default:
            throw fail("symbol '\(name)' is in section \(target.name), which is neither maps, data nor code")
        }
    }
}

extension Array {
    /// True when the elements are in ascending order of `key`.
    func isSorted(by key: (Element) -> Int) -> Bool {
        indices.dropFirst().allSatisfy { key(self[$0 - 1]) <= key(self[$0]) }
    }
}
