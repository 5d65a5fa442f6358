/// A BTF type id: an index into a ``BTF`` type list. Id 0 is `void` and is never stored.
///
/// Mirrors the `__u32 type` / `type_id` fields of the structures in `linux/btf.h`.
public typealias BTFTypeID = UInt32

/// The kind of a BTF type, bits 24–28 of `btf_type.info`. Mirrors `BTF_KIND_*` in `linux/btf.h`.
public enum BTFKind: UInt8, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// `BTF_KIND_UNKN` (0): only ever the implicit `void` type with id 0.
    case unknown = 0
    /// `BTF_KIND_INT`: an integer, followed by one `u32` (encoding, bit offset, bit count).
    case int = 1
    /// `BTF_KIND_PTR`: a pointer to `type`.
    case pointer = 2
    /// `BTF_KIND_ARRAY`: followed by `struct btf_array`.
    case array = 3
    /// `BTF_KIND_STRUCT`: followed by `vlen` × `struct btf_member`.
    case structure = 4
    /// `BTF_KIND_UNION`: followed by `vlen` × `struct btf_member`.
    case union = 5
    /// `BTF_KIND_ENUM`: followed by `vlen` × `struct btf_enum` (32-bit values).
    case enumeration = 6
    /// `BTF_KIND_FWD`: a forward declaration; `kind_flag` set means `union`, else `struct`.
    case forward = 7
    /// `BTF_KIND_TYPEDEF`: a name for `type`.
    case typedef = 8
    /// `BTF_KIND_VOLATILE`: `volatile type`.
    case volatile = 9
    /// `BTF_KIND_CONST`: `const type`.
    case const = 10
    /// `BTF_KIND_RESTRICT`: `restrict type`.
    case restrict = 11
    /// `BTF_KIND_FUNC`: a function; `type` is its `FUNC_PROTO`, `vlen` its linkage.
    case function = 12
    /// `BTF_KIND_FUNC_PROTO`: a function signature; `type` is the return type, followed by
    /// `vlen` × `struct btf_param`.
    case functionProto = 13
    /// `BTF_KIND_VAR`: a variable of `type`, followed by `struct btf_var` (linkage).
    case variable = 14
    /// `BTF_KIND_DATASEC`: an ELF data section, followed by `vlen` × `struct btf_var_secinfo`.
    case dataSection = 15
    /// `BTF_KIND_FLOAT`: a floating-point type of `size` bytes.
    case float = 16
    /// `BTF_KIND_DECL_TAG`: a `btf_decl_tag` attribute, followed by `struct btf_decl_tag`.
    case declTag = 17
    /// `BTF_KIND_TYPE_TAG`: a `btf_type_tag` attribute on `type`.
    case typeTag = 18
    /// `BTF_KIND_ENUM64`: followed by `vlen` × `struct btf_enum64` (64-bit values).
    case enum64 = 19

    /// The name `bpftool` prints (`"INT"`, `"FUNC_PROTO"`, …; `"UNKNOWN"` for kind 0).
    public var description: String {
        switch self {
        case .unknown: "UNKNOWN"
        case .int: "INT"
        case .pointer: "PTR"
        case .array: "ARRAY"
        case .structure: "STRUCT"
        case .union: "UNION"
        case .enumeration: "ENUM"
        case .forward: "FWD"
        case .typedef: "TYPEDEF"
        case .volatile: "VOLATILE"
        case .const: "CONST"
        case .restrict: "RESTRICT"
        case .function: "FUNC"
        case .functionProto: "FUNC_PROTO"
        case .variable: "VAR"
        case .dataSection: "DATASEC"
        case .float: "FLOAT"
        case .declTag: "DECL_TAG"
        case .typeTag: "TYPE_TAG"
        case .enum64: "ENUM64"
        }
    }

    /// The number of `u32` words that follow the 12-byte `struct btf_type` for a type of this
    /// kind with `vlen` entries (e.g. `struct btf_member` is 3 words, `struct btf_param` 2).
    public func trailingWordCount(vlen: Int) -> Int {
        Self.trailingWordCount(kindBits: UInt32(rawValue), vlen: vlen)
    }

    /// True for the kinds whose `btf_type.size_or_type` is a type id (not a size).
    public var referencesType: Bool { (Self.referencingKindBits >> UInt32(rawValue)) & 1 == 1 }

    // The same facts by kind number, for the BTF reader's walk over raw `info` words (a
    // kernel has 130k types: no enum is built per type there). The properties above are
    // defined from these, so the two cannot disagree.

    /// The largest kind number this library knows (`BTF_KIND_ENUM64`).
    static var largestKindBits: UInt32 { UInt32(BTFKind.enum64.rawValue) }

    /// Bit `k` is set when kind `k`'s `size_or_type` word is a type id: PTR 2, TYPEDEF 8,
    /// VOLATILE 9, CONST 10, RESTRICT 11, FUNC 12, FUNC_PROTO 13, VAR 14, DECL_TAG 17,
    /// TYPE_TAG 18.
    static let referencingKindBits: UInt32 = 1 << 2 | 1 << 8 | 1 << 9 | 1 << 10 | 1 << 11 | 1 << 12
        | 1 << 13 | 1 << 14 | 1 << 17 | 1 << 18

    /// The number of 32-bit words that follow the 3-word `struct btf_type` of kind number
    /// `kindBits` (0 for kind numbers without trailing data or unknown ones).
    @inline(__always)
    static func trailingWordCount(kindBits: UInt32, vlen: Int) -> Int {
        switch kindBits {
        case 1, 14, 17: 1            // INT, VAR, DECL_TAG
        case 3: 3                    // ARRAY
        case 4, 5, 15, 19: 3 * vlen  // STRUCT, UNION, DATASEC, ENUM64
        case 6, 13: 2 * vlen         // ENUM, FUNC_PROTO
        default: 0
        }
    }
}

