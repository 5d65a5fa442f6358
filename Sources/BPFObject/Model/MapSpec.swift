/// Everything needed to create one BPF map, as read from the object file (no kernel state).
///
/// Mirrors the attributes of `BPF_MAP_CREATE` (`union bpf_attr` map-create fields) plus where
/// the definition came from, its BTF types, pinning and initial contents.
public struct MapSpec: Sendable, Equatable {
    /// Where a map definition came from.
    public enum Origin: String, Sendable, Equatable, Codable {
        /// A BTF-defined map: a variable in the `.maps` section described by BTF.
        case btf
        /// A legacy `struct bpf_map_def` record in a `maps` section (libbpf < 1.0).
        case legacy
        /// A legacy iproute2 `struct bpf_elf_map` record in a `maps` section (tc/ip).
        case iproute2
        /// An internal map holding a global-data section (`.data*`, `.rodata*`, `.bss*`).
        case data
        /// The internal map holding `.kconfig` extern values.
        case kconfig
    }

    /// How a map is pinned in bpffs.
    public enum Pinning: Sendable, Equatable, CustomStringConvertible {
        /// Not pinned (`LIBBPF_PIN_NONE`, iproute2 `PIN_NONE`).
        case none
        /// Pinned by name under the pin directory (`LIBBPF_PIN_BY_NAME`, iproute2 `PIN_GLOBAL_NS`).
        case byName
        /// iproute2's `PIN_OBJECT_NS`: pinned per object.
        case objectNamespace
        /// Any other value, kept as read.
        case other(UInt32)

        /// Decodes libbpf's `pinning` attribute of a BTF map.
        public init(libbpf value: UInt32) {
            switch value {
            case 0: self = .none
            case 1: self = .byName
            default: self = .other(value)
            }
        }

        /// Decodes iproute2's `pinning` field of `struct bpf_elf_map`.
        public init(iproute2 value: UInt32) {
            switch value {
            case 0: self = .none
            case 1: self = .objectNamespace
            case 2: self = .byName
            default: self = .other(value)
            }
        }

        public var description: String {
            switch self {
            case .none: "none"
            case .byName: "by_name"
            case .objectNamespace: "object_ns"
            case let .other(value): "pinning(\(value))"
            }
        }
    }

    /// One `.values` initial slot of a prog-array or map-in-map (`.rel.maps` relocations).
    public struct InitialSlot: Sendable, Equatable {
        /// What a slot points at.
        public enum Target: Sendable, Equatable {
            /// An entry program of this object, by name (tail-call targets).
            case program(String)
            /// A map of this object, by name (inner maps).
            case map(String)
        }
        /// The array index of the slot.
        public var index: Int
        /// What the slot holds.
        public var target: Target
    }

    /// The map's name: its variable name, or the section name for data maps (`.rodata`).
    public var name: String
    /// Where the definition came from.
    public var origin: Origin
    /// The ELF section the definition (or the data) lives in.
    public var sectionName: String
    /// Byte offset of the definition's symbol inside its section (matches relocations).
    public var symbolOffset: UInt64
    /// `map_type`.
    public var type: MapType
    /// `key_size` in bytes.
    public var keySize: UInt32
    /// `value_size` in bytes.
    public var valueSize: UInt32
    /// `max_entries`.
    public var maxEntries: UInt32
    /// `map_flags` (`BPF_F_NO_PREALLOC`, `BPF_F_RDONLY_PROG`, …).
    public var flags: UInt32
    /// `numa_node` (meaningful when `flags` has `BPF_F_NUMA_NODE`).
    public var numaNode: UInt32 = 0
    /// `map_extra` (bloom filter hash count, arena address, …).
    public var mapExtra: UInt64 = 0
    /// Pinning policy.
    public var pinning: Pinning = .none
    /// BTF type id of the key (0 when unknown).
    public var keyTypeID: UInt32 = 0
    /// BTF type id of the value (for data maps, the `DATASEC`; 0 when unknown).
    public var valueTypeID: UInt32 = 0
    /// For map-in-map types: the inner map's definition (BTF `__array(values, …)`).
    public var innerMap: InnerMap? = nil
    /// Initial bytes of a data map's single value (nil for other maps; zeros for `.bss`).
    public var initialData: [UInt8]? = nil
    /// `.values` initial slots.
    public var initialSlots: [InitialSlot] = []
    /// iproute2's `id` and `inner_id`/`inner_idx` fields, kept for inspection.
    public var iproute2IDs: [UInt32] = []

