/// The C types a `__kconfig` extern may have, as libbpf classifies them (`enum kcfg_type`,
/// `find_kcfg_type`): the type decides which config values it accepts and how they are stored.
public enum KconfigType: Sendable, Equatable, CustomStringConvertible {
    /// `bool` (`_Bool`: BTF INT with `BTF_INT_BOOL`, 1 byte): `y` → 1, `n` → 0.
    case bool
    /// `enum libbpf_tristate` (4-byte ENUM or an ENUM64 of that name): `n` → 0 (`TRI_NO`),
    /// `y` → 1 (`TRI_YES`), `m` → 2 (`TRI_MODULE`).
    case tristate
    /// A 1-byte integer (`char`): a number, or the letter `y`/`n`/`m` itself.
    case char(isSigned: Bool)
    /// A 2-, 4- or 8-byte integer: numbers only.
    case integer(size: Int, isSigned: Bool)
    /// An array of `char` (a string option): a `"quoted"` value, stored NUL-terminated.
    case charArray(count: Int)

    /// `TRI_NO`, `TRI_YES`, `TRI_MODULE` of `enum libbpf_tristate` (bpf_helpers.h).
    public enum Tristate: UInt64, Sendable {
        /// `TRI_NO`.
        case no = 0
        /// `TRI_YES`.
        case yes = 1
        /// `TRI_MODULE`.
        case module = 2
    }

    /// Classifies BTF type `id` (typedefs and qualifiers are looked through), or nil for a
    /// type libbpf does not accept for a `__kconfig` extern.
    public init?(btf: BTF, typeID id: BTFTypeID) {
        guard let resolved = btf.resolve(id) else { return nil }
        switch btf.type(resolved) {
        case let .int(int)?:
            if int.encoding.contains(.bool) {
                guard int.size == 1 else { return nil }
                self = .bool
                return
            }
            let signed = int.encoding.contains(.signed)
            switch int.size {
            case 1: self = .char(isSigned: signed)
            case 2, 4, 8: self = .integer(size: Int(int.size), isSigned: signed)
            default: return nil
            }
        case let .enumeration(enumeration)?:
            guard enumeration.size == 4, enumeration.name == "libbpf_tristate" else { return nil }
            self = .tristate
        case let .enum64(enumeration)?:
            guard enumeration.name == "libbpf_tristate" else { return nil }
            self = .tristate
        case let .array(array)?:
            guard array.count > 0, case .char? = KconfigType(btf: btf, typeID: array.elementType) else { return nil }
            self = .charArray(count: Int(array.count))
        default:
            return nil
        }
    }

    /// The C spelling (`bool`, `tristate`, `u32`, `char[8]`).
    public var description: String {
        switch self {
        case .bool: "bool"
        case .tristate: "tristate"
        case let .char(signed): signed ? "char" : "unsigned char"
        case let .integer(size, signed): "\(signed ? "s" : "u")\(size * 8)"
        case let .charArray(count): "char[\(count)]"
        }
    }

    /// The alignment libbpf gives a value of BTF type `id` (`btf__align_of`): integers, enums
    /// and floats align to their size (at most 8), pointers to 8, arrays to their element,
    /// typedefs and qualifiers to what they name. Nil for other kinds (never a kconfig type).
    public static func alignment(btf: BTF, typeID id: BTFTypeID) -> Int? {
        var current = id
        for _ in 0...BTF.maxResolveDepth {
            switch btf.type(current) {
            case let .int(int)?: return min(8, Int(int.size))
            case let .enumeration(value)?, let .enum64(value)?: return min(8, Int(value.size))
            case let .float(_, size)?: return min(8, Int(size))
            case .pointer?: return 8
            case let .typedef(_, next)?, let .volatile(next)?, let .const(next)?, let .restrict(next)?,
                 let .typeTag(_, next)?:
                current = next
            case let .array(array)?:
                current = array.elementType
            default:
                return nil
            }
        }
        return nil
    }
}
