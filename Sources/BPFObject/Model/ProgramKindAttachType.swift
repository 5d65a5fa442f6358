// `enum bpf_attach_type` of linux/bpf.h. Values 0...57 were taken from the running kernel's BTF
// (Linux 6.18: `bpftool btf dump file /sys/kernel/btf/vmlinux format raw`, enum
// `bpf_attach_type`); 58...61 from libbpf's current copy of the UAPI header (newer kernels).

/// The type of an attach point: mirrors `enum bpf_attach_type` in linux/bpf.h (raw values are
/// the kernel's numbers), as used in `expected_attach_type` of `BPF_PROG_LOAD` and
/// `attach_type` of `BPF_LINK_CREATE` / `BPF_PROG_ATTACH`.
///
/// A struct rather than an enum so that numbers this list does not know (from a newer kernel)
/// pass through unchanged.
public struct BPFAttachType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The kernel's number.
    public let rawValue: UInt32

    /// Wraps a kernel number.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `BPF_CGROUP_INET_INGRESS` (0).
    public static let cgroupInetIngress = BPFAttachType(rawValue: 0)
    /// `BPF_CGROUP_INET_EGRESS` (1).
    public static let cgroupInetEgress = BPFAttachType(rawValue: 1)
    /// `BPF_CGROUP_INET_SOCK_CREATE` (2).
    public static let cgroupInetSockCreate = BPFAttachType(rawValue: 2)
    /// `BPF_CGROUP_SOCK_OPS` (3).
    public static let cgroupSockOps = BPFAttachType(rawValue: 3)
    /// `BPF_SK_SKB_STREAM_PARSER` (4).
    public static let skSkbStreamParser = BPFAttachType(rawValue: 4)
    /// `BPF_SK_SKB_STREAM_VERDICT` (5).
    public static let skSkbStreamVerdict = BPFAttachType(rawValue: 5)
    /// `BPF_CGROUP_DEVICE` (6).
    public static let cgroupDevice = BPFAttachType(rawValue: 6)
    /// `BPF_SK_MSG_VERDICT` (7).
    public static let skMsgVerdict = BPFAttachType(rawValue: 7)
    /// `BPF_CGROUP_INET4_BIND` (8).
    public static let cgroupInet4Bind = BPFAttachType(rawValue: 8)
    /// `BPF_CGROUP_INET6_BIND` (9).
    public static let cgroupInet6Bind = BPFAttachType(rawValue: 9)
    /// `BPF_CGROUP_INET4_CONNECT` (10).
    public static let cgroupInet4Connect = BPFAttachType(rawValue: 10)
    /// `BPF_CGROUP_INET6_CONNECT` (11).
    public static let cgroupInet6Connect = BPFAttachType(rawValue: 11)
    /// `BPF_CGROUP_INET4_POST_BIND` (12).
    public static let cgroupInet4PostBind = BPFAttachType(rawValue: 12)
    /// `BPF_CGROUP_INET6_POST_BIND` (13).
    public static let cgroupInet6PostBind = BPFAttachType(rawValue: 13)
    /// `BPF_CGROUP_UDP4_SENDMSG` (14).
    public static let cgroupUdp4Sendmsg = BPFAttachType(rawValue: 14)
    /// `BPF_CGROUP_UDP6_SENDMSG` (15).
    public static let cgroupUdp6Sendmsg = BPFAttachType(rawValue: 15)
    /// `BPF_LIRC_MODE2` (16).
    public static let lircMode2 = BPFAttachType(rawValue: 16)
    /// `BPF_FLOW_DISSECTOR` (17).
    public static let flowDissector = BPFAttachType(rawValue: 17)
    /// `BPF_CGROUP_SYSCTL` (18).
    public static let cgroupSysctl = BPFAttachType(rawValue: 18)
    /// `BPF_CGROUP_UDP4_RECVMSG` (19).
    public static let cgroupUdp4Recvmsg = BPFAttachType(rawValue: 19)
    /// `BPF_CGROUP_UDP6_RECVMSG` (20).
    public static let cgroupUdp6Recvmsg = BPFAttachType(rawValue: 20)
    /// `BPF_CGROUP_GETSOCKOPT` (21).
    public static let cgroupGetsockopt = BPFAttachType(rawValue: 21)
    /// `BPF_CGROUP_SETSOCKOPT` (22).
    public static let cgroupSetsockopt = BPFAttachType(rawValue: 22)
    /// `BPF_TRACE_RAW_TP` (23).
    public static let traceRawTp = BPFAttachType(rawValue: 23)
    /// `BPF_TRACE_FENTRY` (24).
    public static let traceFentry = BPFAttachType(rawValue: 24)
    /// `BPF_TRACE_FEXIT` (25).
    public static let traceFexit = BPFAttachType(rawValue: 25)
    /// `BPF_MODIFY_RETURN` (26).
    public static let modifyReturn = BPFAttachType(rawValue: 26)
    /// `BPF_LSM_MAC` (27).
    public static let lsmMac = BPFAttachType(rawValue: 27)
    /// `BPF_TRACE_ITER` (28).
    public static let traceIter = BPFAttachType(rawValue: 28)
    /// `BPF_CGROUP_INET4_GETPEERNAME` (29).
    public static let cgroupInet4Getpeername = BPFAttachType(rawValue: 29)
    /// `BPF_CGROUP_INET6_GETPEERNAME` (30).
    public static let cgroupInet6Getpeername = BPFAttachType(rawValue: 30)
    /// `BPF_CGROUP_INET4_GETSOCKNAME` (31).
    public static let cgroupInet4Getsockname = BPFAttachType(rawValue: 31)
    /// `BPF_CGROUP_INET6_GETSOCKNAME` (32).
    public static let cgroupInet6Getsockname = BPFAttachType(rawValue: 32)
    /// `BPF_XDP_DEVMAP` (33): XDP programs run from a DEVMAP entry.
    public static let xdpDevmap = BPFAttachType(rawValue: 33)
    /// `BPF_CGROUP_INET_SOCK_RELEASE` (34).
    public static let cgroupInetSockRelease = BPFAttachType(rawValue: 34)
    /// `BPF_XDP_CPUMAP` (35): XDP programs run from a CPUMAP entry.
    public static let xdpCpumap = BPFAttachType(rawValue: 35)
    /// `BPF_SK_LOOKUP` (36).
    public static let skLookup = BPFAttachType(rawValue: 36)
    /// `BPF_XDP` (37): XDP through a bpf_link (`BPF_LINK_CREATE`); `expected_attach_type` of `SEC("xdp")`.
    public static let xdp = BPFAttachType(rawValue: 37)
    /// `BPF_SK_SKB_VERDICT` (38).
    public static let skSkbVerdict = BPFAttachType(rawValue: 38)
    /// `BPF_SK_REUSEPORT_SELECT` (39).
    public static let skReuseportSelect = BPFAttachType(rawValue: 39)
    /// `BPF_SK_REUSEPORT_SELECT_OR_MIGRATE` (40).
    public static let skReuseportSelectOrMigrate = BPFAttachType(rawValue: 40)
    /// `BPF_PERF_EVENT` (41).
    public static let perfEvent = BPFAttachType(rawValue: 41)
    /// `BPF_TRACE_KPROBE_MULTI` (42).
    public static let traceKprobeMulti = BPFAttachType(rawValue: 42)
    /// `BPF_LSM_CGROUP` (43).
    public static let lsmCgroup = BPFAttachType(rawValue: 43)
    /// `BPF_STRUCT_OPS` (44).
    public static let structOps = BPFAttachType(rawValue: 44)
    /// `BPF_NETFILTER` (45).
    public static let netfilter = BPFAttachType(rawValue: 45)
    /// `BPF_TCX_INGRESS` (46).
    public static let tcxIngress = BPFAttachType(rawValue: 46)
    /// `BPF_TCX_EGRESS` (47).
    public static let tcxEgress = BPFAttachType(rawValue: 47)
    /// `BPF_TRACE_UPROBE_MULTI` (48).
    public static let traceUprobeMulti = BPFAttachType(rawValue: 48)
    /// `BPF_CGROUP_UNIX_CONNECT` (49).
    public static let cgroupUnixConnect = BPFAttachType(rawValue: 49)
    /// `BPF_CGROUP_UNIX_SENDMSG` (50).
    public static let cgroupUnixSendmsg = BPFAttachType(rawValue: 50)
    /// `BPF_CGROUP_UNIX_RECVMSG` (51).
    public static let cgroupUnixRecvmsg = BPFAttachType(rawValue: 51)
    /// `BPF_CGROUP_UNIX_GETPEERNAME` (52).
    public static let cgroupUnixGetpeername = BPFAttachType(rawValue: 52)
    /// `BPF_CGROUP_UNIX_GETSOCKNAME` (53).
    public static let cgroupUnixGetsockname = BPFAttachType(rawValue: 53)
    /// `BPF_NETKIT_PRIMARY` (54).
    public static let netkitPrimary = BPFAttachType(rawValue: 54)
    /// `BPF_NETKIT_PEER` (55).
    public static let netkitPeer = BPFAttachType(rawValue: 55)
    /// `BPF_TRACE_KPROBE_SESSION` (56).
    public static let traceKprobeSession = BPFAttachType(rawValue: 56)
    /// `BPF_TRACE_UPROBE_SESSION` (57).
    public static let traceUprobeSession = BPFAttachType(rawValue: 57)
    /// `BPF_TRACE_FSESSION` (58): newer than Linux 6.18 (value from the current UAPI header).
    public static let traceFsession = BPFAttachType(rawValue: 58)
    /// `BPF_TRACE_FENTRY_MULTI` (59): newer than Linux 6.18 (value from the current UAPI header).
    public static let traceFentryMulti = BPFAttachType(rawValue: 59)
    /// `BPF_TRACE_FEXIT_MULTI` (60): newer than Linux 6.18 (value from the current UAPI header).
    public static let traceFexitMulti = BPFAttachType(rawValue: 60)
    /// `BPF_TRACE_FSESSION_MULTI` (61): newer than Linux 6.18 (value from the current UAPI header).
    public static let traceFsessionMulti = BPFAttachType(rawValue: 61)

    /// The name without the `BPF_` prefix (e.g. `CGROUP_INET_EGRESS`), or the number if unknown.
    public var name: String { BPFAttachType.names[rawValue] ?? "\(rawValue)" }

    /// Same as ``name``.
    public var description: String { name }

    /// Number → name without the `BPF_` prefix, for every value above.
    public static let names: [UInt32: String] = [
        0: "CGROUP_INET_INGRESS",
        1: "CGROUP_INET_EGRESS",
        2: "CGROUP_INET_SOCK_CREATE",
        3: "CGROUP_SOCK_OPS",
        4: "SK_SKB_STREAM_PARSER",
        5: "SK_SKB_STREAM_VERDICT",
        6: "CGROUP_DEVICE",
        7: "SK_MSG_VERDICT",
        8: "CGROUP_INET4_BIND",
        9: "CGROUP_INET6_BIND",
        10: "CGROUP_INET4_CONNECT",
        11: "CGROUP_INET6_CONNECT",
        12: "CGROUP_INET4_POST_BIND",
        13: "CGROUP_INET6_POST_BIND",
        14: "CGROUP_UDP4_SENDMSG",
        15: "CGROUP_UDP6_SENDMSG",
        16: "LIRC_MODE2",
        17: "FLOW_DISSECTOR",
        18: "CGROUP_SYSCTL",
        19: "CGROUP_UDP4_RECVMSG",
        20: "CGROUP_UDP6_RECVMSG",
        21: "CGROUP_GETSOCKOPT",
        22: "CGROUP_SETSOCKOPT",
        23: "TRACE_RAW_TP",
        24: "TRACE_FENTRY",
        25: "TRACE_FEXIT",
        26: "MODIFY_RETURN",
        27: "LSM_MAC",
        28: "TRACE_ITER",
        29: "CGROUP_INET4_GETPEERNAME",
        30: "CGROUP_INET6_GETPEERNAME",
        31: "CGROUP_INET4_GETSOCKNAME",
        32: "CGROUP_INET6_GETSOCKNAME",
        33: "XDP_DEVMAP",
        34: "CGROUP_INET_SOCK_RELEASE",
        35: "XDP_CPUMAP",
        36: "SK_LOOKUP",
        37: "XDP",
        38: "SK_SKB_VERDICT",
        39: "SK_REUSEPORT_SELECT",
        40: "SK_REUSEPORT_SELECT_OR_MIGRATE",
        41: "PERF_EVENT",
        42: "TRACE_KPROBE_MULTI",
        43: "LSM_CGROUP",
        44: "STRUCT_OPS",
        45: "NETFILTER",
        46: "TCX_INGRESS",
        47: "TCX_EGRESS",
        48: "TRACE_UPROBE_MULTI",
        49: "CGROUP_UNIX_CONNECT",
        50: "CGROUP_UNIX_SENDMSG",
        51: "CGROUP_UNIX_RECVMSG",
        52: "CGROUP_UNIX_GETPEERNAME",
        53: "CGROUP_UNIX_GETSOCKNAME",
        54: "NETKIT_PRIMARY",
        55: "NETKIT_PEER",
        56: "TRACE_KPROBE_SESSION",
        57: "TRACE_UPROBE_SESSION",
        58: "TRACE_FSESSION",
        59: "TRACE_FENTRY_MULTI",
        60: "TRACE_FEXIT_MULTI",
        61: "TRACE_FSESSION_MULTI",
    ]
}
