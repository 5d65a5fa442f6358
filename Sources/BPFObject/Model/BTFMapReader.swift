/// Reads BTF-defined maps: each variable of the `.maps` DATASEC is an anonymous struct whose
/// members encode the map's attributes (libbpf's convention):
///
/// - `__uint(name, N)` is a member `int (*name)[N]`: a pointer to an array of N elements,
///   so the value is the array's element count (`type`, `max_entries`, `map_flags`,
///   `numa_node`, `key_size`, `value_size`, `pinning`, `map_extra`);
/// - `__type(key, T)` / `__type(value, T)` are pointers to T: the size and BTF id of T;
/// - `__array(values, struct inner)` is a zero-length array of pointers to an inner map
///   definition (map-in-map) or to a function prototype (prog array), whose initial slots come
///   from `.rel.maps` relocations.
///
/// The definitions are read straight from the raw BTF words (``BTF/trailingWord(of:_:)``…):
/// member names are compared as bytes, and only the map's own name becomes a `String`.
enum BTFMapReader {
    /// Appends the maps of the `.maps` section `section` to `maps`, in symbol offset order.
    static func read(_ elf: ELFFile, section: ELFSectionHeader, btf: BTF,
                     into maps: inout [MapSpec]) throws(ParseError) {
        guard let sectionID = btf.typeID(named: ".maps", kind: .dataSection) else {
            throw ParseError(.invalid("no DATASEC .maps in .BTF"), context: "section .maps", offset: section.offset)
        }
        let first = maps.count
        maps.reserveCapacity(first + btf.vlen(of: sectionID))
        let symbols = elf.symbolTable
        // The symbols of `.maps`, found in one pass over the table (not one pass per map).
        let sectionSymbols = symbols.indices(inSection: section.index) { _ in true }
        for entry in 0..<btf.vlen(of: sectionID) {
            // `struct btf_var_secinfo`: the VAR's id first (checked to exist when BTF was read).
            let variableID = btf.trailingWord(of: sectionID, 3 * entry)
            guard btf.kind(of: variableID) == .variable else { continue }
            let name = btf.strings[btf.nameOffset(of: variableID)]
            var context: String { "BTF map '\(name)'" }
            guard let symbolIndex = sectionSymbols.first(where: { symbols.hasName($0, name) }) else {
                throw ParseError(.invalid("no symbol for the .maps variable"), context: context, offset: section.offset)
            }
            let symbol = symbols[symbolIndex]
            // Appended first and filled in place: a spec built aside and then appended was
            // copied whole (its strings and arrays retained and released) on the way.
            // ".maps" is the only section name with the .btfMaps role.
            maps.append(MapSpec(name: name, origin: .btf, sectionName: ".maps", symbolOffset: symbol.value,
                                type: .unspec, keySize: 0, valueSize: 0, maxEntries: 0, flags: []))
            let valuesOffset = try readDefinition(btf, typeID: btf.sizeOrType(of: variableID), into: &maps[maps.count - 1],
                                                  context: context,
                                                  offset: section.offset + Int(min(symbol.value, UInt64(section.size))))
            if let valuesOffset {
                maps[maps.count - 1].initialSlots = try initialSlots(elf, section: section, symbol: symbol,
                                                                     valuesOffset: valuesOffset, context: context)
            }
        }
        // The offsets are read in place: `isSorted(by:)` would copy each `MapSpec` whole.
        if !maps[first...].indices.dropFirst().allSatisfy({
            Int(clamping: maps[$0 - 1].symbolOffset) <= Int(clamping: maps[$0].symbolOffset)
        }) {
            maps[first...].sort { $0.symbolOffset < $1.symbolOffset }
        }
    }

    /// Sets the value type of every data map to the DATASEC of the same name, as libbpf does.
    static func attachDataTypes(_ maps: inout [MapSpec], btf: BTF) throws(ParseError) {
        for index in maps.indices where maps[index].origin == .data {
            if let id = btf.typeID(named: maps[index].sectionName, kind: .dataSection) {
                maps[index].valueTypeID = id
            }
        }
    }

    /// The attributes a map-definition struct may have, by member name.
    private enum Attribute {
        case type, maxEntries, mapFlags, numaNode, mapExtra, pinning, keySize, valueSize, key, value, values

