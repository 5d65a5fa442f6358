/// Splits the executable sections of an object into functions by their `STT_FUNC` symbols,
/// and attaches each function's relocations (see ``RelocationCollector``).
enum FunctionReader {
    /// The functions of every executable section, in section then address order.
    /// `mapSections` holds the section index each of `maps` was read from.
    static func read(_ elf: ELFFile, roles: [SectionRole], maps: [MapSpec],
                     mapSections: [Int]) throws(ParseError) -> [FunctionSpec] {
        let context = RelocationCollector.Context(roles: roles, maps: maps, mapSections: mapSections)
        var result: [FunctionSpec] = []
        // Room for every function symbol (functions are one per symbol, or one per section
        // without symbols): the array is not regrown, and its specs not copied, section by section.
        result.reserveCapacity(elf.symbolTable.functionCount + 1)
        // One buffer for the function symbols of each section in turn.
        var symbols: [ELFSymbol] = []
        for section in elf.headers where section.isExecutable && section.size > 0
            && section.type == ELFSectionType.progbits {
            // Every function of the section carries its name: built once here.
            let name = elf.name(of: section)
            let instructions = try decode(elf, section, name: name)
            // The section's functions are appended to `result` directly (no array per section).
            let first = result.count
            try split(elf, section, name: name, instructions, symbols: &symbols, into: &result)
            try RelocationCollector.collect(elf, section: section, name: name, instructions: instructions,
                                            functions: &result, range: first..<result.count, context: context)
        }
        return result
    }

    /// Decodes a whole executable section.
    static func decode(_ elf: ELFFile, _ section: ELFSectionHeader, name: String) throws(ParseError) -> [Instruction] {
        guard section.size % Instruction.size == 0 else {
            throw ParseError(.invalid("size \(section.size) is not a multiple of \(Instruction.size)"),
                             context: "section \(name)", offset: section.offset)
        }
        // The whole section is in bounds (checked by the ELF reader): decode it in one pass.
        let data = elf.data(of: section)
        let count = data.count / Instruction.size
        let little = elf.order == .little
        // Written in place (see ``Swift/Array/init(capacity:filledBy:)``): appending would
        // pay a capacity and uniqueness check per instruction.
        return data.withUnsafeBytes { raw in
            [Instruction](capacity: count, filledBy: SlotDecoder(raw: raw, little: little))
        }
    }

    /// Decodes every slot of a checked section into an array's storage.
    private struct SlotDecoder: ArrayFiller {
        /// The section's bytes (`buffer.count` slots).
        let raw: UnsafeRawBufferPointer
        let little: Bool

        func fill(_ buffer: UnsafeMutableBufferPointer<Instruction>) -> Int {
            // An ``Instruction`` is its slot's bytes read as one little-endian word, so a
            // little-endian section on a little-endian host is a plain copy of its bytes.
            if little && ByteOrder.host == .little {
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: raw[0..<(buffer.count * Instruction.size)]))
            } else {
                for index in 0..<buffer.count {
                    (buffer.baseAddress! + index).initialize(to: FunctionReader.decodeSlot(raw, index, little: little))
                }
            }
            return buffer.count
        }
    }

    /// Decodes slot `index` of the checked range `raw`: its 8 bytes loaded as a little-endian
    /// word are an ``Instruction`` of a little-endian object; a big-endian object's slot has
    /// its register nibbles swapped and `off`/`imm` byte-swapped.
    @inline(__always)
    fileprivate static func decodeSlot(_ raw: UnsafeRawBufferPointer, _ index: Int, little: Bool) -> Instruction {
        let slot = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index * Instruction.size, as: UInt64.self))
        return little ? Instruction(littleEndianSlot: slot) : Instruction(bigEndianSlot: slot)
    }

    /// Cuts a section's instructions at its function symbols, appending the functions to `functions`.
    /// `symbols` is scratch space, reused from section to section.
    private static func split(_ elf: ELFFile, _ section: ELFSectionHeader, name sectionName: String,
                              _ instructions: [Instruction], symbols: inout [ELFSymbol],
                              into functions: inout [FunctionSpec]) throws(ParseError) {
        // Only the function symbols of this section get their names resolved.
        symbols.removeAll(keepingCapacity: true)
        elf.symbolTable.forEachIndex(inSection: section.index, where: \.isFunction) { symbols.append(elf.symbol(at: $0)) }
        // Usually in address order already: checked first, sorted only when needed. (The field
        // is read in place: `isSorted(by:)` would copy each symbol, name and all.)
        if !symbols.indices.dropFirst().allSatisfy({ symbols[$0 - 1].value <= symbols[$0].value }) {
            symbols.sort { $0.value < $1.value }
        }
        var context: String { "section \(sectionName)" }
        guard !symbols.isEmpty else {
            // Hand-written objects may have no function symbols: the section is one function.
            functions.append(FunctionSpec(name: sectionName, sectionName: sectionName, sectionIndex: section.index,
                                          startInSection: 0, body: instructions[...], isGlobal: true, relocations: []))
            return
        }
        let first = functions.count
        for (position, symbol) in symbols.enumerated() {
            guard symbol.value % UInt64(Instruction.size) == 0, symbol.value < UInt64(section.size) else {
                throw ParseError(.invalid("function '\(symbol.name)' starts at \(symbol.value), not an instruction "
                                          + "inside the section"), context: context, offset: section.offset)
            }
            let start = Int(symbol.value) / Instruction.size
            let nextStart = position + 1 < symbols.count
                ? Int(min(symbols[position + 1].value, UInt64(section.size))) / Instruction.size
                                                          : instructions.count
            var end = symbol.size == 0 ? nextStart
                                       : start + Int(min(symbol.size / UInt64(Instruction.size), UInt64(instructions.count + 1)))
            guard end <= instructions.count, end > start else {
                throw ParseError(.invalid("function '\(symbol.name)' (offset \(symbol.value), size \(symbol.size)) "
                                          + "crosses the end of the section"),
                                 context: context, offset: section.offset + Int(symbol.value))
            }
            end = min(end, instructions.count)
            if functions.count > first, let last = functions.last, last.rangeInSection.upperBound > start {
                throw ParseError(.invalid("functions '\(last.name)' and '\(symbol.name)' overlap"),
                                 context: context, offset: section.offset + Int(symbol.value))
            }
            // Every function of the section shares the section's array (a slice, no copy).
            functions.append(FunctionSpec(name: symbol.name, sectionName: sectionName, sectionIndex: section.index,
                                          startInSection: start, body: instructions[start..<end],
                                          isGlobal: symbol.binding != .local, relocations: []))
        }
    }
}
