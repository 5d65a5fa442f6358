import CBPF
import Glibc

/// The BPF file system (bpffs): pinning objects under a path so they outlive the process
/// (`BPF_OBJ_PIN`), opening pinned objects (`BPF_OBJ_GET`), and checking or mounting the file
/// system itself.
public enum BPFFileSystem {
    /// Where bpffs is conventionally mounted.
    public static let defaultMountPoint = "/sys/fs/bpf"

    /// `BPF_FS_MAGIC` in linux/magic.h: `statfs.f_type` of a bpffs mount.
    public static let magic: UInt = 0xcafe_4a11

    /// Pins the object behind `fd` at `path` (which must be on bpffs and not exist yet).
    public static func pin(_ fd: FileDescriptor, at path: String) throws(BPFError) {
        let result = path.withCString { cPath in
            var attr = cbpf_obj_pin_attr()
            attr.pathname = kernelAddress(cPath)
            attr.bpf_fd = UInt32(bitPattern: fd.rawValue)
            return BPFSyscall.perform(.objPin, &attr, fields: { attr in
                [.init("pathname", path), .init("bpf_fd", "\(attr.bpf_fd)")]
            })
        }
        try result.orThrow(.objPin, object: path)
    }

    /// Opens the object pinned at `path`. `flags` is `file_flags` (`BPF_F_RDONLY` = 8,
    /// `BPF_F_WRONLY` = 16 for maps).
    public static func open(at path: String, flags: UInt32 = 0) throws(BPFError) -> FileDescriptor {
        let result = path.withCString { cPath in
            var attr = cbpf_obj_pin_attr()
            attr.pathname = kernelAddress(cPath)
            attr.file_flags = flags
            return BPFSyscall.perform(.objGet, &attr, fields: { attr in
                [.init("pathname", path), .init("file_flags", "\(attr.file_flags)")]
            })
        }
        let raw = try result.orThrow(.objGet, object: path)
        return try FileDescriptor.adopting(raw, from: .objGet, object: path)
    }

    /// True if `path` is the root of, or inside, a mounted bpffs (`statfs` reports
    /// ``magic``). Throws the errno if `path` cannot be examined (e.g. `ENOENT`).
    public static func isMounted(at path: String = defaultMountPoint) throws(Errno) -> Bool {
        var info = statfs()
        guard statfs(path, &info) == 0 else { throw Errno.current }
        return UInt(bitPattern: Int(info.f_type)) == magic
    }

    /// Mounts bpffs at `path` (`mount("bpf", path, "bpf", 0, "mode=0700")`) unless it is
    /// already there. Needs `CAP_SYS_ADMIN`. Returns true if it mounted.
    @discardableResult
    public static func mountIfNeeded(at path: String = defaultMountPoint) throws(Errno) -> Bool {
        if try isMounted(at: path) { return false }
        guard mount("bpf", path, "bpf", 0, "mode=0700") == 0 else { throw Errno.current }
        return true
    }
}

extension BPFMap {
    /// Pins the map at `path` on bpffs (`BPF_OBJ_PIN`).
    public func pin(at path: String) throws(BPFError) { try BPFFileSystem.pin(fd, at: path) }

    /// Opens the map pinned at `path` (`BPF_OBJ_GET`).
    public convenience init(pinnedAt path: String) throws(BPFError) {
        try self.init(adopting: BPFFileSystem.open(at: path))
    }
}

extension BPFProgram {
    /// Pins the program at `path` on bpffs (`BPF_OBJ_PIN`).
    public func pin(at path: String) throws(BPFError) { try BPFFileSystem.pin(fd, at: path) }

    /// Opens the program pinned at `path` (`BPF_OBJ_GET`).
    public convenience init(pinnedAt path: String) throws(BPFError) {
        try self.init(adopting: BPFFileSystem.open(at: path))
    }
}

extension BPFLink {
    /// Pins the link at `path` on bpffs (`BPF_OBJ_PIN`): it then outlives its fds.
    public func pin(at path: String) throws(BPFError) { try BPFFileSystem.pin(fd, at: path) }

    /// Opens the link pinned at `path` (`BPF_OBJ_GET`).
    public convenience init(pinnedAt path: String) throws(BPFError) {
        try self.init(adopting: BPFFileSystem.open(at: path))
    }
}
