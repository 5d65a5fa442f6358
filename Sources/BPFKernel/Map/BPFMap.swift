import CBPF

/// A BPF map in the kernel, owning its file descriptor (the map lives on while any fd,
/// program or pin refers to it).
///
/// Created with `BPF_MAP_CREATE` (``init(_:)``) or opened from an existing fd, pin or id
/// (``init(adopting:)``); element access is in `BPFMap+Elements.swift`.
public final class BPFMap: Sendable, CustomStringConvertible {
    /// The owned descriptor.
    public let fd: FileDescriptor
    /// The name the kernel stores (at most 15 bytes).
    public let name: String
    /// `map_type`.
    public let type: BPFMapType
    /// `key_size` in bytes.
    public let keySize: UInt32
    /// `value_size` in bytes (of one CPU's value for per-CPU maps).
    public let valueSize: UInt32
    /// `max_entries`.
    public let maxEntries: UInt32
    /// `map_flags`.
    public let flags: BPFMapFlags

    /// Creates a map with `BPF_MAP_CREATE`.
    public init(_ definition: BPFMapDefinition) throws(BPFError) {
        let name = BPFObjectName(definition.name)
        var flags = definition.flags
        if definition.numaNode != nil { flags.insert(.numaNode) }

        var attr = cbpf_map_create_attr()
        attr.map_type = definition.type.rawValue
        attr.key_size = definition.keySize
        attr.value_size = definition.valueSize
        attr.max_entries = definition.maxEntries
        attr.map_flags = flags.rawValue
        attr.inner_map_fd = UInt32(bitPattern: definition.innerMap?.fd.rawValue ?? 0)
        attr.numa_node = definition.numaNode ?? 0
        name.write(into: &attr.map_name)
        attr.map_ifindex = definition.ifindex
        if let btf = definition.btf {
            attr.btf_fd = UInt32(bitPattern: btf.handle.fd.rawValue)
            attr.btf_key_type_id = btf.keyTypeID
            attr.btf_value_type_id = btf.valueTypeID
            attr.btf_vmlinux_value_type_id = btf.vmlinuxValueTypeID
        }
        attr.map_extra = definition.mapExtra

        fd = try BPFSyscall.callReturningFD(.mapCreate, &attr, object: name.value, fields: BPFMap.traceFields)
        self.name = name.value
        self.type = definition.type
        self.keySize = definition.keySize
        self.valueSize = definition.valueSize
        self.maxEntries = definition.maxEntries
        self.flags = flags
    }

    /// Takes ownership of a descriptor that refers to a map (from a pin, an id, another
    /// process) and reads its shape with `BPF_OBJ_GET_INFO_BY_FD`.
    public init(adopting fd: FileDescriptor) throws(BPFError) {
        let info = try BPFMapInfo(fd)
        self.fd = fd
        self.name = info.name
        self.type = info.type
        self.keySize = info.keySize
        self.valueSize = info.valueSize
        self.maxEntries = info.maxEntries
        self.flags = info.flags
    }

    /// The kernel's current description of this map (`struct bpf_map_info`).
    public func info() throws(BPFError) -> BPFMapInfo { try BPFMapInfo(fd, object: name) }

    /// Closes the descriptor now (the map is freed once nothing else refers to it).
    public func close() { fd.close() }

    /// `map "name" (HASH, key 4, value 8, max 16, fd 5)`.
    public var description: String {
        "map \"\(name)\" (\(type), key \(keySize), value \(valueSize), max \(maxEntries), \(fd))"
    }

    /// The trace fields of a `BPF_MAP_CREATE` request.
    private static func traceFields(_ attr: cbpf_map_create_attr) -> [KernelCall.Field] {
        var fields: [KernelCall.Field] = [
            .init("map_type", BPFMapType(rawValue: attr.map_type).name),
            .init("key_size", "\(attr.key_size)"),
            .init("value_size", "\(attr.value_size)"),
            .init("max_entries", "\(attr.max_entries)"),
            .init("map_flags", BPFMapFlags(rawValue: attr.map_flags).description),
            .init("map_name", BPFObjectName.read(from: attr.map_name)),
        ]
        if attr.inner_map_fd != 0 { fields.append(.init("inner_map_fd", "\(attr.inner_map_fd)")) }
        if attr.map_flags & BPFMapFlags.numaNode.rawValue != 0 { fields.append(.init("numa_node", "\(attr.numa_node)")) }
        if attr.map_ifindex != 0 { fields.append(.init("map_ifindex", "\(attr.map_ifindex)")) }
        if attr.btf_fd != 0 {
            fields.append(.init("btf_fd", "\(attr.btf_fd)"))
            fields.append(.init("btf_key_type_id", "\(attr.btf_key_type_id)"))
            fields.append(.init("btf_value_type_id", "\(attr.btf_value_type_id)"))
        }
        if attr.btf_vmlinux_value_type_id != 0 {
            fields.append(.init("btf_vmlinux_value_type_id", "\(attr.btf_vmlinux_value_type_id)"))
        }
        if attr.map_extra != 0 { fields.append(.init("map_extra", "\(attr.map_extra)")) }
        return fields
    }
}
