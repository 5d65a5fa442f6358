/// A map key or value read through its BTF type: the bytes a `BPF_MAP_LOOKUP_ELEM` returns,
/// shown the way a person thinks of them (numbers, names, members, strings).
///
/// One case per shape a BTF type can give a value (`linux/btf.h` kinds after typedefs and
/// qualifiers are followed):
/// - `BTF_KIND_INT` → ``unsigned(_:bits:)``, ``signed(_:bits:)`` or ``bool(_:)`` (`BTF_INT_BOOL`);
///   a bitfield is an integer whose `bits` is the field width. Integers wider than 64 bits
///   (`__int128`) are ``bytes(_:)``.
/// - `BTF_KIND_ENUM` / `BTF_KIND_ENUM64` → ``enumerator(_:value:)``, with the enumerator name
///   when the number matches one.
/// - `BTF_KIND_STRUCT` / `BTF_KIND_UNION` → ``structure(_:)`` / ``union(_:)``: members in
///   declaration order; anonymous struct/union members keep an empty name (the text and
///   JSON forms show their members inline, as C lets you name them).
/// - `BTF_KIND_ARRAY` → ``array(_:)``, or ``string(_:)`` for a `char[N]` holding NUL-terminated
///   printable text.
/// - `BTF_KIND_PTR` → ``pointer(_:)`` (the address); `BTF_KIND_FLOAT` → ``float(bits:size:)``.
/// - `BTF_KIND_DATASEC` (a global-data map's value) → ``structure(_:)`` of its variables.
///
/// Decode with ``decode(bytes:type:btf:order:)``, parse what a person typed with
/// ``encode(text:type:btf:order:)``, print with ``text(hexIntegers:)`` or ``jsonText``.
public enum BTFValue: Sendable, Equatable {
    /// An unsigned integer of `bits` bits (the type's size × 8, or a bitfield's width).
    case unsigned(UInt64, bits: Int)
    /// A signed integer (`BTF_INT_SIGNED`) of `bits` bits.
    case signed(Int64, bits: Int)
    /// A `_Bool` (`BTF_INT_BOOL`) holding 0 or 1. Other byte values decode as ``unsigned(_:bits:)``.
    case bool(Bool)
    /// A `char[N]` array that holds printable ASCII text followed by NUL bytes only.
    case string(String)
    /// An enum value (`BTF_KIND_ENUM`/`ENUM64`): the matching enumerator's name, if any, and
    /// the number as ``signed(_:bits:)`` or ``unsigned(_:bits:)`` (per the enum's `kind_flag`).
    indirect case enumerator(String?, value: BTFValue)
    /// A struct's members (or a DATASEC's variables) in declaration order.
    case structure([Member])
    /// A union's members; every member reads the same bytes.
    case union([Member])
    /// An array's elements in index order.
    case array([BTFValue])
    /// A pointer (`BTF_KIND_PTR`): the address it holds.
    case pointer(UInt64)
    /// A floating-point value (`BTF_KIND_FLOAT`) of 4 or 8 bytes, as its bit pattern.
    case float(bits: UInt64, size: Int)
    /// Bytes in memory order, for what has no friendlier form (integers over 64 bits, floats
    /// other than 4 or 8 bytes, values without BTF).
    case bytes([UInt8])

    /// A named member of a struct or union (`struct btf_member`) with its decoded value.
    /// The name is empty for an anonymous struct or union member.
    public struct Member: Sendable, Equatable {
        /// The member's name, `""` for an anonymous struct/union.
        public var name: String
        /// The member's value.
        public var value: BTFValue
        /// Creates a member.
        public init(name: String, value: BTFValue) { self.name = name; self.value = value }
    }
}

extension BTFValue {
    /// The most values one decode may produce (struct members, array elements, …): bounds the
    /// work an odd type (an array of a zero-sized struct with a huge count) can cause.
    public static let maxValueCount = 1 << 20
    /// The deepest nesting of structs/arrays followed.
    public static let maxDepth = 64
    /// The largest value, in bytes, ``encode(text:type:btf:order:)`` builds.
    public static let maxEncodedSize = 1 << 26

    /// The members of a struct or union (`nil` for other values).
    public var members: [Member]? {
        switch self {
        case let .structure(members), let .union(members): members
        default: nil
        }
    }

    /// The member named `name`, looking inside anonymous struct/union members as C does
    /// (`iph.saddr` although `saddr` sits in an anonymous union).
    public func member(_ name: String) -> BTFValue? {
        guard let members else { return nil }
        for member in members {
            if member.name == name { return member.value }
            if member.name.isEmpty, let inner = member.value.member(name) { return inner }
        }
        return nil
    }

    /// The element at `index` of an array (`nil` for other values or out of range).
    public subscript(index: Int) -> BTFValue? {
        guard case let .array(elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The value as an unsigned number: integers, bools, enums and pointers (a negative
    /// number gives its two's complement bit pattern); `nil` for other values.
    public var unsignedValue: UInt64? {
        switch self {
        case let .unsigned(value, _): value
        case let .signed(value, _): UInt64(bitPattern: value)
        case let .bool(value): value ? 1 : 0
        case let .enumerator(_, value): value.unsignedValue
        case let .pointer(address): address
        default: nil
        }
    }

    /// The value as a signed number: integers, bools and enums (an unsigned number above
    /// `Int64.max` gives `nil`); `nil` for other values.
    public var signedValue: Int64? {
        switch self {
        case let .unsigned(value, _): Int64(exactly: value)
        case let .signed(value, _): value
        case let .bool(value): value ? 1 : 0
        case let .enumerator(_, value): value.signedValue
        default: nil
        }
    }

    /// A ``float(bits:size:)`` as a `Double` (`nil` for other values).
    public var doubleValue: Double? {
        guard case let .float(bits, size) = self else { return nil }
        switch size {
        case 4: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
        case 8: return Double(bitPattern: bits)
        default: return nil
        }
    }
}
