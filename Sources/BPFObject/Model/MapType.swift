/// A BPF map type. Mirrors `enum bpf_map_type` in linux/bpf.h (raw values are the kernel's).
public struct MapType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The kernel's numeric value.
    public var rawValue: UInt32
    /// Wraps a raw `bpf_map_type` value (unknown values are kept and printed as numbers).
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `BPF_MAP_TYPE_UNSPEC`.
    public static let unspec = MapType(rawValue: 0)
    /// `BPF_MAP_TYPE_HASH`.
    public static let hash = MapType(rawValue: 1)
    /// `BPF_MAP_TYPE_ARRAY`.
    public static let array = MapType(rawValue: 2)
    /// `BPF_MAP_TYPE_PROG_ARRAY`: tail-call targets.
    public static let progArray = MapType(rawValue: 3)
    /// `BPF_MAP_TYPE_PERF_EVENT_ARRAY`.
    public static let perfEventArray = MapType(rawValue: 4)
    /// `BPF_MAP_TYPE_PERCPU_HASH`.
    public static let percpuHash = MapType(rawValue: 5)
    /// `BPF_MAP_TYPE_PERCPU_ARRAY`.
    public static let percpuArray = MapType(rawValue: 6)
    /// `BPF_MAP_TYPE_STACK_TRACE`.
    public static let stackTrace = MapType(rawValue: 7)
    /// `BPF_MAP_TYPE_CGROUP_ARRAY`.
    public static let cgroupArray = MapType(rawValue: 8)
    /// `BPF_MAP_TYPE_LRU_HASH`.
    public static let lruHash = MapType(rawValue: 9)
    /// `BPF_MAP_TYPE_LRU_PERCPU_HASH`.
    public static let lruPercpuHash = MapType(rawValue: 10)
    /// `BPF_MAP_TYPE_LPM_TRIE`.
    public static let lpmTrie = MapType(rawValue: 11)
    /// `BPF_MAP_TYPE_ARRAY_OF_MAPS`.
    public static let arrayOfMaps = MapType(rawValue: 12)
    /// `BPF_MAP_TYPE_HASH_OF_MAPS`.
    public static let hashOfMaps = MapType(rawValue: 13)
    /// `BPF_MAP_TYPE_DEVMAP`.
    public static let devmap = MapType(rawValue: 14)
    /// `BPF_MAP_TYPE_SOCKMAP`.
    public static let sockmap = MapType(rawValue: 15)
    /// `BPF_MAP_TYPE_CPUMAP`.
    public static let cpumap = MapType(rawValue: 16)
    /// `BPF_MAP_TYPE_XSKMAP`.
    public static let xskmap = MapType(rawValue: 17)
    /// `BPF_MAP_TYPE_SOCKHASH`.
    public static let sockhash = MapType(rawValue: 18)
    /// `BPF_MAP_TYPE_CGROUP_STORAGE`.
    public static let cgroupStorage = MapType(rawValue: 19)
    /// `BPF_MAP_TYPE_REUSEPORT_SOCKARRAY`.
    public static let reuseportSockarray = MapType(rawValue: 20)
    /// `BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE`.
    public static let percpuCgroupStorage = MapType(rawValue: 21)
    /// `BPF_MAP_TYPE_QUEUE`.
    public static let queue = MapType(rawValue: 22)
    /// `BPF_MAP_TYPE_STACK`.
    public static let stack = MapType(rawValue: 23)
    /// `BPF_MAP_TYPE_SK_STORAGE`.
    public static let skStorage = MapType(rawValue: 24)
    /// `BPF_MAP_TYPE_DEVMAP_HASH`.
    public static let devmapHash = MapType(rawValue: 25)
    /// `BPF_MAP_TYPE_STRUCT_OPS`.
    public static let structOps = MapType(rawValue: 26)
    /// `BPF_MAP_TYPE_RINGBUF`.
    public static let ringbuf = MapType(rawValue: 27)
    /// `BPF_MAP_TYPE_INODE_STORAGE`.
    public static let inodeStorage = MapType(rawValue: 28)
    /// `BPF_MAP_TYPE_TASK_STORAGE`.
    public static let taskStorage = MapType(rawValue: 29)
    /// `BPF_MAP_TYPE_BLOOM_FILTER`.
    public static let bloomFilter = MapType(rawValue: 30)
    /// `BPF_MAP_TYPE_USER_RINGBUF`.
    public static let userRingbuf = MapType(rawValue: 31)
    /// `BPF_MAP_TYPE_CGRP_STORAGE`.
    public static let cgrpStorage = MapType(rawValue: 32)
    /// `BPF_MAP_TYPE_ARENA`.
    public static let arena = MapType(rawValue: 33)

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
