/// Special `src_reg` values that change what an `ld_imm64` or a `call` refers to.
///
/// Mirrors the `BPF_PSEUDO_*` constants of linux/bpf.h. In an object file clang leaves these
/// at 0 and emits relocations; the loader sets them when it resolves the relocations.
public enum BPFPseudo {
    // MARK: ld_imm64 (BPF_LD | BPF_IMM | BPF_DW) source kinds

    /// `BPF_PSEUDO_MAP_FD` (1): `imm` is a map file descriptor; the register gets the map.
    public static let mapFD: UInt8 = 1
    /// `BPF_PSEUDO_MAP_VALUE` (2): `imm` is a map fd, the second slot's `imm` an offset into
    /// the value of element 0; the register gets a pointer into the value (global data).
    public static let mapValue: UInt8 = 2
    /// `BPF_PSEUDO_BTF_ID` (3): `imm` is the BTF id of a kernel variable (a ksym); the second
    /// slot's `imm` is the fd of the module BTF holding it (0 for vmlinux).
    public static let btfID: UInt8 = 3
    /// `BPF_PSEUDO_FUNC` (4): `imm` is the relative offset of a BPF function; the register
    /// gets its address (for callbacks such as `bpf_loop`).
    public static let function: UInt8 = 4
    /// `BPF_PSEUDO_MAP_IDX` (5): like `BPF_PSEUDO_MAP_FD`, but `imm` indexes the `fd_array`
    /// passed to `BPF_PROG_LOAD`.
    public static let mapIndex: UInt8 = 5
    /// `BPF_PSEUDO_MAP_IDX_VALUE` (6): like `BPF_PSEUDO_MAP_VALUE`, but `imm` indexes `fd_array`.
    public static let mapIndexValue: UInt8 = 6

    // MARK: call (BPF_JMP | BPF_CALL) source kinds

    /// `src_reg` 0 on a call: `imm` is a helper id (`enum bpf_func_id`, see ``BPFHelper``).
    public static let helperCall: UInt8 = 0
    /// `BPF_PSEUDO_CALL` (1): a BPF-to-BPF call; `imm` is the callee's offset in slots from
    /// the instruction after the call.
    public static let call: UInt8 = 1
    /// `BPF_PSEUDO_KFUNC_CALL` (2): a call to a kernel function; `imm` is its BTF id, `off`
    /// the index of the module BTF fd in `fd_array` (0 for vmlinux).
    public static let kernelFunctionCall: UInt8 = 2

    // MARK: BPF_JCOND

    /// `BPF_MAY_GOTO` (0): the only defined `src_reg` of `BPF_JMP | BPF_JCOND` (`may_goto`).
    public static let mayGoto: UInt8 = 0

    /// A short name of an `ld_imm64` pseudo source, for messages (`"map_fd"`, `"map_value"`…).
    public static func loadSourceName(_ src: UInt8) -> String? {
        switch src {
        case 0: "imm64"
        case mapFD: "map_fd"
        case mapValue: "map_value"
        case btfID: "btf_id"
        case function: "func"
        case mapIndex: "map_idx"
        case mapIndexValue: "map_idx_value"
        default: nil
        }
    }
}
