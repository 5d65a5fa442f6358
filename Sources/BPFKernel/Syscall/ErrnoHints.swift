extension Errno {
    /// A plain-words hint for the errnos people most often meet when loading BPF programs,
    /// or nil when the name and message say enough.
    ///
    /// ``BPFError`` uses it as the default hint and refines it per command.
    public var hint: String? {
        switch self {
        case .EPERM, .EACCES:
            return "needs CAP_BPF (and CAP_NET_ADMIN / CAP_PERFMON for some program types) or root"
        case .ENOSYS:
            return "this kernel has no bpf() system call (CONFIG_BPF_SYSCALL is off)"
        case .E2BIG:
            return "the kernel does not know some non-zero field sent to it (kernel too old?) or the object is too big"
        case .ENOMEM:
            return "out of memory; kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK"
        case .EINVAL:
            return "the kernel rejected an argument (unsupported type or flag for this kernel?)"
        case .ENOTSUPP, .EOPNOTSUPP:
            return "this kernel, driver or configuration does not support the requested feature"
        case .EMFILE, .ENFILE:
            return "too many open file descriptors; raise RLIMIT_NOFILE or close objects"
        case .ENOSPC:
            return "no room left (buffer too small, or the map is full)"
        case .ENODEV:
            return "no such network device (bad interface index?)"
        case .EBADF:
            return "the file descriptor is closed or is not the expected kind of BPF object"
        default:
            return nil
        }
    }
}
