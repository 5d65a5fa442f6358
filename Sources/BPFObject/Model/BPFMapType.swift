/// A BPF map type. Mirrors `enum bpf_map_type` in linux/bpf.h (raw values are the kernel's).
public struct BPFMapType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The kernel's numeric value.
    public var rawValue: UInt32
    /// Wraps a raw `bpf_map_type` value (unknown values are kept and printed as numbers).
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `BPF_MAP_TYPE_UNSPEC`.
    public static let unspec = BPFMapType(rawValue: 0)
    /// `BPF_MAP_TYPE_HASH`.
    public static let hash = BPFMapType(rawValue: 1)
    /// `BPF_MAP_TYPE_ARRAY`.
    public static let array = BPFMapType(rawValue: 2)
    /// `BPF_MAP_TYPE_PROG_ARRAY`: tail-call targets.
    public static let progArray = BPFMapType(rawValue: 3)
    /// `BPF_MAP_TYPE_PERF_EVENT_ARRAY`.
    public static let perfEventArray = BPFMapType(rawValue: 4)
    /// `BPF_MAP_TYPE_PERCPU_HASH`.
    public static let percpuHash = BPFMapType(rawValue: 5)
    /// `BPF_MAP_TYPE_PERCPU_ARRAY`.
    public static let percpuArray = BPFMapType(rawValue: 6)
    /// `BPF_MAP_TYPE_STACK_TRACE`.
    public static let stackTrace = BPFMapType(rawValue: 7)
    /// `BPF_MAP_TYPE_CGROUP_ARRAY`.
    public static let cgroupArray = BPFMapType(rawValue: 8)
    /// `BPF_MAP_TYPE_LRU_HASH`.
    public static let lruHash = BPFMapType(rawValue: 9)
    /// `BPF_MAP_TYPE_LRU_PERCPU_HASH`.
    public static let lruPercpuHash = BPFMapType(rawValue: 10)
    /// `BPF_MAP_TYPE_LPM_TRIE`.
    public static let lpmTrie = BPFMapType(rawValue: 11)
    /// `BPF_MAP_TYPE_ARRAY_OF_MAPS`.
    public static let arrayOfMaps = BPFMapType(rawValue: 12)
    /// `BPF_MAP_TYPE_HASH_OF_MAPS`.
    public static let hashOfMaps = BPFMapType(rawValue: 13)
    /// `BPF_MAP_TYPE_DEVMAP`.
    public static let devmap = BPFMapType(rawValue: 14)
    /// `BPF_MAP_TYPE_SOCKMAP`.
    public static let sockmap = BPFMapType(rawValue: 15)
    /// `BPF_MAP_TYPE_CPUMAP`.
    public static let cpumap = BPFMapType(rawValue: 16)
    /// `BPF_MAP_TYPE_XSKMAP`.
    public static let xskmap = BPFMapType(rawValue: 17)
    /// `BPF_MAP_TYPE_SOCKHASH`.
    public static let sockhash = BPFMapType(rawValue: 18)
    /// `BPF_MAP_TYPE_CGROUP_STORAGE`.
    public static let cgroupStorage = BPFMapType(rawValue: 19)
    /// `BPF_MAP_TYPE_REUSEPORT_SOCKARRAY`.
    public static let reuseportSockarray = BPFMapType(rawValue: 20)
    /// `BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE`.
    public static let percpuCgroupStorage = BPFMapType(rawValue: 21)
    /// `BPF_MAP_TYPE_QUEUE`.
    public static let queue = BPFMapType(rawValue: 22)
    /// `BPF_MAP_TYPE_STACK`.
    public static let stack = BPFMapType(rawValue: 23)
    /// `BPF_MAP_TYPE_SK_STORAGE`.
    public static let skStorage = BPFMapType(rawValue: 24)
    /// `BPF_MAP_TYPE_DEVMAP_HASH`.
    public static let devmapHash = BPFMapType(rawValue: 25)
    /// `BPF_MAP_TYPE_STRUCT_OPS`.
    public static let structOps = BPFMapType(rawValue: 26)
    /// `BPF_MAP_TYPE_RINGBUF`.
    public static let ringbuf = BPFMapType(rawValue: 27)
    /// `BPF_MAP_TYPE_INODE_STORAGE`.
    public static let inodeStorage = BPFMapType(rawValue: 28)
    /// `BPF_MAP_TYPE_TASK_STORAGE`.
    public static let taskStorage = BPFMapType(rawValue: 29)
    /// `BPF_MAP_TYPE_BLOOM_FILTER`.
    public static let bloomFilter = BPFMapType(rawValue: 30)
    /// `BPF_MAP_TYPE_USER_RINGBUF`.
    public static let userRingbuf = BPFMapType(rawValue: 31)
    /// `BPF_MAP_TYPE_CGRP_STORAGE`.
    public static let cgrpStorage = BPFMapType(rawValue: 32)
    /// `BPF_MAP_TYPE_ARENA`.
    public static let arena = BPFMapType(rawValue: 33)

    private static let names: [UInt32: String] = [
        0: "unspec", 1: "hash", 2: "array", 3: "prog_array", 4: "perf_event_array", 5: "percpu_hash",
        6: "percpu_array", 7: "stack_trace", 8: "cgroup_array", 9: "lru_hash", 10: "lru_percpu_hash",
        11: "lpm_trie", 12: "array_of_maps", 13: "hash_of_maps", 14: "devmap", 15: "sockmap", 16: "cpumap",
        17: "xskmap", 18: "sockhash", 19: "cgroup_storage", 20: "reuseport_sockarray",
        21: "percpu_cgroup_storage", 22: "queue", 23: "stack", 24: "sk_storage", 25: "devmap_hash",
        26: "struct_ops", 27: "ringbuf", 28: "inode_storage", 29: "task_storage", 30: "bloom_filter",
        31: "user_ringbuf", 32: "cgrp_storage", 33: "arena",
    ]

    /// The name bpftool prints (`hash`, `percpu_array`, …), or the number for unknown types.
    public var name: String { Self.names[rawValue] ?? "type_\(rawValue)" }
    /// Same as ``name``.
    public var description: String { name }

    /// True for maps whose values are per CPU (lookups return one value per possible CPU).
    public var isPerCPU: Bool {
        [Self.percpuHash, .percpuArray, .lruPercpuHash, .percpuCgroupStorage].contains(self)
    }

    /// True for maps whose values are other maps (`ARRAY_OF_MAPS`, `HASH_OF_MAPS`).
    public var isMapInMap: Bool { self == .arrayOfMaps || self == .hashOfMaps }
}
