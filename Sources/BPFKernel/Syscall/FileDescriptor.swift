import Glibc
import Synchronization

/// An owned file descriptor: closed exactly once, either by ``close()`` or when the last
/// reference goes away.
///
/// Every descriptor it owns
/// - is at least 3: the kernel can hand out 0, 1 or 2 when a process closed its standard
///   streams, and such a descriptor would later be mistaken for stdin/stdout/stderr, so it
///   is moved up with `fcntl(F_DUPFD_CLOEXEC, 3)` and the low number closed;
/// - has `FD_CLOEXEC` set (`bpf()` descriptors already do; others are fixed up on adoption).
///
/// After ``close()``, ``rawValue`` is -1, so a later use fails with `EBADF` instead of
/// touching whatever object got the old number.
public final class FileDescriptor: Sendable, CustomStringConvertible {
    /// The descriptor number, or -1 once closed.
    private let value: Atomic<Int32>

    /// Takes ownership of `raw` (a descriptor just returned by the kernel).
    ///
    /// On failure `raw` is closed and the error returned, so the caller never leaks it.
    public convenience init(adopting raw: Int32) throws(Errno) {
        try self.init(adopting: raw, lowest: FileDescriptor.lowestOwned)
    }

    /// The smallest number an owned descriptor may have (above stdin, stdout, stderr).
    public static let lowestOwned: Int32 = 3

    /// ``init(adopting:)`` with a configurable floor, so tests can exercise the move without
    /// closing the process's standard streams.
    init(adopting raw: Int32, lowest: Int32) throws(Errno) {
        guard raw >= 0 else { throw .EBADF }
        var fd = raw
        if fd < lowest {
            let moved = fcntl(fd, F_DUPFD_CLOEXEC, lowest)
            let error = Errno.current
            _ = Glibc.close(fd)
            guard moved >= 0 else { throw error }
            fd = moved
        } else {
            let flags = fcntl(fd, F_GETFD)
            if flags < 0 || (flags & FD_CLOEXEC == 0 && fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0) {
                let error = Errno.current
                _ = Glibc.close(fd)
                throw error
            }
        }
        value = Atomic(fd)
    }

    /// The descriptor number, or -1 once closed.
    public var rawValue: Int32 { value.load(ordering: .acquiring) }

    /// True once ``close()`` has run.
    public var isClosed: Bool { rawValue < 0 }

    /// Closes the descriptor now; later calls do nothing.
    public func close() {
        let fd = value.exchange(-1, ordering: .acquiringAndReleasing)
        // close(2) releases the number even when it reports EINTR; never retry it.
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    /// A second, independently owned descriptor for the same kernel object
    /// (`fcntl(F_DUPFD_CLOEXEC, 3)`).
    public func duplicate() throws(Errno) -> FileDescriptor {
        let fd = fcntl(rawValue, F_DUPFD_CLOEXEC, FileDescriptor.lowestOwned)
        guard fd >= 0 else { throw Errno.current }
        return try FileDescriptor(adopting: fd)
    }

    /// `"fd 7"` or `"fd (closed)"`.
    public var description: String {
        let fd = rawValue
        return fd >= 0 ? "fd \(fd)" : "fd (closed)"
    }

    deinit { close() }
}

extension FileDescriptor {
    /// How many descriptors this process has open right now, counted from `/proc/self/fd`.
    ///
    /// For leak tests: compare before and after. The directory stream used to count is
    /// itself excluded.
    public static func openCount() throws(Errno) -> Int {
        guard let dir = opendir("/proc/self/fd") else { throw Errno.current }
        defer { closedir(dir) }
        var count = 0
        while let entry = readdir(dir) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { $0.first == UInt8(ascii: ".") }
            if !isDot { count += 1 }
        }
        // The open directory stream shows up in its own listing.
        return count - 1
    }
}
