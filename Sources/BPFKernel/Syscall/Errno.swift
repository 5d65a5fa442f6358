import Glibc

/// A Linux `errno` value as a typed error, with its symbolic name (`EPERM`) and the C
/// library's text (`Operation not permitted`).
///
/// Mirrors the constants of `asm-generic/errno-base.h` and `asm-generic/errno.h` (plus the
/// kernel-internal `ENOTSUPP` = 524, which `bpf()` can leak to user space).
///
/// ```swift
/// catch let error as BPFError where error.errno == .EPERM { … }
/// ```
public struct Errno: Error, RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The positive errno number.
    public let rawValue: Int32

    /// Wraps an errno number.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The calling thread's current `errno` (read right after a failed libc call).
    public static var current: Errno { Errno(rawValue: Glibc.errno) }

    /// The symbolic name, e.g. `"EPERM"`, or `"errno 200"` for numbers without a name here.
    public var name: String { Errno.names[rawValue] ?? "errno \(rawValue)" }

    /// The C library's description (`strerror`), e.g. `"Operation not permitted"`.
    public var message: String {
        if self == .ENOTSUPP { return "Operation is not supported" }
        guard let text = strerror(rawValue) else { return "Unknown error \(rawValue)" }
        return String(cString: text)
    }

    /// `"EPERM: Operation not permitted"`.
    public var description: String { "\(name): \(message)" }
}

extension Errno {
    /// `EPERM` (1): operation not permitted (missing capability, frozen map, …).
    public static let EPERM = Errno(rawValue: 1)
    /// `ENOENT` (2): no such file or entry (map key, object id, bpffs path).
    public static let ENOENT = Errno(rawValue: 2)
    /// `ESRCH` (3): no such process.
    public static let ESRCH = Errno(rawValue: 3)
    /// `EINTR` (4): interrupted system call (the syscall layer retries it).
    public static let EINTR = Errno(rawValue: 4)
    /// `EIO` (5): input/output error.
    public static let EIO = Errno(rawValue: 5)
    /// `ENXIO` (6): no such device or address.
    public static let ENXIO = Errno(rawValue: 6)
    /// `E2BIG` (7): argument list too long (attr larger than the kernel knows, too many insns).
    public static let E2BIG = Errno(rawValue: 7)
    /// `EBADF` (9): bad file descriptor.
    public static let EBADF = Errno(rawValue: 9)
    /// `EAGAIN` (11): try again (`BPF_PROG_LOAD` can return it spuriously).
    public static let EAGAIN = Errno(rawValue: 11)
    /// `ENOMEM` (12): out of memory (or memlock limit on kernels before 5.11).
    public static let ENOMEM = Errno(rawValue: 12)
    /// `EACCES` (13): permission denied (also: the verifier rejected the program).
    public static let EACCES = Errno(rawValue: 13)
    /// `EFAULT` (14): bad address.
    public static let EFAULT = Errno(rawValue: 14)
    /// `EBUSY` (16): device or resource busy.
    public static let EBUSY = Errno(rawValue: 16)
    /// `EEXIST` (17): already exists (map key with `BPF_NOEXIST`, pinned path, attached program).
    public static let EEXIST = Errno(rawValue: 17)
    /// `EXDEV` (18): cross-device link.
    public static let EXDEV = Errno(rawValue: 18)
    /// `ENODEV` (19): no such device (bad ifindex).
    public static let ENODEV = Errno(rawValue: 19)
    /// `ENOTDIR` (20): not a directory.
    public static let ENOTDIR = Errno(rawValue: 20)
    /// `EISDIR` (21): is a directory.
    public static let EISDIR = Errno(rawValue: 21)
    /// `EINVAL` (22): invalid argument.
    public static let EINVAL = Errno(rawValue: 22)
    /// `ENFILE` (23): too many open files in the system.
    public static let ENFILE = Errno(rawValue: 23)
    /// `EMFILE` (24): too many open files in this process.
    public static let EMFILE = Errno(rawValue: 24)
    /// `ENOTTY` (25): inappropriate ioctl for device.
    public static let ENOTTY = Errno(rawValue: 25)
    /// `EFBIG` (27): file too large.
    public static let EFBIG = Errno(rawValue: 27)
    /// `ENOSPC` (28): no space left (verifier log buffer too small, map full).
    public static let ENOSPC = Errno(rawValue: 28)
    /// `EROFS` (30): read-only file system.
    public static let EROFS = Errno(rawValue: 30)
    /// `EPIPE` (32): broken pipe.
    public static let EPIPE = Errno(rawValue: 32)
    /// `ERANGE` (34): result out of range.
    public static let ERANGE = Errno(rawValue: 34)
    /// `ENAMETOOLONG` (36): file name too long.
    public static let ENAMETOOLONG = Errno(rawValue: 36)
    /// `ENOSYS` (38): function not implemented (no `bpf()` in this kernel).
    public static let ENOSYS = Errno(rawValue: 38)
    /// `ENOTEMPTY` (39): directory not empty.
    public static let ENOTEMPTY = Errno(rawValue: 39)
    /// `ELOOP` (40): too many levels of symbolic links.
    public static let ELOOP = Errno(rawValue: 40)
    /// `ENODATA` (61): no data available.
    public static let ENODATA = Errno(rawValue: 61)
    /// `EOVERFLOW` (75): value too large for defined data type.
    public static let EOVERFLOW = Errno(rawValue: 75)
    /// `EBADMSG` (74): bad message.
    public static let EBADMSG = Errno(rawValue: 74)
    /// `ENOTSOCK` (88): socket operation on non-socket.
    public static let ENOTSOCK = Errno(rawValue: 88)
    /// `EMSGSIZE` (90): message too long.
    public static let EMSGSIZE = Errno(rawValue: 90)
    /// `EPROTONOSUPPORT` (93): protocol not supported.
    public static let EPROTONOSUPPORT = Errno(rawValue: 93)
    /// `EOPNOTSUPP` (95): operation not supported (e.g. native XDP on this driver).
    public static let EOPNOTSUPP = Errno(rawValue: 95)
    /// `EAFNOSUPPORT` (97): address family not supported.
    public static let EAFNOSUPPORT = Errno(rawValue: 97)
    /// `EADDRINUSE` (98): address already in use.
    public static let EADDRINUSE = Errno(rawValue: 98)
    /// `EADDRNOTAVAIL` (99): cannot assign requested address.
    public static let EADDRNOTAVAIL = Errno(rawValue: 99)
    /// `ENETDOWN` (100): network is down.
    public static let ENETDOWN = Errno(rawValue: 100)
    /// `ENOBUFS` (105): no buffer space available.
    public static let ENOBUFS = Errno(rawValue: 105)
    /// `ETIMEDOUT` (110): connection timed out.
    public static let ETIMEDOUT = Errno(rawValue: 110)
    /// `ECONNREFUSED` (111): connection refused.
    public static let ECONNREFUSED = Errno(rawValue: 111)
    /// `ENOTSUPP` (524): the kernel-internal "not supported" that `bpf()` returns for some
    /// unsupported features; it has no libc name.
    public static let ENOTSUPP = Errno(rawValue: 524)

