/// A symbol the object uses but does not define (`SHN_UNDEF`), resolved by the loader from the
/// running kernel: `__kconfig` values, `__ksym` variables and kfuncs.
public struct ExternSpec: Sendable, Equatable {
    /// What kind of extern it is.
    public enum Kind: String, Sendable, Equatable, Codable {
        /// A `__kconfig` variable (in the BTF `DATASEC` `.kconfig`): a kernel config value.
        case kconfig
        /// A `__ksym` variable (in the BTF `DATASEC` `.ksyms`): a kernel variable's address.
        case ksym
        /// A `__ksym` function called from BPF: a kernel function (kfunc).
        case kfunc
        /// Undefined and not described by BTF (e.g. clang's unused `__bpf_trap`).
        case unknown
    }

    /// The symbol name.
    public var name: String
    /// Its kind.
    public var kind: Kind
    /// True for `__weak` externs, which may stay unresolved (value 0).
    public var isWeak: Bool
    /// True when an instruction refers to it.
    public var isUsed: Bool
    /// The BTF `VAR` or `FUNC` type id describing it, or 0.
    public var btfTypeID: UInt32
}
