/// Per-CPU values: one slot per possible CPU (see ``PossibleCPUs``), each `value_size`
/// bytes rounded up to 8, exchanged all at once by `BPF_MAP_LOOKUP_ELEM` / `UPDATE_ELEM`.
extension BPFMap {
    /// The value of every possible CPU under `key` (index = CPU number), each `value_size`
    /// bytes, or nil if there is none. Only for per-CPU map types.
    public func lookupPerCPU(key: [UInt8]) throws(BPFError) -> [[UInt8]]? {
        try checkPerCPU(.mapLookupElem)
        guard let all = try lookup(key: key) else { return nil }
        return perCPUValues(all)
    }

    /// Splits a per-CPU map's value as the kernel exchanges it (``kernelValueSize`` bytes, e.g.
    /// from `BPF_MAP_LOOKUP_BATCH`) into one `value_size` value per possible CPU.
    public func perCPUValues(_ all: [UInt8]) -> [[UInt8]] {
        (0..<PossibleCPUs.count).map { cpu in
            let start = cpu * perCPUStride
            guard start + Int(valueSize) <= all.count else { return [] }
            return Array(all[start..<start + Int(valueSize)])
        }
    }

    /// Stores one value per possible CPU under `key`: `values.count` must equal
    /// ``PossibleCPUs/count`` and each value be `value_size` bytes.
    public func updatePerCPU(key: [UInt8], values: [[UInt8]], flags: BPFMapUpdateFlags = .any) throws(BPFError) {
        try checkPerCPU(.mapUpdateElem)
        guard values.count == PossibleCPUs.count else {
            throw sizeError(.mapUpdateElem, "\(values.count) per-CPU values given, the system has \(PossibleCPUs.count) possible CPUs")
        }
        var all = [UInt8](repeating: 0, count: kernelValueSize)
        for (cpu, value) in values.enumerated() {
            guard value.count == Int(valueSize) else {
                throw sizeError(.mapUpdateElem, "value for CPU \(cpu) is \(value.count) bytes, the map's value_size is \(valueSize)")
            }
            all.replaceSubrange(cpu * perCPUStride..<cpu * perCPUStride + value.count, with: value)
        }
        try update(key: key, value: all, flags: flags)
    }

    /// Throws unless this is a per-CPU map.
    private func checkPerCPU(_ command: BPFCommand) throws(BPFError) {
        guard type.isPerCPU else {
            throw sizeError(command, "map type \(type) is not a per-CPU map")
        }
    }
}
