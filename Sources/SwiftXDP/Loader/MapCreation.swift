#if canImport(Glibc)
import Glibc
#endif

/// Creates one map from its spec (`BPF_MAP_CREATE`), as libbpf would:
/// - BTF key/value types when the object's BTF was loaded; retried without them if refused;
/// - map-in-map: an inner map is created first as the template (`inner_map_fd`), then closed;
/// - `pinning = LIBBPF_PIN_BY_NAME`: reuse `<pinRoot>/<name>` if it exists and matches,
///   otherwise create and pin it there;
/// - global data: the initial bytes are written to key 0, and `.rodata*` is frozen.
struct MapCreation {
    let spec: MapSpec
    let loaded: LoadedObject
    let options: LoadOptions

    func make() throws -> BPFMap {
        if let directory = options.reuseMapsFrom,
           let map = try reusePinned(at: directory + "/" + LoadedObject.pinName(spec.name)) {
            return map
        }
        if spec.pinning == .byName {
            let path = options.pinRoot + "/" + spec.name
            if let map = try reusePinned(at: path) { return map }
            let map = try create()
            try map.pin(at: path)
            loaded.createdPins.append(path)
            return map
        }
        return try create()
    }

    /// The map pinned at `path`, checked against the spec, or nil when nothing is pinned there.
    private func reusePinned(at path: String) throws -> BPFMap? {
        guard access(path, F_OK) == 0 else { return nil }
        let map = try BPFMap(pinnedAt: path)
        do {
            try checkCompatible(map, path: path)
        } catch {
            map.close()
            throw error
        }
        options.observer?(.note("map \(spec.name): using the pinned map at \(path)"))
        return map
    }

    private func create() throws -> BPFMap {
        var definition = definition(for: spec, name: KernelNames.mapName(spec, objectName: loaded.object.name))
        var innerTemplate: BPFMap?
        defer { innerTemplate?.close() }
        if let inner = spec.innerMap?.spec {
            innerTemplate = try BPFMap(self.definition(for: inner, name: KernelNames.sanitized(inner.name)))
            definition.innerMap = innerTemplate
        }
        let map: BPFMap
        if let btf = loaded.btf, spec.valueTypeID != 0 || spec.keyTypeID != 0 {
            definition.btf = BPFMapBTF(handle: btf, keyTypeID: spec.keyTypeID, valueTypeID: spec.valueTypeID)
            do {
                map = try BPFMap(definition)
            } catch {
                options.observer?(.note("map \(spec.name): refused with BTF types (\(error)); retrying without"))
                definition.btf = nil
                map = try BPFMap(definition)
            }
        } else {
            map = try BPFMap(definition)
        }
        if let data = spec.initialData, spec.origin == .data || spec.origin == .kconfig {
            if data.contains(where: { $0 != 0 }) {
                try map.update(key: [0, 0, 0, 0], value: data)
            }
            if spec.isReadOnlyData || spec.origin == .kconfig {
                try map.freeze()
            }
        }
        return map
    }

    private func definition(for spec: MapSpec, name: String) -> BPFMapDefinition {
        var definition = BPFMapDefinition(type: BPFMapType(rawValue: spec.type.rawValue), keySize: spec.keySize,
                                          valueSize: spec.valueSize, maxEntries: spec.maxEntries,
                                          flags: spec.flags, name: name)
        if spec.flags.contains(.numaNode) { definition.numaNode = spec.numaNode }
        definition.mapExtra = spec.mapExtra
        definition.ifindex = options.offloadInterfaceIndex
        return definition
    }

    private func checkCompatible(_ map: BPFMap, path: String) throws {
        let info = try map.info()
        var differences: [String] = []
        if info.type.rawValue != spec.type.rawValue { differences.append("type \(info.type) ≠ \(spec.type)") }
        if info.keySize != spec.keySize { differences.append("key size \(info.keySize) ≠ \(spec.keySize)") }
        if info.valueSize != spec.valueSize { differences.append("value size \(info.valueSize) ≠ \(spec.valueSize)") }
        if info.maxEntries != spec.maxEntries { differences.append("max entries \(info.maxEntries) ≠ \(spec.maxEntries)") }
        if info.flags != spec.flags { differences.append("flags \(info.flags) ≠ \(spec.flags)") }
        if !differences.isEmpty {
            throw IncompatiblePin(path: path, difference: differences.joined(separator: ", "))
        }
    }
}