    /// True for the read-only data maps (`.rodata*`): created with `BPF_F_RDONLY_PROG` and
    /// frozen after they are filled.
    public var isReadOnlyData: Bool { origin == .data && sectionName.hasPrefix(".rodata") }

    /// Creates a map spec.
    public init(name: String, origin: Origin, sectionName: String, symbolOffset: UInt64, type: MapType,
                keySize: UInt32, valueSize: UInt32, maxEntries: UInt32, flags: UInt32) {
        self.name = name
        self.origin = origin
        self.sectionName = sectionName
        self.symbolOffset = symbolOffset
        self.type = type
        self.keySize = keySize
        self.valueSize = valueSize
        self.maxEntries = maxEntries
        self.flags = flags
    }
}

/// The definition of the maps a map-in-map holds (boxed so ``MapSpec`` can nest).
public final class InnerMap: Sendable, Equatable {
    /// The inner map's definition.
    public let spec: MapSpec
    /// Wraps an inner map spec.
    public init(_ spec: MapSpec) { self.spec = spec }
    public static func == (lhs: InnerMap, rhs: InnerMap) -> Bool { lhs.spec == rhs.spec }
}

/// `map_flags` bits (`BPF_F_*` for `BPF_MAP_CREATE`).
public enum MapFlags {
    /// `BPF_F_NO_PREALLOC`.
    public static let noPrealloc: UInt32 = 1 << 0
    /// `BPF_F_NO_COMMON_LRU`.
    public static let noCommonLRU: UInt32 = 1 << 1
    /// `BPF_F_NUMA_NODE`.
    public static let numaNode: UInt32 = 1 << 2
    /// `BPF_F_RDONLY`: read-only for user space.
    public static let readOnly: UInt32 = 1 << 3
    /// `BPF_F_WRONLY`: write-only for user space.
    public static let writeOnly: UInt32 = 1 << 4
    /// `BPF_F_STACK_BUILD_ID`.
    public static let stackBuildID: UInt32 = 1 << 5
    /// `BPF_F_ZERO_SEED`.
    public static let zeroSeed: UInt32 = 1 << 6
    /// `BPF_F_RDONLY_PROG`: read-only for programs (`.rodata`).
    public static let readOnlyProgram: UInt32 = 1 << 7
    /// `BPF_F_WRONLY_PROG`.
    public static let writeOnlyProgram: UInt32 = 1 << 8
    /// `BPF_F_CLONE`.
    public static let clone: UInt32 = 1 << 9
    /// `BPF_F_MMAPABLE`: the value can be mmap'ed (global data maps).
    public static let mmapable: UInt32 = 1 << 10

    private static let names: [(UInt32, String)] = [
        (noPrealloc, "no_prealloc"), (noCommonLRU, "no_common_lru"), (numaNode, "numa_node"),
        (readOnly, "rdonly"), (writeOnly, "wronly"), (stackBuildID, "stack_build_id"), (zeroSeed, "zero_seed"),
        (readOnlyProgram, "rdonly_prog"), (writeOnlyProgram, "wronly_prog"), (clone, "clone"), (mmapable, "mmapable"),
    ]

    /// The set bits as names joined by `|` (`"rdonly_prog|mmapable"`), or `"0"`.
    public static func describe(_ flags: UInt32) -> String {
        var parts: [String] = []
        var rest = flags
        for (bit, name) in names where flags & bit != 0 {
            parts.append(name)
            rest &= ~bit
        }
        if rest != 0 { parts.append("0x" + String(rest, radix: 16)) }
        return parts.isEmpty ? "0" : parts.joined(separator: "|")
    }
}
