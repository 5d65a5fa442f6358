import CBPF

/// What the kernel reports about a map: the friendly form of `struct bpf_map_info`
/// (`BPF_OBJ_GET_INFO_BY_FD` on a map fd).
public struct BPFMapInfo: Sendable, Equatable {
    /// `id`: the map's system-wide id (as in `bpftool map show`).
    public var id: UInt32
    /// `type`.
    public var type: BPFMapType
    /// `key_size`.
    public var keySize: UInt32
    /// `value_size`.
    public var valueSize: UInt32
    /// `max_entries`.
    public var maxEntries: UInt32
    /// `map_flags`.
    public var flags: BPFMapFlags
    /// `name`.
    public var name: String
    /// `ifindex` of an offloaded map (0 otherwise).
    public var ifindex: UInt32
    /// `btf_id`: id of the BTF object describing key and value (0: none).
    public var btfID: UInt32
    /// `btf_key_type_id`.
    public var btfKeyTypeID: UInt32
    /// `btf_value_type_id`.
    public var btfValueTypeID: UInt32
    /// `btf_vmlinux_value_type_id`.
    public var btfVMLinuxValueTypeID: UInt32
    /// `map_extra`.
    public var mapExtra: UInt64

    /// Reads the info of the map behind `fd`.
    public init(_ fd: FileDescriptor, object: String? = nil) throws(BPFError) {
        let raw = try ObjectInfo.fetch(fd, empty: bpf_map_info(), object: object)
        self.init(raw)
    }

    /// Converts the kernel struct.
    init(_ raw: bpf_map_info) {
        id = raw.id
        type = BPFMapType(rawValue: raw.type)
        keySize = raw.key_size
        valueSize = raw.value_size
        maxEntries = raw.max_entries
        flags = BPFMapFlags(rawValue: raw.map_flags)
        name = BPFObjectName.read(from: raw.name)
        ifindex = raw.ifindex
        btfID = raw.btf_id
        btfKeyTypeID = raw.btf_key_type_id
        btfValueTypeID = raw.btf_value_type_id
        btfVMLinuxValueTypeID = raw.btf_vmlinux_value_type_id
        mapExtra = raw.map_extra
    }
}
