/// Whether the type an object declares for a kernel symbol matches the kernel's type, with
/// the relaxed rules libbpf uses for `__ksym` variables and kfuncs
/// (`bpf_core_types_are_compat`): typedefs and qualifiers are looked through; kinds must
/// match (ENUM and ENUM64 count as one); structs, unions, enums and forward declarations
/// match by kind alone; integers match unless one is a bitfield-like integer (non-zero bit
/// offset); pointers and arrays match when their targets do; function prototypes need the
/// same number of parameters, each matching, and a matching return type.
enum BTFCompatibility {
    /// How deep pointers, arrays and nested prototypes are followed.
    static let maxDepth = 32

    /// True when `localID` in `local` is compatible with `kernelID` in `kernel`.
    static func areCompatible(local: BTF, _ localID: BTFTypeID, kernel: BTF, _ kernelID: BTFTypeID,
                              level: Int = maxDepth) -> Bool {
        var localID = localID
        var kernelID = kernelID
        for _ in 0..<maxDepth {
            guard let l = local.resolve(localID), let k = kernel.resolve(kernelID) else { return false }
            localID = l
            kernelID = k
            let localKind = local.kind(of: l)
            let kernelKind = kernel.kind(of: k)
            guard sameKind(localKind, kernelKind) else { return false }
            switch local.type(l) {
            case .void?, .structure?, .union?, .enumeration?, .enum64?, .forward?:
                return true
            case let .int(localInt)?:
                guard case let .int(kernelInt)? = kernel.type(k) else { return false }
                return localInt.bitOffset == 0 && kernelInt.bitOffset == 0
            case let .pointer(target)?:
                localID = target
                kernelID = kernel.sizeOrType(of: k)
            case let .array(array)?:
                guard let kernelArray = kernel.array(k) else { return false }
                localID = array.elementType
                kernelID = kernelArray.elementType
            case let .functionProto(proto)?:
                let kernelParameters = kernel.parameters(of: k)
                guard proto.parameters.count == kernelParameters.count else { return false }
                for (mine, theirs) in zip(proto.parameters, kernelParameters) {
                    guard level > 0,
                          areCompatible(local: local, mine.type, kernel: kernel, theirs.type, level: level - 1) else {
                        return false
                    }
                }
                localID = proto.returnType
                kernelID = kernel.sizeOrType(of: k)
            default:
                return false
            }
        }
        return false
    }

    /// Kinds that may match: equal, or ENUM against ENUM64.
    private static func sameKind(_ a: BTFKind, _ b: BTFKind) -> Bool {
        if a == b { return true }
        let enums: Set<BTFKind> = [.enumeration, .enum64]
        return enums.contains(a) && enums.contains(b)
    }
}
