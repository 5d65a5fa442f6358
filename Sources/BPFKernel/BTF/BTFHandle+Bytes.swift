import CBPF

extension BTFHandle {
    /// The raw BTF the kernel holds for this object (`BPF_OBJ_GET_INFO_BY_FD` with
    /// `bpf_btf_info.btf` pointing at a buffer of `btf_size` bytes): what `swift-xdp map` parses
    /// to print and read keys and values by their types.
    public func rawBytes() throws(BPFError) -> [UInt8] {
        let size = try info().size
        var bytes = [UInt8](repeating: 0, count: Int(size))
        var raw = bpf_btf_info()
        let result = bytes.withUnsafeMutableBytes { buffer in
            raw.btf = kernelAddress(buffer.baseAddress)
            raw.btf_size = size
            return ObjectInfo.perform(fd, into: &raw)
        }
        try result.orThrow(.objGetInfoByFD, object: label)
        return bytes
    }
}
