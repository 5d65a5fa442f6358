// `enum bpf_prog_type` of linux/bpf.h. The values were taken from the running kernel's BTF
// (Linux 6.18: `bpftool btf dump file /sys/kernel/btf/vmlinux format raw`, enum
// `bpf_prog_type`); libbpf's current UAPI header defines no newer program types.

/// The type of a program: mirrors `enum bpf_prog_type` in linux/bpf.h (raw values are the
/// kernel's numbers), as used in `prog_type` of `BPF_PROG_LOAD` and `bpf_prog_info.type`.
///
/// A struct rather than an enum so that numbers this list does not know (from a newer kernel)
/// pass through unchanged.
public struct BPFProgramType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The kernel's number.
    public let rawValue: UInt32

    /// Wraps a kernel number.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `BPF_PROG_TYPE_UNSPEC` (0).
    public static let unspec = BPFProgramType(rawValue: 0)
    /// `BPF_PROG_TYPE_SOCKET_FILTER` (1): socket filters (`SEC("socket")`).
    public static let socketFilter = BPFProgramType(rawValue: 1)
    /// `BPF_PROG_TYPE_KPROBE` (2): kprobes, uprobes, USDT.
    public static let kprobe = BPFProgramType(rawValue: 2)
    /// `BPF_PROG_TYPE_SCHED_CLS` (3): tc/tcx classifiers.
    public static let schedCls = BPFProgramType(rawValue: 3)
    /// `BPF_PROG_TYPE_SCHED_ACT` (4): tc actions.
    public static let schedAct = BPFProgramType(rawValue: 4)
    /// `BPF_PROG_TYPE_TRACEPOINT` (5).
    public static let tracepoint = BPFProgramType(rawValue: 5)
    /// `BPF_PROG_TYPE_XDP` (6): eXpress Data Path programs.
    public static let xdp = BPFProgramType(rawValue: 6)
    /// `BPF_PROG_TYPE_PERF_EVENT` (7).
    public static let perfEvent = BPFProgramType(rawValue: 7)
    /// `BPF_PROG_TYPE_CGROUP_SKB` (8).
    public static let cgroupSkb = BPFProgramType(rawValue: 8)
    /// `BPF_PROG_TYPE_CGROUP_SOCK` (9).
    public static let cgroupSock = BPFProgramType(rawValue: 9)
    /// `BPF_PROG_TYPE_LWT_IN` (10).
    public static let lwtIn = BPFProgramType(rawValue: 10)
    /// `BPF_PROG_TYPE_LWT_OUT` (11).
    public static let lwtOut = BPFProgramType(rawValue: 11)
    /// `BPF_PROG_TYPE_LWT_XMIT` (12).
    public static let lwtXmit = BPFProgramType(rawValue: 12)
    /// `BPF_PROG_TYPE_SOCK_OPS` (13).
    public static let sockOps = BPFProgramType(rawValue: 13)
    /// `BPF_PROG_TYPE_SK_SKB` (14).
    public static let skSkb = BPFProgramType(rawValue: 14)
    /// `BPF_PROG_TYPE_CGROUP_DEVICE` (15).
    public static let cgroupDevice = BPFProgramType(rawValue: 15)
    /// `BPF_PROG_TYPE_SK_MSG` (16).
    public static let skMsg = BPFProgramType(rawValue: 16)
    /// `BPF_PROG_TYPE_RAW_TRACEPOINT` (17).
    public static let rawTracepoint = BPFProgramType(rawValue: 17)
    /// `BPF_PROG_TYPE_CGROUP_SOCK_ADDR` (18).
    public static let cgroupSockAddr = BPFProgramType(rawValue: 18)
    /// `BPF_PROG_TYPE_LWT_SEG6LOCAL` (19).
    public static let lwtSeg6local = BPFProgramType(rawValue: 19)
    /// `BPF_PROG_TYPE_LIRC_MODE2` (20).
    public static let lircMode2 = BPFProgramType(rawValue: 20)
    /// `BPF_PROG_TYPE_SK_REUSEPORT` (21).
    public static let skReuseport = BPFProgramType(rawValue: 21)
    /// `BPF_PROG_TYPE_FLOW_DISSECTOR` (22).
    public static let flowDissector = BPFProgramType(rawValue: 22)
    /// `BPF_PROG_TYPE_CGROUP_SYSCTL` (23).
    public static let cgroupSysctl = BPFProgramType(rawValue: 23)
    /// `BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE` (24).
    public static let rawTracepointWritable = BPFProgramType(rawValue: 24)
    /// `BPF_PROG_TYPE_CGROUP_SOCKOPT` (25).
    public static let cgroupSockopt = BPFProgramType(rawValue: 25)
    /// `BPF_PROG_TYPE_TRACING` (26): fentry/fexit/fmod_ret, tp_btf, iterators.
    public static let tracing = BPFProgramType(rawValue: 26)
    /// `BPF_PROG_TYPE_STRUCT_OPS` (27): implementations of kernel ops structs.
    public static let structOps = BPFProgramType(rawValue: 27)
    /// `BPF_PROG_TYPE_EXT` (28): freplace: replaces a function of another BPF program.
    public static let ext = BPFProgramType(rawValue: 28)
    /// `BPF_PROG_TYPE_LSM` (29): BPF LSM hooks.
    public static let lsm = BPFProgramType(rawValue: 29)
    /// `BPF_PROG_TYPE_SK_LOOKUP` (30).
    public static let skLookup = BPFProgramType(rawValue: 30)
    /// `BPF_PROG_TYPE_SYSCALL` (31): programs run with `BPF_PROG_RUN` that may call the bpf() syscall.
    public static let syscall = BPFProgramType(rawValue: 31)
    /// `BPF_PROG_TYPE_NETFILTER` (32): netfilter hooks.
    public static let netfilter = BPFProgramType(rawValue: 32)

    /// The name without the `BPF_PROG_TYPE_` prefix (e.g. `SOCKET_FILTER`), or the number if unknown.
    public var name: String { BPFProgramType.names[rawValue] ?? "\(rawValue)" }

    /// Same as ``name``.
    public var description: String { name }

    /// Number → name without the `BPF_PROG_TYPE_` prefix, for every value above.
    public static let names: [UInt32: String] = [
        0: "UNSPEC",
        1: "SOCKET_FILTER",
        2: "KPROBE",
        3: "SCHED_CLS",
        4: "SCHED_ACT",
        5: "TRACEPOINT",
        6: "XDP",
        7: "PERF_EVENT",
        8: "CGROUP_SKB",
        9: "CGROUP_SOCK",
        10: "LWT_IN",
        11: "LWT_OUT",
        12: "LWT_XMIT",
        13: "SOCK_OPS",
        14: "SK_SKB",
        15: "CGROUP_DEVICE",
        16: "SK_MSG",
        17: "RAW_TRACEPOINT",
        18: "CGROUP_SOCK_ADDR",
        19: "LWT_SEG6LOCAL",
        20: "LIRC_MODE2",
        21: "SK_REUSEPORT",
        22: "FLOW_DISSECTOR",
        23: "CGROUP_SYSCTL",
        24: "RAW_TRACEPOINT_WRITABLE",
        25: "CGROUP_SOCKOPT",
        26: "TRACING",
        27: "STRUCT_OPS",
        28: "EXT",
        29: "LSM",
        30: "SK_LOOKUP",
        31: "SYSCALL",
        32: "NETFILTER",
    ]
}
