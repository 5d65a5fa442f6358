/// Everything `BPF_PROG_LOAD` needs: the friendly form of the `BPF_PROG_LOAD` member of
/// `union bpf_attr` (`struct cbpf_prog_load_attr` in the C shim).
public struct BPFProgramDefinition: Sendable {
    /// `prog_type`.
    public var type: BPFProgramType
    /// `expected_attach_type` (XDP: ``BPFAttachType/xdp``; nil sends 0).
    public var expectedAttachType: BPFAttachType?
    /// `insns`: the instructions, 8 bytes each, in host byte order (`insn_cnt` is
    /// `instructions.count / 8`).
    public var instructions: [UInt8]
    /// `license`: "GPL" (or compatible) unlocks GPL-only helpers.
    public var license: String
    /// `kern_version`: only checked for kprobes on very old kernels.
    public var kernelVersion: UInt32
    /// `prog_flags`.
    public var flags: BPFProgramFlags
    /// `prog_name`; made kernel-safe by ``BPFObjectName``.
    public var name: String
    /// `prog_ifindex`: offload to (or, with `BPF_F_XDP_DEV_BOUND_ONLY`, bind to) this device.
    public var ifindex: UInt32
    /// `prog_btf_fd`: BTF holding the types `funcInfo` and `lineInfo` refer to.
    public var btf: BTFHandle?
    /// `func_info_rec_size`, `func_info`, `func_info_cnt` (`struct bpf_func_info` records).
    public var funcInfo: BTFExtRecords?
    /// `line_info_rec_size`, `line_info`, `line_info_cnt` (`struct bpf_line_info` records).
    public var lineInfo: BTFExtRecords?
    /// `attach_btf_id`: the BTF type id of the attach target (tracing, `EXT`, `LSM`).
    public var attachBTFID: UInt32
    /// `attach_prog_fd` (target program of `EXT`/fentry) or `attach_btf_obj_fd` (module BTF):
    /// the two share one field.
    public var attachTarget: FileDescriptor?
    /// `fd_array`: descriptors that instructions refer to by index (`BPF_PSEUDO_MAP_IDX`,
    /// kfunc BTF). `fd_array_cnt` is left 0 so older kernels accept it.
    public var fdArray: [FileDescriptor]

    /// Creates a definition; the remaining fields start at zero/nil.
    public init(type: BPFProgramType, expectedAttachType: BPFAttachType? = nil, instructions: [UInt8],
                license: String = "GPL", name: String = "", flags: BPFProgramFlags = []) {
        self.type = type
        self.expectedAttachType = expectedAttachType
        self.instructions = instructions
        self.license = license
        self.kernelVersion = 0
        self.flags = flags
        self.name = name
        self.ifindex = 0
        self.btf = nil
        self.funcInfo = nil
        self.lineInfo = nil
        self.attachBTFID = 0
        self.attachTarget = nil
        self.fdArray = []
    }

    /// Size of one BPF instruction (`struct bpf_insn`).
    public static let instructionSize = 8
}

/// A run of `.BTF.ext` records as `BPF_PROG_LOAD` takes them: `func_info` or `line_info`
/// with their `*_rec_size` and `*_cnt`. Offsets inside are in instructions, already
/// rebased for this program.
public struct BTFExtRecords: Sendable, Equatable {
    /// `*_rec_size`: bytes per record (`struct bpf_func_info` is 8, `bpf_line_info` 16).
    public var recordSize: UInt32
    /// The records, `recordSize × count` bytes, host byte order.
    public var bytes: [UInt8]

    /// `*_cnt`.
    public var count: UInt32 { recordSize == 0 ? 0 : UInt32(bytes.count / Int(recordSize)) }

    /// Wraps records of `recordSize` bytes each.
    public init(recordSize: UInt32, bytes: [UInt8]) {
        self.recordSize = recordSize
        self.bytes = bytes
    }
}

