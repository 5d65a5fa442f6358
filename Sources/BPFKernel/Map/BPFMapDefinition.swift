/// Everything `BPF_MAP_CREATE` needs: the friendly form of the `BPF_MAP_CREATE` member of
/// `union bpf_attr` (`struct cbpf_map_create_attr` in the C shim).
public struct BPFMapDefinition: Sendable {
    /// `map_type`.
    public var type: BPFMapType
    /// `key_size` in bytes (0 for queues, stacks, bloom filters).
    public var keySize: UInt32
    /// `value_size` in bytes (per CPU for per-CPU maps; 4 for fd/id maps).
    public var valueSize: UInt32
    /// `max_entries`.
    public var maxEntries: UInt32
    /// `map_flags`.
    public var flags: BPFMapFlags
    /// `map_name`; made kernel-safe by ``BPFObjectName``.
    public var name: String
    /// `numa_node`; setting it also sets `BPF_F_NUMA_NODE`.
    public var numaNode: UInt32?
    /// `inner_map_fd`: the template map for `ARRAY_OF_MAPS` / `HASH_OF_MAPS`.
    public var innerMap: BPFMap?
    /// `btf_fd`, `btf_key_type_id`, `btf_value_type_id`, `btf_vmlinux_value_type_id`.
    public var btf: BPFMapBTF?
    /// `map_extra` (bloom filter hash count, arena address hint).
    public var mapExtra: UInt64
    /// `map_ifindex`: offload the map to this device (0: host map).
    public var ifindex: UInt32

    /// Creates a definition; the remaining fields start at zero/nil.
    public init(type: BPFMapType, keySize: UInt32, valueSize: UInt32, maxEntries: UInt32,
                flags: BPFMapFlags = [], name: String = "") {
        self.type = type
        self.keySize = keySize
        self.valueSize = valueSize
        self.maxEntries = maxEntries
        self.flags = flags
        self.name = name
        self.numaNode = nil
        self.innerMap = nil
        self.btf = nil
        self.mapExtra = 0
        self.ifindex = 0
    }
}

/// The BTF description of a map's key and value: `btf_fd`, `btf_key_type_id`,
/// `btf_value_type_id` and `btf_vmlinux_value_type_id` of `BPF_MAP_CREATE`.
public struct BPFMapBTF: Sendable {
    /// The loaded BTF holding the types.
    public var handle: BTFHandle
    /// Type id of the key in `handle` (0: none).
    public var keyTypeID: UInt32
    /// Type id of the value in `handle` (0: none).
    public var valueTypeID: UInt32
    /// Type id in vmlinux BTF of the value (struct_ops maps only).
    public var vmlinuxValueTypeID: UInt32

    /// Creates the BTF part of a map definition.
    public init(handle: BTFHandle, keyTypeID: UInt32, valueTypeID: UInt32, vmlinuxValueTypeID: UInt32 = 0) {
        self.handle = handle
        self.keyTypeID = keyTypeID
        self.valueTypeID = valueTypeID
        self.vmlinuxValueTypeID = vmlinuxValueTypeID
    }
}
