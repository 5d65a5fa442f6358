/// Reads legacy map definitions from a `maps` section: an array of fixed-size records, one per
/// map symbol, told apart by record size.
///
/// - 20 bytes: libbpf's old `struct bpf_map_def { type, key_size, value_size, max_entries,
///   map_flags }` (all u32).
/// - 28 or 36 bytes: iproute2's `struct bpf_elf_map { type, size_key, size_value, max_elem,
///   flags, id, pinning[, inner_id, inner_idx] }`.
///
/// Each map's name is the symbol at its record's offset.
enum LegacyMapReader {
    /// Size of `struct bpf_map_def`.
    static let mapDefSize = 20
    /// Sizes of iproute2's `struct bpf_elf_map` without and with the inner-map fields.
    static let elfMapSizes = [28, 36]

    static func read(_ elf: ELFFile, section: ELFSection) throws(ParseError) -> [MapSpec] {
        let symbols = elf.symbolTable.indices(inSection: section.index, where: { _ in true })
            .map { elf.symbol(at: $0) }
            .filter { !$0.name.isEmpty && $0.kind != .section }
            .sorted { $0.value < $1.value }
        guard !symbols.isEmpty else { return [] }
        let context = "legacy maps section \(section.name)"
        guard section.size % symbols.count == 0 else {
            throw ParseError(.invalid("size \(section.size) is not a multiple of its \(symbols.count) map symbols"),
                             context: context, offset: section.offset)
        }
        let recordSize = section.size / symbols.count
        let origin: MapSpec.Origin
        if recordSize == mapDefSize {
            origin = .legacy
        } else if elfMapSizes.contains(recordSize) {
            origin = .iproute2
        } else {
            throw ParseError(.unsupported("map record size \(recordSize): expected \(mapDefSize) (bpf_map_def) "
                                          + "or 28/36 (iproute2 bpf_elf_map)"), context: context, offset: section.offset)
        }
        let reader = elf.reader(for: section)
        return try symbols.map { (symbol) throws(ParseError) -> MapSpec in
            let at = Int(clamping: symbol.value)
            guard at % recordSize == 0, at < section.size else {
                throw reader.error(.invalid("map '\(symbol.name)' at offset \(symbol.value) is not on a "
                                            + "\(recordSize)-byte record of the section"), at: 0)
            }
            let record = try reader.subReader(at: at, length: recordSize, context: "\(context) map '\(symbol.name)'")
            var spec = MapSpec(name: symbol.name, origin: origin, sectionName: section.name, symbolOffset: symbol.value,
                               type: BPFMapType(rawValue: try record.u32(at: 0)), keySize: try record.u32(at: 4),
                               valueSize: try record.u32(at: 8), maxEntries: try record.u32(at: 12),
                               flags: BPFMapFlags(rawValue: try record.u32(at: 16)))
            if origin == .iproute2 {
                spec.pinning = MapSpec.Pinning(iproute2: try record.u32(at: 24))
                spec.iproute2IDs = [try record.u32(at: 20)]
                if recordSize == 36 {
                    spec.iproute2IDs += [try record.u32(at: 28), try record.u32(at: 32)]
                }
            }
            return spec
        }
    }
}
