/// `map_flags` of `BPF_MAP_CREATE` and `bpf_map_info`: mirrors the `BPF_F_*` map creation
/// flags in linux/bpf.h.
public struct BPFMapFlags: OptionSet, Sendable, Hashable, CustomStringConvertible {
    /// The kernel's bit mask.
    public let rawValue: UInt32
    /// Wraps a bit mask.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `BPF_F_NO_PREALLOC`: allocate hash elements on demand.
    public static let noPrealloc = BPFMapFlags(rawValue: 1 << 0)
    /// `BPF_F_NO_COMMON_LRU`: one LRU list per CPU.
    public static let noCommonLRU = BPFMapFlags(rawValue: 1 << 1)
    /// `BPF_F_NUMA_NODE`: `numa_node` is valid (set automatically when a node is given).
    public static let numaNode = BPFMapFlags(rawValue: 1 << 2)
    /// `BPF_F_RDONLY`: user space may only read.
    public static let readOnly = BPFMapFlags(rawValue: 1 << 3)
    /// `BPF_F_WRONLY`: user space may only write.
    public static let writeOnly = BPFMapFlags(rawValue: 1 << 4)
    /// `BPF_F_STACK_BUILD_ID`: stack trace maps store build ids.
    public static let stackBuildID = BPFMapFlags(rawValue: 1 << 5)
    /// `BPF_F_ZERO_SEED`: zero hash seed (tests only).
    public static let zeroSeed = BPFMapFlags(rawValue: 1 << 6)
    /// `BPF_F_RDONLY_PROG`: programs may only read (used for `.rodata`).
    public static let readOnlyProgram = BPFMapFlags(rawValue: 1 << 7)
    /// `BPF_F_WRONLY_PROG`: programs may only write.
    public static let writeOnlyProgram = BPFMapFlags(rawValue: 1 << 8)
    /// `BPF_F_CLONE`: clone socket storage on fork.
    public static let clone = BPFMapFlags(rawValue: 1 << 9)
    /// `BPF_F_MMAPABLE`: the array can be mmap()ed.
    public static let mmapable = BPFMapFlags(rawValue: 1 << 10)
    /// `BPF_F_PRESERVE_ELEMS`: keep perf event array entries when the fd closes.
    public static let preserveElements = BPFMapFlags(rawValue: 1 << 11)
    /// `BPF_F_INNER_MAP`: inner maps of a map-in-map may differ in max_entries.
    public static let innerMap = BPFMapFlags(rawValue: 1 << 12)

    private static let names: [(BPFMapFlags, String)] = [
        (.noPrealloc, "no_prealloc"), (.noCommonLRU, "no_common_lru"), (.numaNode, "numa_node"),
        (.readOnly, "rdonly"), (.writeOnly, "wronly"), (.stackBuildID, "stack_build_id"), (.zeroSeed, "zero_seed"),
        (.readOnlyProgram, "rdonly_prog"), (.writeOnlyProgram, "wronly_prog"), (.clone, "clone"),
        (.mmapable, "mmapable"), (.preserveElements, "preserve_elems"), (.innerMap, "inner_map"),
    ]

    /// The set flags by name joined with `|` (`rdonly_prog|mmapable`), unknown bits in hex, or `0`.
    public var description: String {
        var parts = Self.names.filter { contains($0.0) }.map(\.1)
        let known = Self.names.reduce(0) { $0 | $1.0.rawValue }
        if rawValue & ~known != 0 { parts.append("0x" + String(rawValue & ~known, radix: 16)) }
        return parts.isEmpty ? "0" : parts.joined(separator: "|")
    }
}

