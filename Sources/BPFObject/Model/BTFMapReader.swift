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
enum BTFMapReader {
    static func read(_ elf: ELFFile, section: ELFSection, btf: BTF) throws(ParseError) -> [MapSpec] {
        guard let (sectionID, _) = btf.dataSection(named: ".maps") else {
            throw ParseError(.invalid("no DATASEC .maps in .BTF"), context: "section .maps", offset: section.offset)
        }
        var maps: [MapSpec] = []
        for (variable, _) in btf.variables(inDataSection: sectionID) {
            let context = "BTF map '\(variable.name)'"
            guard let symbol = elf.symbols.first(where: { $0.sectionIndex == section.index && $0.name == variable.name })
            else {
                throw ParseError(.invalid("no symbol for the .maps variable"), context: context, offset: section.offset)
            }
            var (spec, valuesOffset) = try definition(btf, typeID: variable.type, name: variable.name,
                                                      context: context, offset: section.offset + Int(min(symbol.value, UInt64(section.size))))
            spec.sectionName = section.name
            spec.symbolOffset = symbol.value
            if let valuesOffset {
                spec.initialSlots = try initialSlots(elf, section: section, symbol: symbol, valuesOffset: valuesOffset,
                                                     context: context)
            }
            maps.append(spec)
        }
        return maps.sorted { $0.symbolOffset < $1.symbolOffset }
    }

    /// Sets the value type of every data map to the DATASEC of the same name, as libbpf does.
    static func attachDataTypes(_ maps: inout [MapSpec], btf: BTF) throws(ParseError) {
        for index in maps.indices where maps[index].origin == .data {
            if let (id, _) = btf.dataSection(named: maps[index].sectionName) {
                maps[index].valueTypeID = id
            }
        }
    }

    /// Interprets one map-definition struct. Returns the spec and, when it has `values`, the
    /// byte offset of that member (where `.rel.maps` relocations land).
    private static func definition(_ btf: BTF, typeID: BTFTypeID, name: String, context: String,
                                   offset: Int) throws(ParseError) -> (MapSpec, Int?) {
        func fail(_ message: String) -> ParseError { ParseError(.invalid(message), context: context, offset: offset) }
        guard let structID = btf.resolve(typeID), case let .structure(layout)? = btf.type(structID) else {
            throw fail("the map variable's type is not a struct")
        }
        var spec = MapSpec(name: name, origin: .btf, sectionName: ".maps", symbolOffset: 0, type: .unspec,
                           keySize: 0, valueSize: 0, maxEntries: 0, flags: [])
        var valuesOffset: Int?
        var explicitKeySize: UInt32?
        var explicitValueSize: UInt32?
        for member in layout.members {
            func number() throws(ParseError) -> UInt64 {
                guard let value = integerAttribute(btf, member.type) else {
                    throw fail("member '\(member.name)' is not an __uint(name, value) attribute")
                }
                return value
            }
            switch member.name {
            case "type": spec.type = BPFMapType(rawValue: UInt32(truncatingIfNeeded: try number()))
            case "max_entries": spec.maxEntries = UInt32(truncatingIfNeeded: try number())
            case "map_flags": spec.flags = BPFMapFlags(rawValue: UInt32(truncatingIfNeeded: try number()))
            case "numa_node": spec.numaNode = UInt32(truncatingIfNeeded: try number())
            case "map_extra": spec.mapExtra = try number()
            case "pinning": spec.pinning = MapSpec.Pinning(libbpf: UInt32(truncatingIfNeeded: try number()))
            case "key_size": explicitKeySize = UInt32(truncatingIfNeeded: try number())
            case "value_size": explicitValueSize = UInt32(truncatingIfNeeded: try number())
            case "key", "value":
                guard let pointer = btf.resolve(member.type), case let .pointer(target)? = btf.type(pointer) else {
                    throw fail("member '\(member.name)' is not a __type(\(member.name), T) pointer")
                }
                guard let size = btf.size(of: target) else {
                    throw fail("the \(member.name) type #\(target) has no size")
                }
                if member.name == "key" {
                    spec.keySize = UInt32(clamping: size)
                    spec.keyTypeID = target
                } else {
                    spec.valueSize = UInt32(clamping: size)
                    spec.valueTypeID = target
                }
            case "values":
                valuesOffset = Int(member.bitOffset / 8)
                guard let arrayID = btf.resolve(member.type), case let .array(array)? = btf.type(arrayID),
                      let pointer = btf.resolve(array.elementType), case let .pointer(target)? = btf.type(pointer)
                else {
                    throw fail("member 'values' is not an __array(values, …) of pointers")
                }
                if let inner = btf.resolve(target), case .structure? = btf.type(inner) {
                    let (innerSpec, _) = try definition(btf, typeID: inner, name: name + ".inner",
                                                        context: context + " inner map", offset: offset)
                    spec.innerMap = InnerMap(innerSpec)
                }
                // Map-in-map and prog-array values are 4-byte fds/ids.
                if explicitValueSize == nil, spec.valueSize == 0 { spec.valueSize = 4 }
            default:
                throw fail("unknown map attribute '\(member.name)'")
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
        return (spec, valuesOffset)
    }

    /// The N of an `int (*name)[N]` member, or the value of an enum-encoded `__ulong`.
    private static func integerAttribute(_ btf: BTF, _ typeID: BTFTypeID) -> UInt64? {
        guard let id = btf.resolve(typeID) else { return nil }
        switch btf.type(id) {
        case let .pointer(target)?:
            guard let arrayID = btf.resolve(target), case let .array(array)? = btf.type(arrayID) else { return nil }
            return UInt64(array.count)
        case let .enumeration(enumeration)?, let .enum64(enumeration)?:
            return enumeration.values.first?.bits
        default:
            return nil
        }
    }

    /// The `.values` slots of one map, from the `.rel.maps` entries inside its `values` member.
    private static func initialSlots(_ elf: ELFFile, section: ELFSection, symbol: ELFSymbol, valuesOffset: Int,
                                     context: String) throws(ParseError) -> [MapSpec.InitialSlot] {
        guard let table = elf.relocations(forSection: section.index) else { return [] }
        let start = symbol.value + UInt64(valuesOffset)
        let end = symbol.size > 0 ? symbol.value + symbol.size : UInt64.max
        var slots: [MapSpec.InitialSlot] = []
        for (index, entry) in table.entries.enumerated() where entry.offset >= start && entry.offset < end {
            let slotContext = "\(context) .values (\(table.section.name)[\(index)])"
            guard (entry.offset - start) % 8 == 0 else {
                throw ParseError(.invalid("slot offset \(entry.offset) is not a pointer slot"), context: slotContext,
                                 offset: table.section.offset)
            }
            let target = elf.symbols[entry.symbolIndex]
            let slot = Int((entry.offset - start) / 8)
            if target.kind == .function {
                slots.append(.init(index: slot, target: .program(target.name)))
            } else if target.sectionIndex == section.index, !target.name.isEmpty {
                slots.append(.init(index: slot, target: .map(target.name)))
            } else {
                throw ParseError(.invalid("slot \(slot) points at '\(elf.displayName(of: target))', neither a "
                                          + "program nor a map"), context: slotContext, offset: table.section.offset)
            }
        }
        return slots
    }
}
