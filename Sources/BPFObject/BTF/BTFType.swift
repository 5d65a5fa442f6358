/// A BTF type in friendly form: names resolved, bit fields decoded, one case per kind.
///
/// Built on demand from the raw words by ``BTF/type(_:)``. Each case mirrors one `BTF_KIND_*`
/// of `linux/btf.h` together with its trailing structure.
public enum BTFType: Sendable, Equatable {
    /// Type id 0.
    case void
    /// `BTF_KIND_INT`.
    case int(BTFInt)
    /// `BTF_KIND_PTR` to the given type.
    case pointer(BTFTypeID)
    /// `BTF_KIND_ARRAY` (`struct btf_array`).
    case array(BTFArray)
    /// `BTF_KIND_STRUCT`.
    case structure(BTFComposite)
    /// `BTF_KIND_UNION`.
    case union(BTFComposite)
    /// `BTF_KIND_ENUM` (32-bit values).
    case enumeration(BTFEnum)
    /// `BTF_KIND_FWD`: a forward-declared `struct` or (`isUnion`) `union`.
    case forward(name: String, isUnion: Bool)
    /// `BTF_KIND_TYPEDEF`.
    case typedef(name: String, type: BTFTypeID)
    /// `BTF_KIND_VOLATILE`.
    case volatile(BTFTypeID)
    /// `BTF_KIND_CONST`.
    case const(BTFTypeID)
    /// `BTF_KIND_RESTRICT`.
    case restrict(BTFTypeID)
    /// `BTF_KIND_FUNC`.
    case function(BTFFunction)
    /// `BTF_KIND_FUNC_PROTO`.
    case functionProto(BTFFunctionProto)
    /// `BTF_KIND_VAR` (`struct btf_var`).
    case variable(BTFVariable)
    /// `BTF_KIND_DATASEC` (`struct btf_var_secinfo` entries).
    case dataSection(BTFDataSection)
    /// `BTF_KIND_FLOAT`.
    case float(name: String, size: UInt32)
    /// `BTF_KIND_DECL_TAG` (`struct btf_decl_tag`).
    case declTag(BTFDeclTag)
    /// `BTF_KIND_TYPE_TAG`.
    case typeTag(name: String, type: BTFTypeID)
    /// `BTF_KIND_ENUM64` (`struct btf_enum64` values).
    case enum64(BTFEnum)
}

/// A `BTF_KIND_INT`: `btf_type.size` plus the decoded trailing word
/// (`BTF_INT_ENCODING`, `BTF_INT_OFFSET`, `BTF_INT_BITS`).
public struct BTFInt: Sendable, Equatable {
    /// The C name, e.g. `"unsigned int"`.
    public var name: String
    /// Size in bytes.
    public var size: UInt32
    /// `BTF_INT_ENCODING`: signed / char / bool.
    public var encoding: BTFIntEncoding
    /// `BTF_INT_OFFSET`: bit offset of the value (0 in practice).
    public var bitOffset: UInt8
    /// `BTF_INT_BITS`: number of value bits.
    public var bits: UInt8
    /// Creates an integer description.
    public init(name: String, size: UInt32, encoding: BTFIntEncoding, bitOffset: UInt8, bits: UInt8) {
        self.name = name; self.size = size; self.encoding = encoding; self.bitOffset = bitOffset; self.bits = bits
    }
}

/// A `BTF_KIND_ARRAY`. Mirrors `struct btf_array`.
public struct BTFArray: Sendable, Equatable {
    /// `type`: the element type.
    public var elementType: BTFTypeID
    /// `index_type`.
    public var indexType: BTFTypeID
    /// `nelems`.
    public var count: UInt32
    /// Creates an array description.
    public init(elementType: BTFTypeID, indexType: BTFTypeID, count: UInt32) {
        self.elementType = elementType; self.indexType = indexType; self.count = count
    }
}

/// A `BTF_KIND_STRUCT` or `BTF_KIND_UNION` with its members.
public struct BTFComposite: Sendable, Equatable {
    /// The tag name (`""` when anonymous).
    public var name: String
    /// Size in bytes.
    public var size: UInt32
    /// The members in order.
    public var members: [BTFMember]
    /// Creates a struct/union description.
    public init(name: String, size: UInt32, members: [BTFMember]) {
        self.name = name; self.size = size; self.members = members
    }
}

/// A member of a struct or union. Mirrors `struct btf_member`, with the bit offset and
/// bitfield size split out when the parent has `kind_flag` set.
public struct BTFMember: Sendable, Equatable {
    /// The member name (`""` for anonymous members).
    public var name: String
    /// The member type.
    public var type: BTFTypeID
    /// Offset from the start of the struct, in bits.
    public var bitOffset: UInt32
    /// Bitfield width in bits, 0 when the member is not a bitfield (or the parent has no
    /// `kind_flag`, in which case the width lives in the INT type).
    public var bitfieldSize: UInt32
    /// Creates a member description.
    public init(name: String, type: BTFTypeID, bitOffset: UInt32, bitfieldSize: UInt32 = 0) {
        self.name = name; self.type = type; self.bitOffset = bitOffset; self.bitfieldSize = bitfieldSize
    }
}

