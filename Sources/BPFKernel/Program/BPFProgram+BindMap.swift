import CBPF

extension BPFProgram {
    /// Keeps `map` alive for as long as this program (`BPF_PROG_BIND_MAP`), even when no
    /// instruction refers to it. libbpf binds an object's `.rodata` to every program so tools
    /// find metadata (`bpf_metadata_*` variables) through `bpftool prog show`.
    public func bind(_ map: BPFMap) throws(BPFError) {
        var attr = cbpf_prog_bind_map_attr()
        attr.prog_fd = UInt32(bitPattern: fd.rawValue)
        attr.map_fd = UInt32(bitPattern: map.fd.rawValue)
        try BPFSyscall.call(.progBindMap, &attr, object: name, fields: { attr in
            [.init("prog_fd", "\(attr.prog_fd)"), .init("map_fd", "\(attr.map_fd)")]
        })
    }
}
