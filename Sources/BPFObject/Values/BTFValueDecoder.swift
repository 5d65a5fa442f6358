/// Reading a value's bytes through its BTF type.
extension BTFValue {
    /// Decodes `bytes`, a value of BTF type `type` (a map key or value as `BPF_MAP_LOOKUP_ELEM`
    /// returns it), into a ``BTFValue``.
    ///
    /// Typedefs, `const`, `volatile`, `restrict` and type tags are followed (an integer under
    /// `__be16`/`__be32`/`__be64` is read big-endian: its number, not its memory); bitfields are read
    /// from their member bit offsets (`kind_flag` bitfield sizes, or the width of the INT type);
    /// arrays, nested structs and unions, enums (with the enumerator's name when the number
    /// matches one) and DATASECs (a global-data map's value) are decoded recursively.
    ///
    /// - Parameters:
    ///   - bytes: exactly the type's size (``BTF/size(of:)``).
    ///   - order: the byte order of the bytes: `.host` for values from the kernel, the
    ///     object's order for values stored in an object file.
    /// - Throws: ``BTFValueError`` when `type` is 0 or unknown, the size differs, or the type
    ///   has no value form (void, functions, forward declarations).
    public static func decode(bytes: ArraySlice<UInt8>, type: BTFTypeID, btf: BTF,
                              order: ByteOrder = .host) throws(BTFValueError) -> BTFValue {
        guard type != 0 else { throw BTFValueError(.noType) }
        guard btf.contains(type), btf.resolve(type) != nil else { throw BTFValueError(.noSuchType(type)) }
        if let size = btf.valueSize(of: type), size != bytes.count {
            throw BTFValueError(.sizeMismatch(type: btf.typeDescription(type), expected: size, actual: bytes.count))
        }
        var decoder = BTFValueDecoder(btf: btf, reader: ByteReader(bytes, order: order, context: "value"))
        return try decoder.value(type, at: 0, depth: 0)
    }

    /// Decodes `bytes`, a value of BTF type `type`; the same as the `ArraySlice` form.
    public static func decode(bytes: [UInt8], type: BTFTypeID, btf: BTF,
                              order: ByteOrder = .host) throws(BTFValueError) -> BTFValue {
        try decode(bytes: bytes[...], type: type, btf: btf, order: order)
    }
}

/// Walks a BTF type over a value's bytes. Positions are in bits from the start of the value,
/// as `struct btf_member.offset` counts them.
struct BTFValueDecoder {
    let btf: BTF
    let reader: ByteReader
    var path = ValuePath()
    var remaining = BTFValue.maxValueCount

    /// The value of type `id` starting at bit `position`.
    mutating func value(_ id: BTFTypeID, at position: Int, depth: Int) throws(BTFValueError) -> BTFValue {
        try count(depth: depth)
        guard let resolved = btf.resolve(id) else { throw path.error(.noSuchType(id)) }
        if let layout = IntegerLayout(resolved, in: btf) { return try integer(layout, id, at: position) }
        guard let type = btf.type(resolved) else { throw path.error(.noSuchType(id)) }
        switch type {
        case let .int(int):
            return try integer(IntegerLayout(int), id, at: position)
        case let .enumeration(enumeration), let .enum64(enumeration):
            return try enumerator(enumeration, id, at: position, bits: Int(enumeration.size) * 8)
        case .pointer:
            return .pointer(try load(id, at: position, size: 8))
        case let .float(_, size) where size == 4 || size == 8:
            return .float(bits: try load(id, at: position, size: Int(size)), size: Int(size))
        case let .float(_, size):
            return .bytes(try slice(id, at: position, size: Int(size)))
        case let .array(array):
            return try elements(of: array, id, at: position, depth: depth)
        case let .structure(composite):
            return .structure(try members(composite.members, at: position, depth: depth))
        case let .union(composite):
            return .union(try members(composite.members, at: position, depth: depth))
        case let .dataSection(section):
            return .structure(try variables(section, at: position, depth: depth))
        case let .variable(variable):
            return try value(variable.type, at: position, depth: depth + 1)
        default:
            throw path.error(.unsupportedType(type: btf.typeDescription(id),
                                              reason: "a \(btf.kind(of: resolved)) type has no value"))
        }
    }