/// A `BTF_KIND_ENUM` or `BTF_KIND_ENUM64` with its values.
public struct BTFEnum: Sendable, Equatable {
    /// The enum tag (`""` when anonymous).
    public var name: String
    /// Size in bytes.
    public var size: UInt32
    /// `kind_flag`: the values are signed.
    public var isSigned: Bool
    /// The enumerators in order.
    public var values: [BTFEnumValue]
    /// Creates an enum description.
    public init(name: String, size: UInt32, isSigned: Bool, values: [BTFEnumValue]) {
        self.name = name; self.size = size; self.isSigned = isSigned; self.values = values
    }
}

/// One enumerator. Mirrors `struct btf_enum` / `struct btf_enum64`.
public struct BTFEnumValue: Sendable, Equatable {
    /// The enumerator's name.
    public var name: String
    /// The value's bits: for ENUM the 32-bit value sign- or zero-extended per the parent's
    /// signedness; for ENUM64 `val_hi32 << 32 | val_lo32`.
    public var bits: UInt64
    /// Creates an enumerator.
    public init(name: String, bits: UInt64) { self.name = name; self.bits = bits }
    /// The value read as signed.
    public var signedValue: Int64 { Int64(bitPattern: bits) }
}

/// A `BTF_KIND_FUNC`: a function name bound to its `FUNC_PROTO`.
public struct BTFFunction: Sendable, Equatable {
    /// The function name.
    public var name: String
    /// The `FUNC_PROTO` type id.
    public var prototype: BTFTypeID
    /// Linkage (stored in `vlen`); `nil` for a value the kernel does not define.
    public var linkage: BTFFunctionLinkage?
    /// Creates a function description.
    public init(name: String, prototype: BTFTypeID, linkage: BTFFunctionLinkage?) {
        self.name = name; self.prototype = prototype; self.linkage = linkage
    }
}

/// A `BTF_KIND_FUNC_PROTO`: return type and parameters (`struct btf_param`).
public struct BTFFunctionProto: Sendable, Equatable {
    /// The return type (0 = void).
    public var returnType: BTFTypeID
    /// The parameters; a last parameter with type 0 and no name stands for `...`.
    public var parameters: [BTFParameter]
    /// Creates a prototype description.
    public init(returnType: BTFTypeID, parameters: [BTFParameter]) {
        self.returnType = returnType; self.parameters = parameters
    }
    /// True when the last parameter is the variadic marker (type 0, no name).
    public var isVariadic: Bool { parameters.last.map { $0.type == 0 && $0.name.isEmpty } ?? false }
}

/// A function parameter. Mirrors `struct btf_param`.
public struct BTFParameter: Sendable, Equatable {
    /// The parameter name (`""` when unnamed).
    public var name: String
    /// The parameter type.
    public var type: BTFTypeID
    /// Creates a parameter description.
    public init(name: String, type: BTFTypeID) { self.name = name; self.type = type }
}

/// A `BTF_KIND_VAR`. Mirrors `struct btf_var` plus the type's name and type.
public struct BTFVariable: Sendable, Equatable {
    /// The variable name.
    public var name: String
    /// The variable's type.
    public var type: BTFTypeID
    /// Linkage; `nil` for a value the kernel does not define.
    public var linkage: BTFVariableLinkage?
    /// Creates a variable description.
    public init(name: String, type: BTFTypeID, linkage: BTFVariableLinkage?) {
        self.name = name; self.type = type; self.linkage = linkage
    }
}

/// A `BTF_KIND_DATASEC`: an ELF section and the variables in it.
public struct BTFDataSection: Sendable, Equatable {
    /// The section name, e.g. `".data"` or `".maps"`.
    public var name: String
    /// Size in bytes (clang writes 0; the loader sets it from the ELF section).
    public var size: UInt32
    /// The variables. Mirrors `struct btf_var_secinfo`.
    public var variables: [BTFRawVarSecInfo]
    /// Creates a data section description.
    public init(name: String, size: UInt32, variables: [BTFRawVarSecInfo]) {
        self.name = name; self.size = size; self.variables = variables
    }
}

/// A `BTF_KIND_DECL_TAG`. Mirrors `struct btf_decl_tag`.
public struct BTFDeclTag: Sendable, Equatable {
    /// The tag string.
    public var name: String
    /// The tagged type (struct, union, func, var or typedef).
    public var type: BTFTypeID
    /// `component_idx`: −1 for the type itself, else the member or parameter index.
    public var componentIndex: Int32
    /// Creates a declaration-tag description.
    public init(name: String, type: BTFTypeID, componentIndex: Int32) {
        self.name = name; self.type = type; self.componentIndex = componentIndex
    }
}