        /// The attribute the member name at `offset` in `strings` names, nil for an unknown name.
        /// The names are those libbpf's `__uint`, `__type` and `__array` macros produce; the
        /// name's length picks the one to three candidates to compare.
        init?(nameAt offset: UInt32, in strings: BTFStringTable) {
            guard let match = strings.withUTF8(at: offset, { name -> Attribute? in
                switch name.count {
                case 3: name.equals("key") ? .key : nil
                case 4: name.equals("type") ? .type : nil
                case 5: name.equals("value") ? .value : nil
                case 6: name.equals("values") ? .values : nil
                case 7: name.equals("pinning") ? .pinning : nil
                case 8: name.equals("key_size") ? .keySize : nil
                case 9: name.equals("map_flags") ? .mapFlags
                    : name.equals("numa_node") ? .numaNode : name.equals("map_extra") ? .mapExtra : nil
                case 10: name.equals("value_size") ? .valueSize : nil
                case 11: name.equals("max_entries") ? .maxEntries : nil
                default: nil
                }
            }) else {
                return nil
            }
            self = match
        }
    }

    /// Interprets one map-definition struct into `spec` (its type, sizes, flags and the rest;
    /// the name and place are the caller's). Returns, when it has `values`, the byte offset of
    /// that member (where `.rel.maps` relocations land).
    private static func readDefinition(_ btf: BTF, typeID: BTFTypeID, into spec: inout MapSpec,
                                       context: @autoclosure () -> String, offset: Int) throws(ParseError) -> Int? {
        func fail(_ message: String) -> ParseError { ParseError(.invalid(message), context: context(), offset: offset) }
        guard let structID = btf.resolve(typeID), btf.kind(of: structID) == .structure else {
            throw fail("the map variable's type is not a struct")
        }
        var valuesOffset: Int?
        var explicitKeySize: UInt32?
        var explicitValueSize: UInt32?
        let bitfields = btf.kindFlag(of: structID)
        for index in 0..<btf.vlen(of: structID) {
            // `struct btf_member`: name_off, type, offset (bit offset, or bitfield size << 24 | bit offset).
            let memberNameOffset = btf.trailingWord(of: structID, 3 * index)
            let memberType = btf.trailingWord(of: structID, 3 * index + 1)
            let memberOffset = btf.trailingWord(of: structID, 3 * index + 2)
            var memberName: String { btf.strings[memberNameOffset] }
            func number() throws(ParseError) -> UInt64 {
                guard let value = integerAttribute(btf, memberType) else {
                    throw fail("member '\(memberName)' is not an __uint(name, value) attribute")
                }
                return value
            }
            guard let attribute = Attribute(nameAt: memberNameOffset, in: btf.strings) else {
                throw fail("unknown map attribute '\(memberName)'")
            }
            switch attribute {
            case .type: spec.type = BPFMapType(rawValue: UInt32(truncatingIfNeeded: try number()))
            case .maxEntries: spec.maxEntries = UInt32(truncatingIfNeeded: try number())
            case .mapFlags: spec.flags = BPFMapFlags(rawValue: UInt32(truncatingIfNeeded: try number()))
            case .numaNode: spec.numaNode = UInt32(truncatingIfNeeded: try number())
            case .mapExtra: spec.mapExtra = try number()
            case .pinning: spec.pinning = MapSpec.Pinning(libbpf: UInt32(truncatingIfNeeded: try number()))
            case .keySize: explicitKeySize = UInt32(truncatingIfNeeded: try number())
            case .valueSize: explicitValueSize = UInt32(truncatingIfNeeded: try number())
            case .key, .value:
                guard let target = pointee(btf, memberType) else {
                    throw fail("member '\(memberName)' is not a __type(\(memberName), T) pointer")
                }
                guard let size = btf.size(of: target) else {
                    throw fail("the \(memberName) type #\(target) has no size")
                }
                if attribute == .key {
                    spec.keySize = UInt32(clamping: size)
                    spec.keyTypeID = target
                } else {
                    spec.valueSize = UInt32(clamping: size)
                    spec.valueTypeID = target
                }
            case .values:
                valuesOffset = Int((bitfields ? memberOffset & 0xff_ffff : memberOffset) / 8)
                guard let arrayID = btf.resolve(memberType), btf.kind(of: arrayID) == .array,
                      let target = pointee(btf, btf.trailingWord(of: arrayID, 0))  // btf_array.type
                else {
                    throw fail("member 'values' is not an __array(values, …) of pointers")
                }
                if let inner = btf.resolve(target), btf.kind(of: inner) == .structure {
                    var innerSpec = MapSpec(name: spec.name + ".inner", origin: .btf, sectionName: ".maps",
                                            symbolOffset: 0, type: .unspec, keySize: 0, valueSize: 0,
                                            maxEntries: 0, flags: [])
                    _ = try readDefinition(btf, typeID: inner, into: &innerSpec, context: context() + " inner map",
                                           offset: offset)
                    spec.innerMap = InnerMap(innerSpec)
                }
                // Map-in-map and prog-array values are 4-byte fds/ids.
                if explicitValueSize == nil, spec.valueSize == 0 { spec.valueSize = 4 }
            }
        }
        if let explicitKeySize {
            if spec.keyTypeID != 0, explicitKeySize != spec.keySize {
                throw fail("key_size \(explicitKeySize) differs from the key type's size \(spec.keySize)")
            }
            spec.keySize = explicitKeySize
        }
        if let explicitValueSize {
            if spec.valueTypeID != 0, explicitValueSize != spec.valueSize {
                throw fail("value_size \(explicitValueSize) differs from the value type's size \(spec.valueSize)")
            }
            spec.valueSize = explicitValueSize
        }
        if valuesOffset != nil, spec.keySize == 0 { spec.keySize = 4 }
        return valuesOffset
    }

