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
    public var type: BPFMapType
    /// `key_size` in bytes.
    public var keySize: UInt32
    /// `value_size` in bytes.
    public var valueSize: UInt32
    /// `max_entries`.
    public var maxEntries: UInt32
    /// `map_flags` (`BPF_F_NO_PREALLOC`, `BPF_F_RDONLY_PROG`, …).
    public var flags: BPFMapFlags
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
    public init(name: String, origin: Origin, sectionName: String, symbolOffset: UInt64, type: BPFMapType,
                keySize: UInt32, valueSize: UInt32, maxEntries: UInt32, flags: BPFMapFlags) {
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