    /// Counts one more value against the budget and checks the nesting depth.
    private mutating func count(depth: Int) throws(BTFValueError) {
        remaining -= 1
        guard remaining >= 0 else {
            throw path.error(.tooComplex("the value has more than \(BTFValue.maxValueCount) parts"))
        }
        guard depth <= BTFValue.maxDepth else {
            throw path.error(.tooComplex("the type nests deeper than \(BTFValue.maxDepth) levels"))
        }
    }

    // MARK: Scalars

    /// An INT: whole bytes, or a bitfield when the INT's own width/offset say so (BTF without
    /// `kind_flag`) or the member does not start on a byte.
    private func integer(_ int: IntegerLayout, _ id: BTFTypeID, at position: Int) throws(BTFValueError) -> BTFValue {
        if int.isWhole(at: position) {
            if int.size > 8 { return .bytes(try slice(id, at: position, size: int.size)) }
            let order: ByteOrder? = btf.isNetworkOrder(id) ? .big : nil
            return Self.scalar(int.encoding, try load(id, at: position, size: int.size, order: order), bits: int.bits)
        }
        guard (1...64).contains(int.bits) else {
            throw path.error(.unsupportedType(type: btf.typeDescription(id), reason: "a \(int.bits)-bit field is not supported"))
        }
        return Self.scalar(int.encoding, try loadBits(id, at: position + int.bitOffset, count: int.bits), bits: int.bits)
    }

    /// A member with a `kind_flag` bitfield size: an INT or enum of `count` bits.
    private mutating func bitfield(_ id: BTFTypeID, at position: Int, count: Int, depth: Int) throws(BTFValueError) -> BTFValue {
        try self.count(depth: depth)
        guard let resolved = btf.resolve(id) else { throw path.error(.noSuchType(id)) }
        switch btf.type(resolved) {
        case let .int(int)? where (1...64).contains(count):
            return Self.scalar(int.encoding, try loadBits(id, at: position, count: count), bits: count)
        case let .enumeration(enumeration)?, let .enum64(enumeration)?:
            return try enumerator(enumeration, id, at: position, bits: count)
        default:
            throw path.error(.unsupportedType(type: btf.typeDescription(id),
                                              reason: "a \(count)-bit field of this type is not supported"))
        }
    }

    /// An enum of `bits` bits (the whole enum, or a bitfield), named when the number matches.
    private func enumerator(_ enumeration: BTFEnum, _ id: BTFTypeID, at position: Int, bits: Int) throws(BTFValueError) -> BTFValue {
        guard (1...64).contains(bits) else {
            throw path.error(.unsupportedType(type: btf.typeDescription(id), reason: "an enum of \(bits) bits is not supported"))
        }
        let raw = position % 8 == 0 && bits % 8 == 0 && bits == Int(enumeration.size) * 8
            ? try load(id, at: position, size: bits / 8)
            : try loadBits(id, at: position, count: bits)
        let number: BTFValue = enumeration.isSigned
            ? .signed(ValueBits.signExtend(raw, bits: bits), bits: bits)
            : .unsigned(raw, bits: bits)
        let pattern = number.unsignedValue ?? raw
        return .enumerator(enumeration.values.first { $0.bits == pattern }?.name, value: number)
    }

    /// An integer's bits as a value: `_Bool` 0/1 as ``BTFValue/bool(_:)``, signed or unsigned.
    private static func scalar(_ encoding: BTFIntEncoding, _ raw: UInt64, bits: Int) -> BTFValue {
        if encoding.contains(.bool), raw <= 1 { return .bool(raw == 1) }
        if encoding.contains(.signed) { return .signed(ValueBits.signExtend(raw, bits: bits), bits: bits) }
        return .unsigned(raw, bits: bits)
    }

    // MARK: Aggregates

