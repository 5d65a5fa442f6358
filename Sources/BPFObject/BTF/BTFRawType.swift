/// One type exactly as stored in the BTF type section: `struct btf_type` (12 bytes) followed
/// by its kind-specific trailing data, kept as `u32` words in host order.
///
/// Mirrors `struct btf_type` in `linux/btf.h`. Every kind's trailing data is made of `u32`
/// fields (see ``BTFKind/trailingWordCount(vlen:)``), so `trailing` holds it without loss;
/// the raw record structs below (``BTFRawMember``, …) read and build it field by field.
public struct BTFRawType: Sendable, Equatable {
    /// `sizeof(struct btf_type)`.
    public static let headerSize = 12

    /// `name_off`: offset of the name in the string section (0 = anonymous).
    public var nameOffset: UInt32
    /// `info`: bits 0–15 `vlen`, bits 24–28 kind, bit 31 `kind_flag`.
    public var info: UInt32
    /// `size` or `type` (a union in C): a byte size for INT, ENUM, STRUCT, UNION, DATASEC,
    /// FLOAT, ENUM64; a type id for the others (the return type for FUNC_PROTO).
    public var sizeOrType: UInt32
    /// The trailing `u32` words (members, params, values, …).
    public var trailing: [UInt32]

    /// Creates a raw type from its fields.
    public init(nameOffset: UInt32, info: UInt32, sizeOrType: UInt32, trailing: [UInt32] = []) {
        self.nameOffset = nameOffset
        self.info = info
        self.sizeOrType = sizeOrType
        self.trailing = trailing
    }

    /// Creates a raw type of `kind`, building `info` like `BTF_INFO_ENC(kind, kind_flag, vlen)`.
    public init(kind: BTFKind, nameOffset: UInt32 = 0, kindFlag: Bool = false, vlen: Int = 0,
                sizeOrType: UInt32, trailing: [UInt32] = []) {
        self.init(nameOffset: nameOffset, info: Self.info(kind: kind, kindFlag: kindFlag, vlen: vlen),
                  sizeOrType: sizeOrType, trailing: trailing)
    }

    /// `BTF_INFO_ENC(kind, kind_flag, vlen)`.
    public static func info(kind: BTFKind, kindFlag: Bool, vlen: Int) -> UInt32 {
        (kindFlag ? 1 << 31 : 0) | UInt32(kind.rawValue) << 24 | UInt32(truncatingIfNeeded: vlen) & 0xffff
    }

    /// `BTF_INFO_KIND(info)`; `nil` for a kind number this library does not know.
    public var kind: BTFKind? { BTFKind(rawValue: UInt8((info >> 24) & 0x1f)) }
    /// `BTF_INFO_VLEN(info)`: the number of members, params, values or variables.
    public var vlen: Int { Int(info & 0xffff) }
    /// `BTF_INFO_KFLAG(info)`.
    public var kindFlag: Bool { info >> 31 != 0 }
    /// The encoded size in bytes: 12 plus 4 per trailing word.
    public var encodedSize: Int { Self.headerSize + 4 * trailing.count }
}

/// Mirrors `struct btf_array` (the trailing data of `BTF_KIND_ARRAY`).
public struct BTFRawArray: Sendable, Equatable {
    /// `type`: the element type.
    public var elementType: BTFTypeID
    /// `index_type`: the index type (clang emits `__ARRAY_SIZE_TYPE__`).
    public var indexType: BTFTypeID
    /// `nelems`: the number of elements.
    public var count: UInt32
    /// Creates the record from its fields.
    public init(elementType: BTFTypeID, indexType: BTFTypeID, count: UInt32) {
        self.elementType = elementType; self.indexType = indexType; self.count = count
    }
    /// The record's three words.
    public var words: [UInt32] { [elementType, indexType, count] }
}

/// Mirrors `struct btf_member` (STRUCT/UNION members; also the layout of
/// `struct btf_var_secinfo` and `struct btf_enum64`: three `u32`s).
public struct BTFRawMember: Sendable, Equatable {
    /// `name_off`.
    public var nameOffset: UInt32
    /// `type`.
    public var type: BTFTypeID
    /// `offset`: the bit offset, or with the parent's `kind_flag` set,
    /// `BTF_MEMBER_BITFIELD_SIZE` (bits 24–31) and `BTF_MEMBER_BIT_OFFSET` (bits 0–23).
    public var offset: UInt32
    /// Creates the record from its fields.
    public init(nameOffset: UInt32, type: BTFTypeID, offset: UInt32) {
        self.nameOffset = nameOffset; self.type = type; self.offset = offset
    }
    /// The record's three words.
    public var words: [UInt32] { [nameOffset, type, offset] }
}

/// Mirrors `struct btf_enum` (ENUM values: `name_off`, `s32 val`).
public struct BTFRawEnum: Sendable, Equatable {
    /// `name_off`.
    public var nameOffset: UInt32
    /// `val`, as its 32 bits (signed or unsigned per the parent's `kind_flag`).
    public var value: UInt32
    /// Creates the record from its fields.
    public init(nameOffset: UInt32, value: UInt32) { self.nameOffset = nameOffset; self.value = value }
    /// The record's two words.
    public var words: [UInt32] { [nameOffset, value] }
}

/// Mirrors `struct btf_enum64` (ENUM64 values: `name_off`, `val_lo32`, `val_hi32`).
public struct BTFRawEnum64: Sendable, Equatable {
    /// `name_off`.
    public var nameOffset: UInt32
    /// `val_lo32`.
    public var low: UInt32
    /// `val_hi32`.
    public var high: UInt32
    /// Creates the record from its fields.
    public init(nameOffset: UInt32, low: UInt32, high: UInt32) {
        self.nameOffset = nameOffset; self.low = low; self.high = high
    }
    /// The record's three words.
    public var words: [UInt32] { [nameOffset, low, high] }
}

/// Mirrors `struct btf_param` (FUNC_PROTO parameters: `name_off`, `type`).
public struct BTFRawParam: Sendable, Equatable {
    /// `name_off`.
    public var nameOffset: UInt32
    /// `type`; 0 in the last parameter with no name means `...` (variadic).
    public var type: BTFTypeID
    /// Creates the record from its fields.
    public init(nameOffset: UInt32, type: BTFTypeID) { self.nameOffset = nameOffset; self.type = type }
    /// The record's two words.
    public var words: [UInt32] { [nameOffset, type] }
}

/// Mirrors `struct btf_var_secinfo` (DATASEC entries: `type`, `offset`, `size`).
public struct BTFRawVarSecInfo: Sendable, Equatable {
    /// `type`: the VAR (or FUNC for extern ksyms) placed in the section.
    public var type: BTFTypeID
    /// `offset`: byte offset in the section (clang writes 0; loaders fix it up).
    public var offset: UInt32
    /// `size`: size in bytes of the variable.
    public var size: UInt32
    /// Creates the record from its fields.
    public init(type: BTFTypeID, offset: UInt32, size: UInt32) { self.type = type; self.offset = offset; self.size = size }
    /// The record's three words.
    public var words: [UInt32] { [type, offset, size] }
}
