import CBPF

/// Element access: `BPF_MAP_LOOKUP_ELEM`, `BPF_MAP_UPDATE_ELEM`, `BPF_MAP_DELETE_ELEM`,
/// `BPF_MAP_GET_NEXT_KEY`, `BPF_MAP_LOOKUP_AND_DELETE_ELEM` and `BPF_MAP_FREEZE`.
///
/// Keys and values are raw bytes in host order. Sizes are checked before the call (the
/// kernel copies exactly `key_size` / value bytes from and to user memory, so a short buffer
/// would be a memory error): a mismatch throws ``BPFError`` with `EINVAL` and a hint.
extension BPFMap {
    /// Bytes of one value as user space exchanges it: `value_size`, or for per-CPU maps
    /// `roundUp(value_size, 8) × possible CPUs`.
    public var kernelValueSize: Int {
        type.isPerCPU ? perCPUStride * PossibleCPUs.count : Int(valueSize)
    }

    /// Bytes between two CPUs' values in a per-CPU value buffer.
    var perCPUStride: Int { (Int(valueSize) + 7) & ~7 }

    /// The value stored under `key`, or nil if there is none (`ENOENT`). For per-CPU maps
    /// these are all CPUs' values (see ``lookupPerCPU(key:)``).
    public func lookup(key: [UInt8], flags: BPFMapUpdateFlags = .any) throws(BPFError) -> [UInt8]? {
        try checkKey(key, for: .mapLookupElem)
        var value = [UInt8](repeating: 0, count: kernelValueSize)
        switch elementCall(.mapLookupElem, key: key, second: &value, flags: flags.rawValue) {
        case .success: return value
        case .failure(.ENOENT): return nil
        case .failure(let errno): throw BPFError(command: .mapLookupElem, errno: errno, object: name)
        }
    }

    /// Stores `value` under `key` (`BPF_ANY`: create or replace; `BPF_NOEXIST`: `EEXIST` if
    /// present; `BPF_EXIST`: `ENOENT` if missing). For per-CPU maps `value` holds all CPUs'
    /// values (see ``updatePerCPU(key:values:flags:)``); for fd maps (prog array, map in map)
    /// the 4-byte fd of the program or map.
    public func update(key: [UInt8], value: [UInt8], flags: BPFMapUpdateFlags = .any) throws(BPFError) {
        try checkKey(key, for: .mapUpdateElem)
        guard value.count == kernelValueSize else {
            throw sizeError(.mapUpdateElem, "value is \(value.count) bytes, the map exchanges \(kernelValueSize)")
        }
        var copy = value
        try elementCall(.mapUpdateElem, key: key, second: &copy, flags: flags.rawValue)
            .orThrow(.mapUpdateElem, object: name)
    }

    /// Removes `key`; returns false if it was not there (`ENOENT`).
    @discardableResult
    public func delete(key: [UInt8]) throws(BPFError) -> Bool {
        try checkKey(key, for: .mapDeleteElem)
        var none: [UInt8] = []
        switch elementCall(.mapDeleteElem, key: key, second: &none, flags: 0) {
        case .success: return true
        case .failure(.ENOENT): return false
        case .failure(let errno): throw BPFError(command: .mapDeleteElem, errno: errno, object: name)
        }
    }

    /// Removes and returns the value under `key` (queues and stacks: pass `[]` to pop), or
    /// nil if there is none.
    public func lookupAndDelete(key: [UInt8]) throws(BPFError) -> [UInt8]? {
        try checkKey(key, for: .mapLookupAndDeleteElem)
        var value = [UInt8](repeating: 0, count: kernelValueSize)
        switch elementCall(.mapLookupAndDeleteElem, key: key, second: &value, flags: 0) {
        case .success: return value
        case .failure(.ENOENT): return nil
        case .failure(let errno): throw BPFError(command: .mapLookupAndDeleteElem, errno: errno, object: name)
        }
    }

    /// The key after `key` in the map's internal order (nil `key`: the first), or nil at the
    /// end. A `key` that is no longer in a hash map restarts from the first key.
    public func nextKey(after key: [UInt8]?) throws(BPFError) -> [UInt8]? {
        if let key { try checkKey(key, for: .mapGetNextKey) }
        var next = [UInt8](repeating: 0, count: Int(keySize))
        switch elementCall(.mapGetNextKey, key: key, second: &next, flags: 0) {
        case .success: return next
        case .failure(.ENOENT): return nil
        case .failure(let errno): throw BPFError(command: .mapGetNextKey, errno: errno, object: name)
        }
    }

    /// All keys, by walking `BPF_MAP_GET_NEXT_KEY` from the start. Stops after `max_entries`
    /// keys, so concurrent deletions (which restart a hash walk) cannot loop forever.
    public func keys() throws(BPFError) -> [[UInt8]] {
        var keys: [[UInt8]] = []
        var current: [UInt8]? = nil
        while keys.count < Int(max(maxEntries, 1)), let next = try nextKey(after: current) {
            keys.append(next)
            current = next
        }
        return keys
    }

    /// Makes the map read-only for user space from now on (`BPF_MAP_FREEZE`); programs can
    /// still write unless the map has `BPF_F_RDONLY_PROG`. Later updates fail with `EPERM`.
    public func freeze() throws(BPFError) {
        var attr = cbpf_map_elem_attr()
        attr.map_fd = UInt32(bitPattern: fd.rawValue)
        try BPFSyscall.call(.mapFreeze, &attr, object: name, fields: { attr in
            [.init("map_fd", "\(attr.map_fd)")]
        })
    }

    // MARK: - Helpers

    /// One element command: `key` (nil: NULL) and a second buffer that is the value or the
    /// next key (empty: NULL).
    func elementCall(_ command: BPFCommand, key: [UInt8]?, second: inout [UInt8], flags: UInt64) -> Result<Int32, Errno> {
        let mapFD = UInt32(bitPattern: fd.rawValue)
        func run(_ keyAddress: UnsafeRawPointer?) -> Result<Int32, Errno> {
            second.withUnsafeMutableBytes { secondBuffer in
                var attr = cbpf_map_elem_attr()
                attr.map_fd = mapFD
                attr.key = kernelAddress(keyAddress)
                attr.value_or_next_key = secondBuffer.isEmpty ? 0 : kernelAddress(secondBuffer.baseAddress)
                attr.flags = flags
                return BPFSyscall.perform(command, &attr, fields: { attr in
                    var fields: [KernelCall.Field] = [.init("map_fd", "\(attr.map_fd)")]
                    fields.append(.init("key", key.map { hexString($0, limit: 32) } ?? "NULL"))
                    if command == .mapUpdateElem {
                        fields.append(.init("value", hexString(secondBuffer, limit: 32)))
                        fields.append(.init("flags", BPFMapUpdateFlags(rawValue: attr.flags).description))
                    }
                    return fields
                })
            }
        }
        guard let key, !key.isEmpty else { return run(nil) }
        return key.withUnsafeBytes { run($0.baseAddress) }
    }

    /// Throws unless `key` is exactly `key_size` bytes.
    func checkKey(_ key: [UInt8], for command: BPFCommand) throws(BPFError) {
        guard key.count == Int(keySize) else {
            throw sizeError(command, "key is \(key.count) bytes, the map's key_size is \(keySize)")
        }
    }

    /// An `EINVAL` raised before the call, explaining a size mismatch.
    func sizeError(_ command: BPFCommand, _ detail: String) -> BPFError {
        BPFError(command: command, errno: .EINVAL, object: name, hint: detail)
    }
}
