#if canImport(Glibc)
import Glibc
#endif

/// Where a ``HostSettingsRecord`` lives and how it is read and written: a small file under
/// `/run/xdp-lb` (a tmpfs: like the sysctls themselves it does not outlive a reboot), not in
/// bpffs, which `ip netns exec` hides.
extension HostSettingsRecord {
    /// `/run/xdp-lb`.
    public static let defaultRoot = "/run/xdp-lb"
    /// Files larger than this are not records (64 KiB; a real one is a few hundred bytes).
    static let sizeLimit = 64 * 1024

    /// `ROOT/netns-INODE/INTERFACE.sysctl`. Sysctls and interface names belong to a network
    /// namespace, and `/run` is shared by all of them (e.g. the namespaces of
    /// scripts/lab.sh, each with its own `eth0`), so the calling thread's namespace
    /// (`/proc/thread-self/ns/net`) is part of the path.
    public static func path(interface: String, root: String = defaultRoot) -> String {
        var info = stat()
        let namespace = stat("/proc/thread-self/ns/net", &info) == 0 ? "netns-\(info.st_ino)" : "netns-unknown"
        return root + "/" + namespace + "/" + interface + ".sysctl"
    }

    /// The record at `path` for `interface`, or nil if there is no file (a load balancer
    /// started with `--no-sysctl`, one that changed nothing, or one started by an older
    /// xdp-lb). Throws ``LBError/Kind/badHostSettingsRecord(path:reason:)`` if the file
    /// cannot be read or parsed.
    public static func read(from path: String, interface: String) throws(LBError) -> HostSettingsRecord? {
        func bad(_ reason: String) -> LBError { LBError(.badHostSettingsRecord(path: path, reason: reason)) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let error = Errno.current
            if error == .ENOENT { return nil }
            throw bad("cannot open it: \(error)")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if Errno.current == .EINTR { continue }
                throw bad("cannot read it: \(Errno.current)")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= sizeLimit else { throw bad("larger than \(sizeLimit) bytes: not a record of xdp-lb") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw bad("not UTF-8 text") }
        return try HostSettingsRecord(parsing: text, interface: interface, path: path)
    }

    /// Writes the record to `path` atomically (a temporary file in the same directory,
    /// renamed over it), creating the directories. Throws ``LBError`` naming the path.
    public func write(to path: String) throws(LBError) {
        func failed(_ what: String) -> LBError {
            LBError(.other("cannot write \(path) (the sysctl values xdp-lb stop puts back): \(what): \(Errno.current)"))
        }
        guard path.hasPrefix("/"), let slash = path.lastIndex(of: "/") else { throw failed("not an absolute path") }
        let directory = String(path[..<slash])
        try Self.makeDirectories(directory, failed)
        let temporary = path + ".tmp.\(getpid())"
        var fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 && Errno.current == .ENOENT {
            // Another xdp-lb's stop removed the directories, left empty, in between (see
            // ``remove(at:)``): make them again, once.
            try Self.makeDirectories(directory, failed)
            fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        }
        guard fd >= 0 else { throw failed("open \(temporary)") }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0 && Errno.current == .EINTR { continue }
            guard count > 0 else {
                let error = failed("write")
                close(fd)
                unlink(temporary)
                throw error
            }
            offset += count
        }
        let synced = fsync(fd) == 0
        close(fd)
        guard synced, rename(temporary, path) == 0 else {
            let error = failed(synced ? "rename" : "fsync")
            unlink(temporary)
            throw error
        }
    }

    /// Removes the file at `path`, then its namespace directory and the state root above it
    /// when each is left empty (`rmdir` refuses a directory that is not), so a stopped
    /// balancer leaves nothing in `/run`; errors ignored (nothing to remove is fine).
    public static func remove(at path: String) {
        unlink(path)
        var directory = Substring(path)
        for _ in 0..<2 {
            guard let slash = directory.lastIndex(of: "/"), slash != directory.startIndex else { return }
            directory = directory[..<slash]
            guard rmdir(String(directory)) == 0 else { return }
        }
    }

    /// `mkdir -p`, mode 0755.
    private static func makeDirectories(_ path: String, _ failed: (String) -> LBError) throws(LBError) {
        var current = ""
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && Errno.current != .EEXIST { throw failed("mkdir \(current)") }
        }
    }
}
