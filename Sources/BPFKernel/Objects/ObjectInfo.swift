import CBPF

/// `BPF_OBJ_GET_INFO_BY_FD`: fills one of the kernel's info structs (`struct bpf_map_info`,
/// `bpf_prog_info`, `bpf_btf_info`, `bpf_link_info`) for the object behind a descriptor.
///
/// The kernel fills at most `info_len` bytes (the size of the struct this module was built
/// with) and zero-fills what it does not know, so an older header simply sees fewer fields.
enum ObjectInfo {
    /// Fills `info`, which may hold buffer addresses the caller keeps alive (no throwing, so
    /// it can run inside `withUnsafe…` scopes).
    static func perform<Info>(_ fd: FileDescriptor, into info: inout Info) -> Result<Int32, Errno> {
        withUnsafeMutableBytes(of: &info) { buffer in
            var attr = cbpf_obj_info_attr()
            attr.bpf_fd = UInt32(bitPattern: fd.rawValue)
            attr.info_len = UInt32(buffer.count)
            attr.info = kernelAddress(buffer.baseAddress)
            return BPFSyscall.perform(.objGetInfoByFD, &attr, fields: { attr in
                [.init("bpf_fd", "\(attr.bpf_fd)"), .init("info_len", "\(attr.info_len)"),
                 .init("info", String(describing: Info.self))]
            })
        }
    }

    /// Returns the filled info struct for `fd`.
    static func fetch<Info>(_ fd: FileDescriptor, empty: Info, object: String?) throws(BPFError) -> Info {
        var info = empty
        try perform(fd, into: &info).orThrow(.objGetInfoByFD, object: object)
        return info
    }
}