    /// The type a (typedef'd or qualified) pointer `id` points to, nil when `id` is no pointer.
    private static func pointee(_ btf: BTF, _ id: BTFTypeID) -> BTFTypeID? {
        guard let pointer = btf.resolve(id), btf.kind(of: pointer) == .pointer else { return nil }
        return btf.sizeOrType(of: pointer)
    }

    /// The N of an `int (*name)[N]` member, or the value of an enum-encoded `__ulong`.
    private static func integerAttribute(_ btf: BTF, _ typeID: BTFTypeID) -> UInt64? {
        guard let id = btf.resolve(typeID) else { return nil }
        switch btf.kind(of: id) {
        case .pointer:
            guard let arrayID = btf.resolve(btf.sizeOrType(of: id)), btf.kind(of: arrayID) == .array else { return nil }
            return UInt64(btf.trailingWord(of: arrayID, 2))  // btf_array.nelems
        case .enumeration:
            // The first enumerator (`struct btf_enum`: name_off, val), sign-extended when kind_flag says signed.
            guard btf.vlen(of: id) > 0 else { return nil }
            let value = btf.trailingWord(of: id, 1)
            return btf.kindFlag(of: id) ? UInt64(bitPattern: Int64(Int32(bitPattern: value))) : UInt64(value)
        case .enum64:
            // `struct btf_enum64`: name_off, val_lo32, val_hi32.
            guard btf.vlen(of: id) > 0 else { return nil }
            return UInt64(btf.trailingWord(of: id, 2)) << 32 | UInt64(btf.trailingWord(of: id, 1))
        default:
            return nil
        }
    }

    /// The `.values` slots of one map, from the `.rel.maps` entries inside its `values` member.
    private static func initialSlots(_ elf: ELFFile, section: ELFSectionHeader, symbol: ELFSymbolTable.Entry,
                                     valuesOffset: Int,
                                     context: @autoclosure () -> String) throws(ParseError) -> [MapSpec.InitialSlot] {
        guard let table = try elf.relocationSection(forSection: section.index) else { return [] }
        let start = symbol.value + UInt64(valuesOffset)
        let end = symbol.size > 0 ? symbol.value + symbol.size : UInt64.max
        var slots: [MapSpec.InitialSlot] = []
        for index in 0..<table.count {
            let entry = elf.relocation(index, of: table)
            guard entry.offset >= start && entry.offset < end else { continue }
            var slotContext: String { "\(context()) .values (\(elf.sectionName(table.sectionIndex))[\(index)])" }
            guard (entry.offset - start) % 8 == 0 else {
                throw ParseError(.invalid("slot offset \(entry.offset) is not a pointer slot"), context: slotContext,
                                 offset: table.offset)
            }
            let target = elf.symbol(at: entry.symbolIndex)
            let slot = Int((entry.offset - start) / 8)
            if target.kind == .function {
                slots.append(.init(index: slot, target: .program(target.name)))
            } else if target.sectionIndex == section.index, !target.name.isEmpty {
                slots.append(.init(index: slot, target: .map(target.name)))
            } else {
                throw ParseError(.invalid("slot \(slot) points at '\(elf.displayName(of: target))', neither a "
                                          + "program nor a map"), context: slotContext, offset: table.offset)
            }
        }
        return slots
    }
}
