import CBPF

/// Reading many elements per syscall with `BPF_MAP_LOOKUP_BATCH` (Linux 5.6; hash, LRU hash,
/// array and their per-CPU variants), instead of two syscalls per element
/// (`BPF_MAP_GET_NEXT_KEY` + `BPF_MAP_LOOKUP_ELEM`).
///
/// The kernel's rules, as these functions rely on them:
/// - `in_batch` NULL starts at the beginning; `out_batch` receives where the next call starts
///   (a `__u32` bucket number for hash maps, the last key for arrays, so the buffer is
///   `max(key_size, 4)` bytes);
/// - `count` is the room in `keys` / `values` going in and the number of elements copied
///   coming out;
/// - `ENOENT` means "that was the last batch", and `count` still holds the elements copied;
/// - hash maps return whole buckets: `ENOSPC` when the first non-empty bucket has more
///   elements than `count` (nothing copied; ask again with more room);
/// - kernels without the command (`EINVAL`) and map types without batch support (`ENOTSUPP`)
///   refuse it: ``allEntries(batchSize:)`` then walks the keys one by one.
extension BPFMap {
    /// The batch size ``allEntries(batchSize:)`` starts with.
    public static let defaultBatchSize = 4096

    /// Bytes of a batch token buffer: arrays copy `key_size` bytes, hash maps a `__u32`.
    var batchTokenSize: Int { max(Int(keySize), 4) }

    /// One `BPF_MAP_LOOKUP_BATCH`: up to `count` elements starting where `token` says (nil:
    /// at the beginning). The result's ``BPFMapBatch/next`` is nil after the last batch.
    ///
    /// Throws ``BPFError`` with `ENOSPC` when a hash bucket holds more than `count` elements
    /// (call again with a bigger `count`), and with `EINVAL`/`ENOTSUPP` where batches are not
    /// supported (``BPFError/meansBatchUnsupported``). `elementFlags` may be `.lock`
    /// (`BPF_F_LOCK`, `elem_flags`).
    public func lookupBatch(after token: BPFMapBatchToken?, count: Int,
                            elementFlags: BPFMapUpdateFlags = .any) throws(BPFError) -> BPFMapBatch {
        guard count > 0, count <= Int(UInt32.max) else {
            throw sizeError(.mapLookupBatch, "a batch holds 1 to \(UInt32.max) elements, not \(count)")
        }
        if let token, token.bytes.count < batchTokenSize {
            throw sizeError(.mapLookupBatch, "a batch token of this map is \(batchTokenSize) bytes, not \(token.bytes.count)")
        }
        let keyStride = Int(keySize)
        let valueStride = kernelValueSize
        var keys = [UInt8](repeating: 0, count: count * keyStride)
        var values = [UInt8](repeating: 0, count: count * valueStride)
        var next = [UInt8](repeating: 0, count: batchTokenSize)

        // A call the syscall layer repeated after EINTR finds `count` already zeroed by the
        // first attempt and succeeds with nothing: ask again, a few times.
        var copied = 0
        var result: Result<Int32, Errno> = .success(0)
        for _ in 0..<3 {
            (result, copied) = batchCall(.mapLookupBatch, in: token?.bytes, out: &next, keys: &keys, values: &values,
                                         count: count, elementFlags: elementFlags.rawValue)
            if case .success = result, copied == 0 { continue }
            break
        }
        if case .success = result, copied == 0 {
            throw BPFError(command: .mapLookupBatch, errno: .EINTR, object: name,
                           hint: "interrupted again and again; nothing was read")
        }
        let last: Bool
        switch result {
        case .success: last = false
        case .failure(.ENOENT): last = true
        case .failure(.ENOSPC):
            throw BPFError(command: .mapLookupBatch, errno: .ENOSPC, object: name,
                           hint: "a hash bucket holds more than \(count) elements: ask again with a bigger batch")
        case .failure(let errno):
            throw BPFError(command: .mapLookupBatch, errno: errno, object: name)
        }
        copied = min(copied, count)
        var entries: [BPFMapEntry] = []
        entries.reserveCapacity(copied)
        for index in 0..<copied {
            entries.append(BPFMapEntry(key: Array(keys[index * keyStride..<(index + 1) * keyStride]),
                                       value: Array(values[index * valueStride..<(index + 1) * valueStride])))
        }
        return BPFMapBatch(entries: entries, next: last ? nil : BPFMapBatchToken(bytes: next))
    }

