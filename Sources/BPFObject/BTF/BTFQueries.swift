/// Questions asked of a type list: names, sizes, lookups and the data sections.
extension BTF {
    /// How many typedef/modifier links ``resolve(_:)`` follows before it gives up on a cycle
    /// (libbpf uses the same bound, `MAX_RESOLVE_DEPTH`).
    public static let maxResolveDepth = 32

    /// The type's name, or `nil` for void, anonymous types and ids that are not stored.
    public func name(of id: BTFTypeID) -> String? {
        guard contains(id), id != 0 else { return nil }
        let offset = nameOffset(of: id)
        return offset == 0 ? nil : strings.string(at: offset)
    }

    /// True for the kinds ``resolve(_:)`` looks through: TYPEDEF, CONST, VOLATILE, RESTRICT
    /// and TYPE_TAG.
    public func isAlias(_ id: BTFTypeID) -> Bool {
        switch kind(of: id) {
        case .typedef, .const, .volatile, .restrict, .typeTag: true
        default: false
        }
    }

    /// Follows typedefs and qualifiers (TYPEDEF, CONST, VOLATILE, RESTRICT, TYPE_TAG) to the
    /// underlying type. Returns `nil` for an id that is not stored or a chain longer than
    /// ``maxResolveDepth`` (a cycle).
    public func resolve(_ id: BTFTypeID) -> BTFTypeID? {
        guard contains(id) else { return nil }
        var current = id
        for _ in 0...Self.maxResolveDepth {
            guard isAlias(current) else { return current }
            current = sizeOrType(of: current)
        }
        return nil
    }

    /// The size in bytes of a value of type `id`, like the kernel's `btf_resolve_size`:
    /// typedefs and qualifiers are followed, a pointer is 8 bytes, an array is element size ×
    /// count, a VAR has the size of its type. `nil` for types without a size (void, FWD, FUNC,
    /// FUNC_PROTO, DECL_TAG), unknown ids, cycles and sizes that overflow.
    public func size(of id: BTFTypeID) -> Int? {
        var current = id
        var multiplier = 1
        for _ in 0...Self.maxResolveDepth {
            guard contains(current) else { return nil }
            switch kind(of: current) {
            case .int, .enumeration, .enum64, .structure, .union, .float, .dataSection:
                let (total, overflow) = multiplier.multipliedReportingOverflow(by: Int(sizeOrType(of: current)))
                return overflow ? nil : total
            case .pointer:
                let (total, overflow) = multiplier.multipliedReportingOverflow(by: 8)
                return overflow ? nil : total
            case .typedef, .const, .volatile, .restrict, .typeTag, .variable:
                current = sizeOrType(of: current)
            case .array:
                let (product, overflow) = multiplier.multipliedReportingOverflow(by: Int(trailingWord(of: current, 2)))
                if overflow { return nil }
                multiplier = product
                current = trailingWord(of: current, 0)
            case .unknown, .forward, .function, .functionProto, .declTag:
                return nil
            }
        }
        return nil
    }

    /// Every type id whose name is `name`, optionally only of `kind`, in id order.
    public func typeIDs(named name: String, kind: BTFKind? = nil) -> [BTFTypeID] {
        let utf8 = Array(name.utf8)
        var result: [BTFTypeID] = []
        for id in 1..<BTFTypeID(starts.count) where strings.matches(offset: nameOffset(of: id), utf8) {
            if let kind, self.kind(of: id) != kind { continue }
            result.append(id)
        }
        return result
    }

    /// The first type id named `name` (and of `kind`, when given), e.g.
    /// `typeID(named: "iphdr", kind: .structure)`.
    public func typeID(named name: String, kind: BTFKind? = nil) -> BTFTypeID? {
        var name = name
        if let kind, kind != .unknown {
            // Every stored type has a known kind (checked when read), so its kind is its
            // `info` bits: one load and compare per type, the name compared only on a match.
            let bits = UInt32(kind.rawValue)
            return name.withUTF8 { utf8 -> BTFTypeID? in
                words.withUnsafeBufferPointer { words -> BTFTypeID? in
                    starts.withUnsafeBufferPointer { starts -> BTFTypeID? in
                        for id in 1..<starts.count {
                            let at = Int(starts[id])
                            if (words[at + 1] >> 24) & 0x1f == bits, strings.matches(offset: words[at], utf8) {
                                return BTFTypeID(id)
                            }
                        }
                        return nil
                    }
                }
            }
        }
        return name.withUTF8 { utf8 in
            // The kind is one word to test; the name is compared only when the kind fits.
            for id in 1..<BTFTypeID(starts.count) where kind == nil || self.kind(of: id) == kind {
                if strings.matches(offset: nameOffset(of: id), utf8) { return id }
            }
            return nil
        }
    }

    /// The ids of every DATASEC, in id order.
    public var dataSectionIDs: [BTFTypeID] {
        (1..<BTFTypeID(starts.count)).filter { kind(of: $0) == .dataSection }
    }

    /// The DATASEC named `name` (e.g. `".maps"`, `".rodata"`) with its id.
    public func dataSection(named name: String) -> (id: BTFTypeID, section: BTFDataSection)? {
        guard let id = typeID(named: name, kind: .dataSection), case let .dataSection(section)? = type(id) else {
            return nil
        }
        return (id, section)
    }

    /// The VAR with id `id`, or `nil` when `id` is not a VAR.
    public func variable(_ id: BTFTypeID) -> BTFVariable? {
        guard case let .variable(variable)? = type(id) else { return nil }
        return variable
    }

    /// The variables of the DATASEC `id` with their entries (`struct btf_var_secinfo`), skipping
    /// entries that are not VARs (e.g. FUNCs of extern kernel functions in `.ksyms`).
    public func variables(inDataSection id: BTFTypeID) -> [(variable: BTFVariable, entry: BTFRawVarSecInfo)] {
        dataSectionEntries(of: id).compactMap { entry in
            variable(entry.type).map { ($0, entry) }
        }
    }
}