/// The encoding bits of a `BTF_KIND_INT` (bits 24–27 of its trailing word).
/// Mirrors `BTF_INT_SIGNED`, `BTF_INT_CHAR` and `BTF_INT_BOOL` in `linux/btf.h`.
public struct BTFIntEncoding: OptionSet, Sendable, Hashable {
    /// The raw 4-bit encoding value.
    public let rawValue: UInt8
    /// Creates an encoding from its raw bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// `BTF_INT_SIGNED` (1 << 0).
    public static let signed = BTFIntEncoding(rawValue: 1)
    /// `BTF_INT_CHAR` (1 << 1).
    public static let char = BTFIntEncoding(rawValue: 2)
    /// `BTF_INT_BOOL` (1 << 2).
    public static let bool = BTFIntEncoding(rawValue: 4)
}

/// The linkage of a `BTF_KIND_FUNC`, stored in its `vlen`. Mirrors `enum btf_func_linkage`.
public enum BTFFunctionLinkage: UInt16, Sendable, Equatable {
    /// `BTF_FUNC_STATIC`.
    case `static` = 0
    /// `BTF_FUNC_GLOBAL`.
    case global = 1
    /// `BTF_FUNC_EXTERN`.
    case external = 2
}

/// The linkage of a `BTF_KIND_VAR` (`struct btf_var.linkage`). Mirrors the anonymous enum
/// `BTF_VAR_STATIC`, `BTF_VAR_GLOBAL_ALLOCATED`, `BTF_VAR_GLOBAL_EXTERN` in `linux/btf.h`.
public enum BTFVariableLinkage: UInt32, Sendable, Equatable {
    /// `BTF_VAR_STATIC`.
    case `static` = 0
    /// `BTF_VAR_GLOBAL_ALLOCATED`.
    case global = 1
    /// `BTF_VAR_GLOBAL_EXTERN`.
    case external = 2
}
