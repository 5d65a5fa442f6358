/// A change to a ``BTF`` that does not fit the type list.
public enum BTFEditError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The id is not a stored type.
    case noSuchType(BTFTypeID)
    /// The type is not of the kind the edit needs.
    case wrongKind(BTFTypeID, expected: BTFKind, found: BTFKind)
    /// An entry index (e.g. a DATASEC variable) is outside `0..<count`.
    case noSuchEntry(BTFTypeID, index: Int, count: Int)
    /// A raw type that cannot be stored: unknown kind, or trailing words that do not match
    /// its kind and `vlen`.
    case malformed(String)
    /// A name offset outside the string section.
    case badNameOffset(UInt32)

    /// A one-line explanation, e.g. `BTF type 7 is INT, expected DATASEC`.
    public var description: String {
        switch self {
        case let .noSuchType(id): "BTF type \(id) does not exist"
        case let .wrongKind(id, expected, found): "BTF type \(id) is \(found), expected \(expected)"
        case let .noSuchEntry(id, index, count): "BTF type \(id) has no entry \(index) (it has \(count))"
        case let .malformed(message): "malformed BTF type: \(message)"
        case let .badNameOffset(offset): "name offset \(offset) is outside the string section"
        }
    }
}

/// Editing the type list and writing it back as bytes (the BTF writer).
///
/// The loader uses this to fill in what clang leaves out before `BPF_BTF_LOAD`: DATASEC sizes
/// and the offsets of their variables; and to sanitize kinds an older kernel rejects (replace a
/// type with another of the same shape, as libbpf does).
extension BTF {
    /// Sets the `size` of DATASEC `id` (clang writes 0; the kernel needs the ELF section size).
    public mutating func setDataSection(_ id: BTFTypeID, size: UInt32) throws(BTFEditError) {
        try expect(id, .dataSection)
        words[start(id) + 2] = size
    }

    /// Sets entry `index` of DATASEC `id` (`struct btf_var_secinfo`): its `offset` (the
    /// variable's symbol value) and, when given, its `size`.
    public mutating func setDataSectionEntry(_ id: BTFTypeID, index: Int, offset: UInt32,
                                             size: UInt32? = nil) throws(BTFEditError) {
        try expect(id, .dataSection)
        let count = vlen(of: id)
        guard index >= 0, index < count else { throw .noSuchEntry(id, index: index, count: count) }
        let at = start(id) + 3 + 3 * index
        words[at + 1] = offset
        if let size { words[at + 2] = size }
    }

    /// Returns the string-section offset of `string`, appending it if needed.
    public mutating func addString(_ string: String) -> UInt32 {
        strings.add(string)
    }

    /// Appends `type` and returns its new id. Referenced ids are not checked (types may refer
    /// to types appended later); the kind, `vlen`/trailing length and name offsets are.
    @discardableResult
    public mutating func append(_ type: BTFRawType) throws(BTFEditError) -> BTFTypeID {
        try validate(type)
        starts.append(UInt32(words.count))
        words.append(type.nameOffset)
        words.append(type.info)
        words.append(type.sizeOrType)
        words.append(contentsOf: type.trailing)
        return BTFTypeID(starts.count - 1)
    }

    /// Replaces type `id` by `type`, keeping every id. A replacement of a different length
    /// moves the types after it.
    public mutating func replace(_ id: BTFTypeID, with type: BTFRawType) throws(BTFEditError) {
        guard id != 0, contains(id) else { throw .noSuchType(id) }
        try validate(type)
        let first = start(id)
        let end = Int(id) + 1 < starts.count ? Int(starts[Int(id) + 1]) : words.count
        let replacement = [type.nameOffset, type.info, type.sizeOrType] + type.trailing
        words.replaceSubrange(first..<end, with: replacement)
        let delta = replacement.count - (end - first)
        if delta != 0 {
            for later in (Int(id) + 1)..<starts.count {
                starts[later] = UInt32(Int(starts[later]) + delta)
            }
        }
    }

    /// The blob as bytes in ``order``: the header (with its original `hdr_len` and any extra
    /// header bytes), the type section, then the string section right after it.
    ///
    /// For input laid out the usual way (`type_off` 0, strings right after the types, as clang,
    /// pahole and the kernel write it) `try BTF(bytes: b).encoded() == b`.
    public func encoded() -> [UInt8] {
        let typeLength = words.count * 4
        var bytes = header.encoded(order: order)
        bytes.reserveCapacity(bytes.count + headerExtension.count + typeLength + strings.count)
        bytes.append(contentsOf: headerExtension)
        let typeStart = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: typeLength))
        let swap = order != ByteOrder.host
        bytes.withUnsafeMutableBytes { raw in
            for (index, word) in words.enumerated() {
                raw.storeBytes(of: swap ? word.byteSwapped : word, toByteOffset: typeStart + 4 * index, as: UInt32.self)
            }
        }
        bytes.append(contentsOf: strings.storage)
        return bytes
    }

    // MARK: - Checks

    private func expect(_ id: BTFTypeID, _ kind: BTFKind) throws(BTFEditError) {
        guard id != 0, contains(id) else { throw .noSuchType(id) }
        let found = self.kind(of: id)
        guard found == kind else { throw .wrongKind(id, expected: kind, found: found) }
    }

    private func validate(_ type: BTFRawType) throws(BTFEditError) {
        guard let kind = type.kind, kind != .unknown else {
            throw .malformed("unknown kind \((type.info >> 24) & 0x1f)")
        }
        let expected = kind.trailingWordCount(vlen: type.vlen)
        guard type.trailing.count == expected else {
            throw .malformed("\(kind) with vlen \(type.vlen) needs \(expected) trailing words, has \(type.trailing.count)")
        }
        guard strings.contains(offset: type.nameOffset) else { throw .badNameOffset(type.nameOffset) }
        let stride = kind == .structure || kind == .union || kind == .enum64 ? 3
            : kind == .enumeration || kind == .functionProto ? 2 : 0
        if stride != 0 {
            for index in 0..<type.vlen where !strings.contains(offset: type.trailing[stride * index]) {
                throw .badNameOffset(type.trailing[stride * index])
            }
        }
    }
}