    /// An array: a string for `char[N]` holding text, else every element.
    private mutating func elements(of array: BTFArray, _ id: BTFTypeID, at position: Int, depth: Int) throws(BTFValueError) -> BTFValue {
        let count = Int(array.count)
        guard count > 0 else { return .array([]) }
        guard let elementSize = btf.size(of: array.elementType) else {
            throw path.error(.unsupportedType(type: btf.typeDescription(id), reason: "its elements have no size"))
        }
        let (total, overflow) = elementSize.multipliedReportingOverflow(by: count)
        let start = try byteOffset(id, at: position)
        guard !overflow, ValueBits.fits(start, total, in: reader.count) else {
            throw path.error(.outOfBounds(type: btf.typeDescription(id), offset: start, size: overflow ? .max : total,
                                          available: reader.count))
        }
        if elementSize == 1, btf.isCharElement(array.elementType),
           let text = Self.text(reader.bytes.dropFirst(start).prefix(count)) {
            return .string(text)
        }
        guard count <= remaining else {
            throw path.error(.tooComplex("\(btf.typeDescription(id)) has more than \(BTFValue.maxValueCount) elements"))
        }
        var result: [BTFValue] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            path.push(index: index)
            result.append(try value(array.elementType, at: position + index * elementSize * 8, depth: depth + 1))
            path.pop()
        }
        return .array(result)
    }

    /// The text of a `char[N]`: printable ASCII, then at least one NUL and only NULs after it.
    private static func text(_ bytes: ArraySlice<UInt8>) -> String? {
        guard let end = bytes.firstIndex(of: 0) else { return nil }
        let characters = bytes[..<end]
        guard characters.allSatisfy({ (0x20...0x7e).contains($0) }), bytes[end...].allSatisfy({ $0 == 0 }) else {
            return nil
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// The members of a struct or union starting at bit `position`. Unnamed members that are
    /// not structs or unions (padding bitfields such as `int :3`) are left out.
    private mutating func members(_ list: [BTFMember], at position: Int, depth: Int) throws(BTFValueError) -> [BTFValue.Member] {
        var result: [BTFValue.Member] = []
        for member in list {
            if member.name.isEmpty, !btf.isComposite(member.type) { continue }
            path.push(member: member.name)
            let start = position + Int(member.bitOffset)
            let value = member.bitfieldSize > 0
                ? try bitfield(member.type, at: start, count: Int(member.bitfieldSize), depth: depth + 1)
                : try value(member.type, at: start, depth: depth + 1)
            path.pop()
            result.append(BTFValue.Member(name: member.name, value: value))
        }
        return result
    }

    /// The variables of a DATASEC (`struct btf_var_secinfo` entries) at their offsets.
    private mutating func variables(_ section: BTFDataSection, at position: Int, depth: Int) throws(BTFValueError) -> [BTFValue.Member] {
        var result: [BTFValue.Member] = []
        for entry in section.variables {
            guard let variable = btf.variable(entry.type) else { continue }
            path.push(member: variable.name)
            let value = try value(variable.type, at: position + Int(entry.offset) * 8, depth: depth + 1)
            path.pop()
            result.append(BTFValue.Member(name: variable.name, value: value))
        }
        return result
    }

    // MARK: Bounds-checked reads

    /// The byte offset of bit `position`, which must start a byte for a value of `id`.
    private func byteOffset(_ id: BTFTypeID, at position: Int) throws(BTFValueError) -> Int {
        guard position % 8 == 0 else {
            throw path.error(.unsupportedType(type: btf.typeDescription(id),
                                              reason: "starts at bit \(position), not on a byte boundary"))
        }
        return position / 8
    }

    private func load(_ id: BTFTypeID, at position: Int, size: Int, order: ByteOrder? = nil) throws(BTFValueError) -> UInt64 {
        let offset = try byteOffset(id, at: position)
        do { return try ValueBits.load(reader, at: offset, size: size, order: order) } catch {
            throw path.error(.outOfBounds(type: btf.typeDescription(id), offset: offset, size: size, available: reader.count))
        }
    }

    private func loadBits(_ id: BTFTypeID, at position: Int, count: Int) throws(BTFValueError) -> UInt64 {
        do { return try ValueBits.loadBits(reader, at: position, count: count) } catch {
            throw path.error(.outOfBounds(type: btf.typeDescription(id), offset: position / 8,
                                          size: ValueBits.byteSpan(at: position, count: count), available: reader.count))
        }
    }

    private func slice(_ id: BTFTypeID, at position: Int, size: Int) throws(BTFValueError) -> [UInt8] {
        let offset = try byteOffset(id, at: position)
        do { return Array(try reader.slice(at: offset, length: size)) } catch {
            throw path.error(.outOfBounds(type: btf.typeDescription(id), offset: offset, size: size, available: reader.count))
        }
    }
}