    /// Number → symbolic name for the values declared above.
    static let names: [Int32: String] = [
        1: "EPERM", 2: "ENOENT", 3: "ESRCH", 4: "EINTR", 5: "EIO", 6: "ENXIO", 7: "E2BIG",
        9: "EBADF", 11: "EAGAIN", 12: "ENOMEM", 13: "EACCES", 14: "EFAULT", 16: "EBUSY",
        17: "EEXIST", 18: "EXDEV", 19: "ENODEV", 20: "ENOTDIR", 21: "EISDIR", 22: "EINVAL",
        23: "ENFILE", 24: "EMFILE", 25: "ENOTTY", 27: "EFBIG", 28: "ENOSPC", 30: "EROFS",
        32: "EPIPE", 34: "ERANGE", 36: "ENAMETOOLONG", 38: "ENOSYS", 39: "ENOTEMPTY",
        40: "ELOOP", 61: "ENODATA", 74: "EBADMSG", 75: "EOVERFLOW", 88: "ENOTSOCK",
        90: "EMSGSIZE", 93: "EPROTONOSUPPORT", 95: "EOPNOTSUPP", 97: "EAFNOSUPPORT",
        98: "EADDRINUSE", 99: "EADDRNOTAVAIL", 100: "ENETDOWN", 105: "ENOBUFS",
        110: "ETIMEDOUT", 111: "ECONNREFUSED", 524: "ENOTSUPP",
    ]
}
