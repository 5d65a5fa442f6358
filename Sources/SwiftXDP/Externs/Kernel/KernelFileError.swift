/// A failure to read what the running kernel publishes about itself: its config
/// (`/proc/config.gz`), its symbols (`/proc/kallsyms`) or its BTF (`/sys/kernel/btf/vmlinux`).
public enum KernelFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `open(2)`/`read(2)` of `path` failed.
    case unreadable(path: String, errno: Errno)
    /// `path` was read but its contents are malformed (the parse error says where).
    case malformed(path: String, ParseError)
    /// None of the places where `what` may live exists.
    case notFound(what: String, tried: [String])
    /// `/proc/kallsyms` lists `name` at two different addresses (libbpf refuses this too).
    case ambiguousSymbol(name: String, first: UInt64, second: UInt64)
    /// `/proc/kallsyms` shows every address as 0: the reader lacks `CAP_SYSLOG`, or
    /// `kernel.kptr_restrict` hides them.
    case addressesHidden(path: String)
    /// The file is larger than the reader accepts.
    case tooLarge(path: String, limit: Int)

    /// The errno of an `.unreadable` error, else nil.
    public var errno: Errno? {
        if case let .unreadable(_, code) = self { return code }
        return nil
    }

    /// What failed and where, e.g. `cannot read /proc/kallsyms: EACCES: Permission denied`.
    public var description: String {
        switch self {
        case let .unreadable(path, code):
            "cannot read \(path): \(code)"
        case let .malformed(path, error):
            "\(path): \(error)"
        case let .notFound(what, tried):
            "no \(what) found (tried \(tried.joined(separator: ", ")))"
        case let .ambiguousSymbol(name, first, second):
            "kernel symbol '\(name)' is ambiguous: 0x\(String(first, radix: 16)) or 0x\(String(second, radix: 16))"
        case let .addressesHidden(path):
            "\(path) shows no addresses (needs root/CAP_SYSLOG, or kernel.kptr_restrict hides them)"
        case let .tooLarge(path, limit):
            "\(path) is larger than \(limit) bytes"
        }
    }
}
