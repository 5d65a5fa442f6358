/// Arrays, structs, unions and DATASECs: the parts of the encoder that recurse.
extension BTFValueEncoder {
    /// An array from `[a, b, …]` (missing trailing elements stay zero), or text for `char[N]`.
    mutating func elements(_ input: ValueInput, _ array: BTFArray, _ id: BTFTypeID, at position: Int,
                           depth: Int) throws(BTFValueError) {
        var name: String { btf.typeDescription(id) }
        let count = Int(array.count)
        let isText = btf.isCharElement(array.elementType)
        if isText, let text = input.scalarText {
            let characters = Array(text.utf8)
            guard characters.count < count else {
                throw path.error(.stringTooLong(length: characters.count, type: name, capacity: max(count - 1, 0)))
            }
            return try store(characters + [UInt8](repeating: 0, count: count - characters.count), id, at: position)
        }
        guard case let .list(items) = input else {
            let what = isText ? "text or a JSON array" : "a JSON array like [1, 2]"
            throw path.error(.expected(what: what, type: name, got: input.summary))
        }
        guard items.count <= count else {
            throw path.error(.tooManyElements(count: items.count, type: name, capacity: count))
        }
        guard let elementSize = btf.size(of: array.elementType) else {
            throw path.error(.unsupportedType(type: name, reason: "its elements have no size"))
        }
        guard !items.isEmpty else { return }
        let start = try byteOffset(id, at: position)
        let (span, overflow) = elementSize.multipliedReportingOverflow(by: items.count)
        guard !overflow, ValueBits.fits(start, span, in: bytes.count) else {
            throw path.error(.outOfBounds(type: name, offset: start, size: overflow ? .max : span, available: bytes.count))
        }
        for (index, item) in items.enumerated() {
            path.push(index: index)
            try write(item, as: array.elementType, at: position + index * elementSize * 8, depth: depth + 1)
            path.pop()
        }
    }

    /// A struct or union from `{member: value, …}`: members found by name (also inside anonymous
    /// struct/union members), each written at its bit offset; members left out stay zero.
    mutating func members(_ input: ValueInput, _ id: BTFTypeID, at position: Int, depth: Int) throws(BTFValueError) {
        var name: String { btf.typeDescription(id) }
        guard case let .object(fields) = input else {
            throw path.error(.expected(what: "a JSON object like {\"member\": value}", type: name, got: input.summary))
        }
        let table = btf.valueMembers(of: id)
        var seen: Set<String> = []
        for field in fields {
            guard seen.insert(field.key).inserted else {
                throw path.error(.duplicateMember(name: field.key, type: name))
            }
            guard let (member, offset) = table[field.key] else {
                throw path.error(.unknownMember(name: field.key, type: name))
            }
            path.push(member: field.key)
            if member.bitfieldSize > 0 {
                try storeBitfield(field.value, member.type, at: position + offset, count: Int(member.bitfieldSize))
            } else {
                try write(field.value, as: member.type, at: position + offset, depth: depth + 1)
            }
            path.pop()
        }
    }

    /// A DATASEC (a global-data map's value) from `{variable: value, …}`.
    mutating func variables(_ input: ValueInput, _ section: BTFDataSection, _ id: BTFTypeID, at position: Int,
                            depth: Int) throws(BTFValueError) {
        var name: String { btf.typeDescription(id) }
        guard case let .object(fields) = input else {
            throw path.error(.expected(what: "a JSON object like {\"variable\": value}", type: name, got: input.summary))
        }
        var seen: Set<String> = []
        for field in fields {
            guard seen.insert(field.key).inserted else {
                throw path.error(.duplicateMember(name: field.key, type: name))
            }
            guard let entry = section.variables.first(where: { btf.variable($0.type)?.name == field.key }),
                  let variable = btf.variable(entry.type) else {
                throw path.error(.unknownMember(name: field.key, type: name))
            }
            path.push(member: field.key)
            try write(field.value, as: variable.type, at: position + Int(entry.offset) * 8, depth: depth + 1)
            path.pop()
        }
    }
}

extension ValueInput {
    /// The text of a token or a string; `nil` for a list or an object.
    var scalarText: String? {
        switch self {
        case let .word(text), let .string(text): text
        case .list, .object: nil
        }
    }

    /// A short spelling for error messages: the text itself, `[…]` or `{…}`.
    var summary: String {
        switch self {
        case let .word(text), let .string(text): text
        case .list: "[…]"
        case .object: "{…}"
        }
    }
}

extension BTFValue {
    /// The value as encoder input: what its text form would parse to, with anonymous
    /// struct/union members inlined.
    var input: ValueInput {
        switch self {
        case let .unsigned(value, _): .word(String(value))
        case let .signed(value, _): .word(String(value))
        case let .bool(value): .word(value ? "true" : "false")
        case let .string(text): .string(text)
        case let .enumerator(name, value): name.map { .word($0) } ?? value.input
        case let .structure(members), let .union(members):
            .object(Self.inlined(members).map { ValueInput.Field(key: $0.name, value: $0.value.input) })
        case let .array(elements): .list(elements.map(\.input))
        case let .pointer(address): .word(String(address))
        case .float: .word(floatText)
        case let .bytes(bytes): .string(BTFValue.formatHex(bytes))
        }
    }
}