    /// Every element of the map, read with `BPF_MAP_LOOKUP_BATCH` in batches of `batchSize`
    /// (doubled whenever a hash bucket does not fit, `ENOSPC`). Where the kernel or the map
    /// type has no batch lookup, falls back to ``entriesByKey()``.
    ///
    /// Elements added or removed during the walk may or may not be included, as with any
    /// walk of a live map; each element that is included is consistent (key with its value).
    public func allEntries(batchSize: Int = BPFMap.defaultBatchSize) throws(BPFError) -> [BPFMapEntry] {
        var size = max(1, min(batchSize, Int(UInt32.max)))
        // No bucket holds more than the whole map; beyond that, ENOSPC is not about room.
        let largest = max(size, 2 * Int(max(maxEntries, 1)))
        var entries: [BPFMapEntry] = []
        var token: BPFMapBatchToken? = nil
        while true {
            let batch: BPFMapBatch
            do {
                batch = try lookupBatch(after: token, count: size)
            } catch where error.errno == .ENOSPC && size < largest {
                size = min(size * 2, largest)
                continue
            } catch where token == nil && error.meansBatchUnsupported {
                return try entriesByKey()
            }
            entries.append(contentsOf: batch.entries)
            guard let next = batch.next else { return entries }
            token = next
        }
    }

    /// Every element of the map, the slow way: ``keys()`` (`BPF_MAP_GET_NEXT_KEY` per key),
    /// then `BPF_MAP_LOOKUP_ELEM` per key, skipping keys deleted in between. Two syscalls
    /// per element; for maps and kernels without `BPF_MAP_LOOKUP_BATCH`.
    public func entriesByKey() throws(BPFError) -> [BPFMapEntry] {
        var entries: [BPFMapEntry] = []
        for key in try keys() {
            guard let value = try lookup(key: key) else { continue }
            entries.append(BPFMapEntry(key: key, value: value))
        }
        return entries
    }

    // MARK: - Helpers

    /// One `BPF_MAP_*_BATCH` call on `cbpf_map_batch_attr`: `in` (nil: NULL) as `in_batch`,
    /// `out` as `out_batch`, room for `count` elements. Returns the result and the `count`
    /// the kernel wrote back.
    func batchCall(_ command: BPFCommand, in token: [UInt8]?, out: inout [UInt8], keys: inout [UInt8],
                   values: inout [UInt8], count: Int, elementFlags: UInt64) -> (Result<Int32, Errno>, Int) {
        var attr = cbpf_map_batch_attr()
        attr.map_fd = UInt32(bitPattern: fd.rawValue)
        attr.count = UInt32(count)
        attr.elem_flags = elementFlags
        let tokenText = token.map { hexString($0, limit: 16) } ?? "NULL"
        let result = keys.withUnsafeMutableBytes { keyBuffer in
            values.withUnsafeMutableBytes { valueBuffer in
                out.withUnsafeMutableBytes { outBuffer in
                    withOptionalBytes(token) { inAddress in
                        attr.in_batch = kernelAddress(inAddress)
                        attr.out_batch = kernelAddress(outBuffer.baseAddress)
                        attr.keys = kernelAddress(keyBuffer.baseAddress)
                        attr.values = kernelAddress(valueBuffer.baseAddress)
                        return BPFSyscall.perform(command, &attr, fields: { attr in
                            [.init("map_fd", "\(attr.map_fd)"), .init("in_batch", tokenText), .init("count", "\(count)")]
                        }, outcome: { attr, _ in "\(attr.count) elements" })
                    }
                }
            }
        }
        return (result, Int(attr.count))
    }
}

/// Calls `body` with the address of `bytes`, or with nil when `bytes` is nil or empty.
private func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawPointer?) -> R) -> R {
    guard let bytes, !bytes.isEmpty else { return body(nil) }
    return bytes.withUnsafeBytes { body($0.baseAddress) }
}
