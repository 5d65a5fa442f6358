/// One key and its value as user space exchanges them (raw bytes in host order; for per-CPU
/// maps the value holds every possible CPU's slot, see ``BPFMap/kernelValueSize``).
public struct BPFMapEntry: Sendable, Hashable {
    /// `key_size` bytes.
    public var key: [UInt8]
    /// ``BPFMap/kernelValueSize`` bytes.
    public var value: [UInt8]

    /// An entry.
    public init(key: [UInt8], value: [UInt8]) {
        self.key = key
        self.value = value
    }
}

/// Where a `BPF_MAP_LOOKUP_BATCH` walk goes on: the bytes the kernel wrote to `out_batch`,
/// passed back as the next call's `in_batch`.
///
/// Opaque in general: for hash maps it is the number of the next bucket (a `__u32`), for
/// array maps the last index returned (the key, host order).
public struct BPFMapBatchToken: Sendable, Hashable {
    /// The raw `out_batch` bytes.
    public var bytes: [UInt8]

    /// A token from raw bytes (as a previous ``BPFMapBatch/next`` held them).
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// For `ARRAY` and `PERCPU_ARRAY` maps: continue after index `index`, so the next batch
    /// starts at `index + 1` (the kernel treats an array's token as the previous key).
    public static func afterArrayIndex(_ index: UInt32) -> BPFMapBatchToken {
        BPFMapBatchToken(bytes: withUnsafeBytes(of: index) { Array($0) })
    }
}

/// One `BPF_MAP_LOOKUP_BATCH` answer: the elements the kernel copied (`count` of them) and
/// where the next batch starts.
public struct BPFMapBatch: Sendable {
    /// The elements, in the kernel's order (bucket order for hash maps, index order for arrays).
    public var entries: [BPFMapEntry]
    /// Pass to the next ``BPFMap/lookupBatch(after:count:elementFlags:)``; nil when the
    /// kernel said this was the last batch (`ENOENT`).
    public var next: BPFMapBatchToken?

    /// A batch.
    public init(entries: [BPFMapEntry], next: BPFMapBatchToken?) {
        self.entries = entries
        self.next = next
    }
}

extension BPFError {
    /// True when `BPF_MAP_LOOKUP_BATCH` failed because the kernel or the map type has no
    /// batch operations: `EINVAL` (kernels before 5.6 do not know the command), `ENOTSUPP`
    /// (the map type has no `map_lookup_batch`) or `EOPNOTSUPP`.
    public var meansBatchUnsupported: Bool {
        command == .mapLookupBatch && [Errno.EINVAL, .ENOTSUPP, .EOPNOTSUPP].contains(errno)
    }
}
