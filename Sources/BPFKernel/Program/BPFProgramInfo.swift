import CBPF

/// What the kernel reports about a program: the friendly form of `struct bpf_prog_info`
/// (`BPF_OBJ_GET_INFO_BY_FD` on a program fd).
public struct BPFProgramInfo: Sendable, Equatable {
    /// `id`: the program's system-wide id (as in `bpftool prog show`).
    public var id: UInt32
    /// `type`.
    public var type: BPFProgramType
    /// `tag`: the kernel's 8-byte hash of the instructions, as 16 hex digits (as bpftool prints it).
    public var tag: String
    /// `name`.
    public var name: String
    /// `map_ids` (only with details).
    public var mapIDs: [UInt32]
    /// `xlated_prog_insns`: the instructions as the verifier left them (only with details;
    /// empty if the kernel withholds them).
    public var translatedInstructions: [UInt8]
    /// `xlated_prog_len`: bytes of translated instructions.
    public var translatedSize: UInt32
    /// `jited_prog_len`: bytes of native code (0 when not JIT-compiled).
    public var jitedSize: UInt32
    /// `btf_id`: the program's BTF (0: none).
    public var btfID: UInt32
    /// `load_time`: nanoseconds since boot when it was loaded.
    public var loadTime: UInt64
    /// `created_by_uid`.
    public var createdByUID: UInt32
    /// `gpl_compatible`.
    public var gplCompatible: Bool
    /// `ifindex` of an offloaded or device-bound program (0 otherwise).
    public var ifindex: UInt32
    /// `verified_insns`: instructions the verifier processed.
    public var verifiedInstructions: UInt32
    /// `run_time_ns` (with `kernel.bpf_stats_enabled`).
    public var runTimeNanoseconds: UInt64
    /// `run_cnt` (with `kernel.bpf_stats_enabled`).
    public var runCount: UInt64

    /// Reads the info of the program behind `fd`; with `details`, a second call fetches the
    /// map ids and translated instructions into buffers sized from the first.
    public init(_ fd: FileDescriptor, details: Bool = true, object: String? = nil) throws(BPFError) {
        var raw = try ObjectInfo.fetch(fd, empty: bpf_prog_info(), object: object)
        var mapIDs: [UInt32] = []
        var insns: [UInt8] = []
        if details && (raw.nr_map_ids > 0 || raw.xlated_prog_len > 0) {
            mapIDs = [UInt32](repeating: 0, count: Int(raw.nr_map_ids))
            insns = [UInt8](repeating: 0, count: Int(raw.xlated_prog_len))
            // A fresh struct: every non-zero length in it must come with a buffer.
            var second = bpf_prog_info()
            let result = mapIDs.withUnsafeMutableBytes { ids in
                insns.withUnsafeMutableBytes { xlated in
                    second.nr_map_ids = UInt32(ids.count / 4)
                    second.map_ids = ids.isEmpty ? 0 : kernelAddress(ids.baseAddress)
                    second.xlated_prog_len = UInt32(xlated.count)
                    second.xlated_prog_insns = xlated.isEmpty ? 0 : kernelAddress(xlated.baseAddress)
                    return ObjectInfo.perform(fd, into: &second)
                }
            }
            try result.orThrow(.objGetInfoByFD, object: object)
            // The program cannot change, but keep only what the kernel filled.
            mapIDs = Array(mapIDs.prefix(Int(second.nr_map_ids)))
            insns = second.xlated_prog_insns == 0 ? [] : Array(insns.prefix(Int(second.xlated_prog_len)))
            raw = second
        }
        id = raw.id
        type = BPFProgramType(rawValue: raw.type)
        tag = withUnsafeBytes(of: raw.tag) { hexString($0) }
        name = BPFObjectName.read(from: raw.name)
        self.mapIDs = mapIDs
        translatedInstructions = insns
        translatedSize = raw.xlated_prog_len
        jitedSize = raw.jited_prog_len
        btfID = raw.btf_id
        loadTime = raw.load_time
        createdByUID = raw.created_by_uid
        gplCompatible = raw.gpl_compatible != 0
        ifindex = raw.ifindex
        verifiedInstructions = raw.verified_insns
        runTimeNanoseconds = raw.run_time_ns
        runCount = raw.run_cnt
    }
}
