/// Questions the value codec asks of BTF types.
extension BTF {
    /// True when array elements of type `id` are C `char`: an INT of one byte named `char` or
    /// with `BTF_INT_CHAR`, possibly `const`/`volatile`. Typedefs are not followed, so
    /// `char comm[16]` holds text while `__u8 pad[3]` holds numbers.
    func isCharElement(_ id: BTFTypeID) -> Bool {
        var current = id
        for _ in 0...Self.maxResolveDepth {
            switch type(current) {
            case let .const(next)?, let .volatile(next)?, let .restrict(next)?, let .typeTag(_, next)?:
                current = next
            case let .int(int)?:
                return int.size == 1 && (int.name == "char" || int.encoding.contains(.char))
            default:
                return false
            }
        }
        return false
    }

    /// The members of struct/union `id` by name, with those of anonymous struct/union members
    /// (searched as C does), each with its bit offset from the start of `id`. The first member
    /// of a name wins.
    func valueMembers(of id: BTFTypeID) -> [String: (member: BTFMember, bitOffset: Int)] {
        var table: [String: (member: BTFMember, bitOffset: Int)] = [:]
        addValueMembers(of: id, at: 0, depth: 0, to: &table)
        return table
    }

    private func addValueMembers(of id: BTFTypeID, at offset: Int, depth: Int,
                                 to table: inout [String: (member: BTFMember, bitOffset: Int)]) {
        guard depth < BTFValue.maxDepth, let resolved = resolve(id) else { return }
        let members: [BTFMember]
        switch type(resolved) {
        case let .structure(composite)?, let .union(composite)?: members = composite.members
        default: return
        }
        for member in members {
            let position = offset + Int(member.bitOffset)
            if member.name.isEmpty {
                addValueMembers(of: member.type, at: position, depth: depth + 1, to: &table)
            } else if table[member.name] == nil {
                table[member.name] = (member, position)
            }
        }
    }

    /// True when `id` (after typedefs and qualifiers) is a struct or union.
    func isComposite(_ id: BTFTypeID) -> Bool {
        guard let resolved = resolve(id) else { return false }
        let kind = kind(of: resolved)
        return kind == .structure || kind == .union
    }

    /// The size in bytes of a value of `id`: ``size(of:)``, except that a DATASEC whose size
    /// clang left at 0 is as large as its last variable's end.
    func valueSize(of id: BTFTypeID) -> Int? {
        guard let resolved = resolve(id), kind(of: resolved) == .dataSection,
              case let .dataSection(section)? = type(resolved), section.size == 0 else {
            return size(of: id)
        }
        return section.variables.map { Int($0.offset) + Int($0.size) }.max() ?? 0
    }

    /// The names of the first few enumerators of an enum, for error messages.
    func enumeratorNames(_ values: [BTFEnumValue], limit: Int = 8) -> [String] {
        let names = values.prefix(limit).map(\.name)
        return values.count > limit ? names + ["…"] : names
    }
}

/// The layout of a `BTF_KIND_INT` without its name: `btf_type.size` and the trailing word's
/// `BTF_INT_ENCODING`, `BTF_INT_OFFSET` and `BTF_INT_BITS`. The codec reads it straight from
/// the words, as it meets integers far more often than anything else.
struct IntegerLayout {
    var size: Int
    var encoding: BTFIntEncoding
    var bitOffset: Int
    var bits: Int

    init(_ int: BTFInt) {
        size = Int(int.size); encoding = int.encoding; bitOffset = Int(int.bitOffset); bits = Int(int.bits)
    }

    /// The layout of `id` when it is an INT (no typedefs followed).
    init?(_ id: BTFTypeID, in btf: BTF) {
        guard btf.kind(of: id) == .int else { return nil }
        let word = btf.trailingWord(of: id, 0)
        size = Int(btf.sizeOrType(of: id))
        encoding = BTFIntEncoding(rawValue: UInt8((word >> 24) & 0x0f))
        bitOffset = Int((word >> 16) & 0xff)
        bits = Int(word & 0xff)
    }

    /// True when the integer fills its bytes (no `BTF_INT_OFFSET`, all bits used) and starts
    /// at bit `position` on a byte boundary, so it is read as whole bytes.
    func isWhole(at position: Int) -> Bool {
        bitOffset == 0 && bits == size * 8 && position % 8 == 0
    }
}

extension BTF {
    /// The typedefs of linux/types.h whose integers hold network (big-endian) byte order on
    /// every machine: `__be16`, `__be32`, `__be64`.
    static let networkOrderTypedefs: [StaticString] = ["__be16", "__be32", "__be64"]

    /// True when the typedef/qualifier chain from `id` passes one of ``networkOrderTypedefs``:
    /// the value codec then reads and writes the integer under it big-endian, so a port shows
    /// as 80 rather than 20480 on a little-endian machine, and 80 is stored as `00 50`.
    ///
    /// The codec asks this for every integer it reads or writes, so typedef names are compared
    /// as bytes in the string table rather than made into `String`s.
    func isNetworkOrder(_ id: BTFTypeID) -> Bool {
        var current = id
        for _ in 0...Self.maxResolveDepth {
            guard contains(current), isAlias(current) else { return false }
            if kind(of: current) == .typedef, isNetworkOrderTypedefName(nameOffset(of: current)) {
                return true
            }
            current = sizeOrType(of: current)
        }
        return false
    }

    /// True when the name at string-table `offset` is one of ``networkOrderTypedefs`` (an
    /// offset outside the table, or 0 for an anonymous type, names none of them).
    private func isNetworkOrderTypedefName(_ offset: UInt32) -> Bool {
        strings.withUTF8(at: offset) { name in
            name.count == 6 && Self.networkOrderTypedefs.contains { typedef in
                name.elementsEqual(UnsafeBufferPointer(start: typedef.utf8Start, count: typedef.utf8CodeUnitCount))
            }
        }
    }
}
