/// Turning raw words into the friendly ``BTFType`` model.
extension BTF {
    /// Type `id` in friendly form, or `nil` when `id` is not stored. Id 0 is ``BTFType/void``.
    public func type(_ id: BTFTypeID) -> BTFType? {
        guard contains(id) else { return nil }
        if id == 0 { return .void }
        let name = rawName(of: id)
        let sizeOrType = sizeOrType(of: id)
        switch kind(of: id) {
        case .unknown:
            return .void
        case .int:
            let word = trailingWord(of: id, 0)
            return .int(BTFInt(name: name, size: sizeOrType, encoding: BTFIntEncoding(rawValue: UInt8((word >> 24) & 0x0f)),
                               bitOffset: UInt8((word >> 16) & 0xff), bits: UInt8(word & 0xff)))
        case .pointer:
            return .pointer(sizeOrType)
        case .array:
            return .array(array(id)!)
        case .structure:
            return .structure(BTFComposite(name: name, size: sizeOrType, members: members(of: id)))
        case .union:
            return .union(BTFComposite(name: name, size: sizeOrType, members: members(of: id)))
        case .enumeration, .enum64:
            let value = BTFEnum(name: name, size: sizeOrType, isSigned: kindFlag(of: id), values: enumValues(of: id))
            return kind(of: id) == .enumeration ? .enumeration(value) : .enum64(value)
        case .forward:
            return .forward(name: name, isUnion: kindFlag(of: id))
        case .typedef:
            return .typedef(name: name, type: sizeOrType)
        case .volatile:
            return .volatile(sizeOrType)
        case .const:
            return .const(sizeOrType)
        case .restrict:
            return .restrict(sizeOrType)
        case .function:
            return .function(BTFFunction(name: name, prototype: sizeOrType,
                                         linkage: BTFFunctionLinkage(rawValue: UInt16(vlen(of: id)))))
        case .functionProto:
            return .functionProto(BTFFunctionProto(returnType: sizeOrType, parameters: parameters(of: id)))
        case .variable:
            return .variable(BTFVariable(name: name, type: sizeOrType,
                                         linkage: BTFVariableLinkage(rawValue: trailingWord(of: id, 0))))
        case .dataSection:
            return .dataSection(BTFDataSection(name: name, size: sizeOrType, variables: dataSectionEntries(of: id)))
        case .float:
            return .float(name: name, size: sizeOrType)
        case .declTag:
            return .declTag(BTFDeclTag(name: name, type: sizeOrType,
                                       componentIndex: Int32(bitPattern: trailingWord(of: id, 0))))
        case .typeTag:
            return .typeTag(name: name, type: sizeOrType)
        }
    }

    /// The `struct btf_array` of an ARRAY type, `nil` for other kinds.
    public func array(_ id: BTFTypeID) -> BTFArray? {
        guard kind(of: id) == .array else { return nil }
        return BTFArray(elementType: trailingWord(of: id, 0), indexType: trailingWord(of: id, 1),
                        count: trailingWord(of: id, 2))
    }

    /// The members of a STRUCT or UNION (empty for other kinds), with bitfields decoded as the
    /// parent's `kind_flag` says (`BTF_MEMBER_BIT_OFFSET`, `BTF_MEMBER_BITFIELD_SIZE`).
    public func members(of id: BTFTypeID) -> [BTFMember] {
        let kind = kind(of: id)
        guard kind == .structure || kind == .union else { return [] }
        let flag = kindFlag(of: id)
        return (0..<vlen(of: id)).map { index in
            let offset = trailingWord(of: id, 3 * index + 2)
            return BTFMember(name: strings[trailingWord(of: id, 3 * index)], type: trailingWord(of: id, 3 * index + 1),
                             bitOffset: flag ? offset & 0xff_ffff : offset, bitfieldSize: flag ? offset >> 24 : 0)
        }
    }

    /// The enumerators of an ENUM or ENUM64 (empty for other kinds).
    public func enumValues(of id: BTFTypeID) -> [BTFEnumValue] {
        let signed = kindFlag(of: id)
        switch kind(of: id) {
        case .enumeration:
            return (0..<vlen(of: id)).map { index in
                let value = trailingWord(of: id, 2 * index + 1)
                let bits = signed ? UInt64(bitPattern: Int64(Int32(bitPattern: value))) : UInt64(value)
                return BTFEnumValue(name: strings[trailingWord(of: id, 2 * index)], bits: bits)
            }
        case .enum64:
            return (0..<vlen(of: id)).map { index in
                let bits = UInt64(trailingWord(of: id, 3 * index + 2)) << 32 | UInt64(trailingWord(of: id, 3 * index + 1))
                return BTFEnumValue(name: strings[trailingWord(of: id, 3 * index)], bits: bits)
            }
        default:
            return []
        }
    }

    /// The parameters of a FUNC_PROTO (empty for other kinds).
    public func parameters(of id: BTFTypeID) -> [BTFParameter] {
        guard kind(of: id) == .functionProto else { return [] }
        return (0..<vlen(of: id)).map { index in
            BTFParameter(name: strings[trailingWord(of: id, 2 * index)], type: trailingWord(of: id, 2 * index + 1))
        }
    }

    /// The `struct btf_var_secinfo` entries of a DATASEC (empty for other kinds).
    public func dataSectionEntries(of id: BTFTypeID) -> [BTFRawVarSecInfo] {
        guard kind(of: id) == .dataSection else { return [] }
        return (0..<vlen(of: id)).map { index in
            BTFRawVarSecInfo(type: trailingWord(of: id, 3 * index), offset: trailingWord(of: id, 3 * index + 1),
                             size: trailingWord(of: id, 3 * index + 2))
        }
    }
}
