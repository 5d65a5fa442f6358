/// An extern symbol the running kernel cannot satisfy, or that is declared in a way the loader
/// does not accept. Always names the extern, e.g. `extern CONFIG_FOO (kconfig): not set in
/// the kernel config`.
public struct ExternError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Error, Equatable, Sendable {
        /// A strong (non-`__weak`) extern that `source` does not provide (`"the kernel
        /// config"`, `"/proc/kallsyms"`, `"vmlinux BTF"`).
        case notFound(source: String)
        /// A `__kconfig` extern whose C type is not bool, tristate, char, a 1/2/4/8-byte
        /// integer or a char array (the BTF type is described).
        case unsupportedType(String)
        /// The config value does not fit the extern's type (e.g. `m` for a `bool`, a number
        /// for a string, text that is not a number).
        case invalidValue(value: String, reason: String)
        /// The number does not fit the extern's size.
        case valueOutOfRange(value: String, size: Int)
        /// A strong `LINUX_*` extern the loader does not compute (only
        /// `LINUX_KERNEL_VERSION` is known).
        case unknownVirtual
        /// A `__kconfig` extern whose name starts neither with `CONFIG_` nor `LINUX_`.
        case unrecognizedName
        /// The release string does not start with `major.minor.patch`.
        case badRelease(String)
        /// The object's type and the kernel's type of the symbol differ (both described).
        case incompatibleType(local: String, kernel: String)
        /// A typed ksym or a kfunc, but no kernel BTF was given.
        case noKernelBTF
        /// The object has no BTF describing the extern, or its BTF entry is malformed.
        case notDescribed(String)
        /// An undefined symbol that is neither kconfig, ksym nor kfunc but is used by code.
        case unknownKind
    }

    /// The extern's name.
    public var name: String
    /// Its kind as the object declares it.
    public var kind: ExternSpec.Kind
    /// What went wrong.
    public var reason: Reason

    /// Creates an error about extern `name`.
    public init(name: String, kind: ExternSpec.Kind, reason: Reason) {
        self.name = name
        self.kind = kind
        self.reason = reason
    }

    /// `extern NAME (kind): what went wrong`.
    public var description: String {
        let what: String
        switch reason {
        case let .notFound(source): what = "not found in \(source) (and not __weak)"
        case let .unsupportedType(type): what = "type \(type) is not supported for __kconfig"
        case let .invalidValue(value, reason): what = "value '\(value)': \(reason)"
        case let .valueOutOfRange(value, size): what = "value '\(value)' does not fit in \(size) byte\(size == 1 ? "" : "s")"
        case .unknownVirtual: what = "unknown LINUX_ extern (only LINUX_KERNEL_VERSION is provided)"
        case .unrecognizedName: what = "__kconfig externs must be named CONFIG_* or LINUX_*"
        case let .badRelease(release): what = "cannot derive a version from kernel release '\(release)'"
        case let .incompatibleType(local, kernel): what = "object declares \(local), kernel has \(kernel)"
        case .noKernelBTF: what = "needs the kernel BTF (/sys/kernel/btf/vmlinux)"
        case let .notDescribed(detail): what = detail
        case .unknownKind: what = "undefined symbol is neither __kconfig, __ksym nor a kfunc"
        }
        return "extern \(name) (\(kind.rawValue)): \(what)"
    }
}
