/// Per-CPU map values (`BPF_MAP_TYPE_PERCPU_ARRAY`, `PERCPU_HASH`, `LRU_PERCPU_HASH`): a lookup
/// returns one slot per possible CPU, each `value_size` bytes rounded up to 8, back to back.
extension BTFValue {
    /// The size of one CPU's slot: `value_size` rounded up to a multiple of 8, as the kernel's
    /// `round_up(value_size, 8)` in `bpf_map_value_size`.
    public static func perCPUStride(valueSize: Int) -> Int {
        (max(valueSize, 0) + 7) / 8 * 8
    }

    /// Splits a per-CPU lookup buffer into each CPU's `valueSize` bytes (index = CPU number).
    /// `cpuCount`, when given, must match the buffer; otherwise the buffer must be a whole
    /// number of slots.
    public static func perCPUSlices(of buffer: ArraySlice<UInt8>, valueSize: Int,
                                    cpuCount: Int? = nil) throws(BTFValueError) -> [ArraySlice<UInt8>] {
        let stride = perCPUStride(valueSize: valueSize)
        guard stride > 0, buffer.count % stride == 0, cpuCount.map({ $0 * stride == buffer.count }) ?? true else {
            throw BTFValueError(.perCPUSize(bufferSize: buffer.count, stride: stride, cpuCount: cpuCount))
        }
        return (0..<buffer.count / stride).map { cpu in
            let start = buffer.startIndex + cpu * stride
            return buffer[start..<start + valueSize]
        }
    }

    /// Decodes a per-CPU lookup buffer into one value per CPU; `valueSize` is the size of
    /// `type`. Each value's error, if any, names its CPU (`cpu 3.bytes: …`).
    public static func decodePerCPU(bytes: ArraySlice<UInt8>, cpuCount: Int? = nil, type: BTFTypeID, btf: BTF,
                                    order: ByteOrder = .host) throws(BTFValueError) -> [BTFValue] {
        guard type != 0 else { throw BTFValueError(.noType) }
        guard let valueSize = btf.valueSize(of: type) else {
            throw BTFValueError(.unsupportedType(type: btf.typeDescription(type), reason: "the type has no size"))
        }
        var values: [BTFValue] = []
        for (cpu, slice) in try perCPUSlices(of: bytes, valueSize: valueSize, cpuCount: cpuCount).enumerated() {
            do {
                values.append(try decode(bytes: slice, type: type, btf: btf, order: order))
            } catch {
                throw BTFValueError(error.kind, path: error.path.isEmpty ? "cpu \(cpu)" : "cpu \(cpu).\(error.path)")
            }
        }
        return values
    }
}
