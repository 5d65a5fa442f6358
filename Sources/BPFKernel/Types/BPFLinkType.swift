/// The type of a link: mirrors `enum bpf_link_type` in linux/bpf.h (raw values are the kernel's
/// numbers), as used in `bpf_link_info.type`.
///
/// A struct rather than an enum so that numbers this list does not know (from a newer kernel
/// or object file) pass through unchanged.
public struct BPFLinkType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The kernel's number.
    public let rawValue: UInt32

    /// Wraps a kernel number.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `BPF_LINK_TYPE_UNSPEC` (0).
    public static let unspec = BPFLinkType(rawValue: 0)
    /// `BPF_LINK_TYPE_RAW_TRACEPOINT` (1).
    public static let rawTracepoint = BPFLinkType(rawValue: 1)
    /// `BPF_LINK_TYPE_TRACING` (2).
    public static let tracing = BPFLinkType(rawValue: 2)
    /// `BPF_LINK_TYPE_CGROUP` (3).
    public static let cgroup = BPFLinkType(rawValue: 3)
    /// `BPF_LINK_TYPE_ITER` (4).
    public static let iter = BPFLinkType(rawValue: 4)
    /// `BPF_LINK_TYPE_NETNS` (5).
    public static let netns = BPFLinkType(rawValue: 5)
    /// `BPF_LINK_TYPE_XDP` (6).
    public static let xdp = BPFLinkType(rawValue: 6)
    /// `BPF_LINK_TYPE_PERF_EVENT` (7).
    public static let perfEvent = BPFLinkType(rawValue: 7)
    /// `BPF_LINK_TYPE_KPROBE_MULTI` (8).
    public static let kprobeMulti = BPFLinkType(rawValue: 8)
    /// `BPF_LINK_TYPE_STRUCT_OPS` (9).
    public static let structOps = BPFLinkType(rawValue: 9)
    /// `BPF_LINK_TYPE_NETFILTER` (10).
    public static let netfilter = BPFLinkType(rawValue: 10)
    /// `BPF_LINK_TYPE_TCX` (11).
    public static let tcx = BPFLinkType(rawValue: 11)
    /// `BPF_LINK_TYPE_UPROBE_MULTI` (12).
    public static let uprobeMulti = BPFLinkType(rawValue: 12)
    /// `BPF_LINK_TYPE_NETKIT` (13).
    public static let netkit = BPFLinkType(rawValue: 13)
    /// `BPF_LINK_TYPE_SOCKMAP` (14).
    public static let sockmap = BPFLinkType(rawValue: 14)

    /// The name without the `BPF_LINK_TYPE_` prefix (e.g. `RAW_TRACEPOINT`), or the number if unknown.
    public var name: String { BPFLinkType.names[rawValue] ?? "\(rawValue)" }

    /// Same as ``name``.
    public var description: String { name }

    /// Number → short name, for every value above.
    static let names: [UInt32: String] = [
        0: "UNSPEC",
        1: "RAW_TRACEPOINT",
        2: "TRACING",
        3: "CGROUP",
        4: "ITER",
        5: "NETNS",
        6: "XDP",
        7: "PERF_EVENT",
        8: "KPROBE_MULTI",
        9: "STRUCT_OPS",
        10: "NETFILTER",
        11: "TCX",
        12: "UPROBE_MULTI",
        13: "NETKIT",
        14: "SOCKMAP",
    ]
}
