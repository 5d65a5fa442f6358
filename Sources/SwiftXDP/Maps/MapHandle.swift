/// A map found in the kernel together with what is needed to read and write it by type: its
/// info and, when it was created with BTF, the BTF and its key/value type ids.
public struct MapHandle: @unchecked Sendable {
    /// The open map.
    public let map: BPFMap
    /// `bpf_map_info` of the map.
    public let info: BPFMapInfo
    /// The map's BTF (fetched from the kernel), if any.
    public let btf: BTF?

    /// Opens the map pinned at `path`.
    public static func pinned(_ path: String) throws -> MapHandle { try MapHandle(try BPFMap(pinnedAt: path)) }

    /// Opens the map with kernel id `id` (`BPF_MAP_GET_FD_BY_ID`).
    public static func id(_ id: UInt32) throws -> MapHandle {
        try MapHandle(try BPFMap(adopting: BPFObjectKind.map.open(id: id)))
    }

    /// Finds the map called `name` among the maps of the XDP program attached to `interface`:
    /// the kernel name (`lb_map`, `xdp_prox.rodata`) or, for global data, the section
    /// (`.rodata`).
    public static func attached(to interface: String, named name: String,
                                attachment: XDPAttachment) throws -> MapHandle {
        let status = try attachment.query(interface)
        guard let programID = status.programID ?? [XDPMode.native, .generic, .offload]
            .lazy.compactMap({ status.programID(for: $0) }).first(where: { $0 != 0 }), programID != 0 else {
            throw MapLookupFailure.noProgram(interface: interface)
        }
        let program = try BPFProgram(adopting: BPFObjectKind.program.open(id: programID))
        defer { program.close() }
        var names: [String] = []
        for mapID in try program.info(details: true).mapIDs {
            let handle = try MapHandle.id(mapID)
            if matches(kernelName: handle.info.name, requested: name) { return handle }
            names.append(handle.info.name)
            handle.map.close()
        }
        throw MapLookupFailure.noSuchMap(name: name, interface: interface, available: names)
    }

    /// True when a kernel map name answers to `requested`: equal, equal to its first 15
    /// characters, or for global data the section part (`.rodata` for `xdp_prox.rodata`).
    public static func matches(kernelName: String, requested: String) -> Bool {
        kernelName == requested || kernelName == String(requested.prefix(15))
            || (requested.hasPrefix(".") && kernelName.hasSuffix(requested))
    }

    init(_ map: BPFMap) throws {
        self.map = map
        info = try map.info()
        if info.btfID != 0 {
            let handle = BTFHandle(adopting: try BPFObjectKind.btf.open(id: info.btfID))
            defer { handle.close() }
            btf = try? BTF(bytes: handle.rawBytes())
        } else {
            btf = nil
        }
    }

    /// Bytes of a key typed by a person (`2`, `0xC6120002`, `{"saddr": …}`), by the map's BTF
    /// key type, or as a plain integer/hex bytes of the key size; `hex` forces hex bytes.
    public func key(_ text: String, hex: Bool = false) throws -> [UInt8] {
        try encode(text, type: info.btfKeyTypeID, size: Int(info.keySize), hex: hex)
    }

    /// Bytes of a value typed by a person (see ``key(_:hex:)``).
    public func value(_ text: String, hex: Bool = false) throws -> [UInt8] {
        try encode(text, type: info.btfValueTypeID, size: Int(info.valueSize), hex: hex)
    }

    private func encode(_ text: String, type: UInt32, size: Int, hex: Bool) throws -> [UInt8] {
        let bytes = hex ? try BTFValue.parseHexBytes(text)
                        : try BTFValue.encodeOrRaw(text: text, type: type, btf: btf, size: size, order: .host)
        guard bytes.count == size else {
            throw MapLookupFailure.wrongSize(text: text, expected: size, got: bytes.count)
        }
        return bytes
    }

    /// A key read back, decoded by type (raw integer or bytes without BTF).
    public func decodeKey(_ bytes: [UInt8]) throws -> BTFValue {
        try BTFValue.decodeOrRaw(bytes: bytes[...], type: info.btfKeyTypeID, btf: btf, order: .host)
    }

    /// A value read back, decoded by type.
    public func decodeValue(_ bytes: [UInt8]) throws -> BTFValue {
        try BTFValue.decodeOrRaw(bytes: bytes[...], type: info.btfValueTypeID, btf: btf, order: .host)
    }
}

/// Why a map could not be found or used.
public enum MapLookupFailure: Error, CustomStringConvertible {
    /// No XDP program is attached to the interface.
    case noProgram(interface: String)
    /// The attached program has no map of that name.
    case noSuchMap(name: String, interface: String, available: [String])
    /// A key or value has the wrong number of bytes.
    case wrongSize(text: String, expected: Int, got: Int)

    public var description: String {
        switch self {
        case let .noProgram(interface):
            "no XDP program is attached to \(interface), so it has no maps"
        case let .noSuchMap(name, interface, available):
            "the program on \(interface) has no map named '\(name)'; its maps: "
                + (available.isEmpty ? "none" : available.joined(separator: ", "))
        case let .wrongSize(text, expected, got):
            "'\(text)' is \(got) bytes, the map needs \(expected)"
        }
    }
}
