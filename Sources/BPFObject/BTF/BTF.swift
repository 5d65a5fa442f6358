/// A parsed BTF blob (`.BTF` section of an object, or `/sys/kernel/btf/vmlinux`): the header,
/// the type list and the string section. Mirrors the layout described by `struct btf_header`.
///
/// Storage is flat so the 130k+ types of a kernel parse quickly: the whole type section is kept
/// as `u32` words in host order (every BTF structure is made of `u32` fields, apart from the
/// header), plus the word index where each type starts. Nothing is allocated per type.
/// Type ids run from 1 to ``typeCount``; id 0 is `void`.
///
/// - Raw, kernel-shaped access: ``rawType(_:)`` and the `word`-level accessors.
/// - Friendly access: ``type(_:)`` returns a ``BTFType``.
/// - Queries: ``size(of:)``, ``resolve(_:)``, ``name(of:)``, ``typeID(named:kind:)``, … (BTFQueries.swift).
/// - Editing and writing: ``setDataSection(_:size:)``, ``encoded()`` (BTFWriter.swift).
public struct BTF: Sendable, Equatable {
    /// The byte order the blob was written in (found from the magic) and is written back in.
    public let order: ByteOrder
    /// `btf_header.flags` as read (no flags are defined).
    public internal(set) var flags: UInt8
    /// Header bytes beyond the 24 known ones when `hdr_len` > 24, kept for round trips.
    public internal(set) var headerExtension: [UInt8]
    /// The string section.
    public internal(set) var strings: BTFStringTable
    /// The type section as `u32` words in host order.
    public internal(set) var words: [UInt32]
    /// `starts[id]` is the word index where type `id` begins; `starts[0]` is unused (void).
    @usableFromInline internal var starts: [UInt32]

    /// Parses a BTF blob. The byte order comes from the magic (0xEB9F); `base` is added to the
    /// offsets of errors (pass the section's file offset when reading from an ELF object).
    ///
    /// Checks the header, the string section (starts and ends with NUL), that every type has a
    /// known kind and fits, that every name offset is inside the string section, and that every
    /// referenced type id exists. Throws ``ParseError`` on the first problem.
    public init(bytes: ArraySlice<UInt8>, context: String = ".BTF", base: Int = 0) throws(ParseError) {
        let order = try BTFHeader.detectOrder(bytes, context: context, base: base)
        let reader = ByteReader(bytes, order: order, context: context, base: base)
        self.order = order
        let header = try BTFHeader(reading: reader)
        flags = header.flags
        let headerLength = Int(header.headerLength)
        headerExtension = headerLength == BTFHeader.size
            ? [] : Array(try reader.slice(at: BTFHeader.size, length: headerLength - BTFHeader.size))
        let stringStart = headerLength + Int(header.stringOffset)
        strings = try BTFStringTable(bytes: try reader.slice(at: stringStart, length: Int(header.stringLength)),
                                     context: context + " string section", base: base + stringStart)
        // In bounds: the header checked both sections' ranges.
        let typeStart = headerLength + Int(header.typeOffset)
        let types = try reader.subReader(at: typeStart, length: Int(header.typeLength))
        words = try Self.readWords(types)
        starts = [0]
        try indexTypes(base: types.base)
    }

    /// Parses a BTF blob held in an array.
    public init(bytes: [UInt8], context: String = ".BTF", base: Int = 0) throws(ParseError) {
        try self.init(bytes: bytes[...], context: context, base: base)
    }

    /// Creates an empty BTF (no types, only the empty string) in `order`, to build types into.
    public init(order: ByteOrder) {
        self.order = order
        flags = 0
        headerExtension = []
        strings = BTFStringTable()
        words = []
        starts = [0]
    }

    /// The header ``encoded()`` writes for the current contents: the original `flags` and
    /// `hdr_len`, the type section right after the header and the strings right after the
    /// types (the layout clang, pahole and the kernel use).
    public var header: BTFHeader {
        let typeLength = UInt32(words.count * 4)
        return BTFHeader(flags: flags, headerLength: UInt32(BTFHeader.size + headerExtension.count), typeOffset: 0,
                         typeLength: typeLength, stringOffset: typeLength, stringLength: UInt32(strings.count))
    }

    /// The number of types, not counting `void`: valid ids are `0...typeCount`.
    public var typeCount: Int { starts.count - 1 }

    /// Every type id from 1 to ``typeCount`` (empty when there are no types).
    public var typeIDs: Range<BTFTypeID> { 1..<BTFTypeID(starts.count) }

    /// True when `id` is `void` (0) or one of the stored types.
    @inline(__always)
    public func contains(_ id: BTFTypeID) -> Bool { Int(id) < starts.count }

    // MARK: - Word-level access (ids must satisfy `contains`; id 0 reads as zeros)

    /// The word index where type `id` starts.
    @inline(__always) func start(_ id: BTFTypeID) -> Int { Int(starts[Int(id)]) }

    /// `btf_type.name_off` of `id` (0 for void).
    @inline(__always)
    public func nameOffset(of id: BTFTypeID) -> UInt32 { id == 0 ? 0 : words[start(id)] }
    /// `btf_type.info` of `id` (0 for void).
    @inline(__always)
    public func info(of id: BTFTypeID) -> UInt32 { id == 0 ? 0 : words[start(id) + 1] }
    /// `btf_type.size` / `btf_type.type` of `id` (0 for void).
    @inline(__always)
    public func sizeOrType(of id: BTFTypeID) -> UInt32 { id == 0 ? 0 : words[start(id) + 2] }
    /// Trailing word `index` of type `id` (the caller keeps `index` within the kind's count).
    @inline(__always)
    public func trailingWord(of id: BTFTypeID, _ index: Int) -> UInt32 { words[start(id) + 3 + index] }

    /// The kind of `id` (`.unknown` for void or an id that is not stored).
    @inline(__always)
    public func kind(of id: BTFTypeID) -> BTFKind {
        guard id != 0, contains(id) else { return .unknown }
        return BTFKind(rawValue: UInt8((info(of: id) >> 24) & 0x1f)) ?? .unknown
    }
    /// `BTF_INFO_VLEN` of `id`.
    @inline(__always)
    public func vlen(of id: BTFTypeID) -> Int { Int(info(of: id) & 0xffff) }
    /// `BTF_INFO_KFLAG` of `id`.
    @inline(__always)
    public func kindFlag(of id: BTFTypeID) -> Bool { info(of: id) >> 31 != 0 }

    /// Type `id` exactly as stored, or `nil` for void or an id that is not stored.
    public func rawType(_ id: BTFTypeID) -> BTFRawType? {
        guard id != 0, contains(id) else { return nil }
        let first = start(id)
        let end = Int(id) + 1 < starts.count ? Int(starts[Int(id) + 1]) : words.count
        return BTFRawType(nameOffset: words[first], info: words[first + 1], sizeOrType: words[first + 2],
                          trailing: Array(words[(first + 3)..<end]))
    }

    /// The raw name of `id` from the string section (`""` for anonymous types and void).
    public func rawName(of id: BTFTypeID) -> String { strings[nameOffset(of: id)] }

    // MARK: - Parsing

    /// Reads the whole type section as `u32` words in the blob's byte order.
    ///
    /// The reader checks the range once (`slice`); the words are then converted in one pass
    /// rather than through a bounds-checked call per word, which keeps a kernel's 1.5M words
    /// to a few milliseconds.
    private static func readWords(_ reader: ByteReader) throws(ParseError) -> [UInt32] {
        let count = reader.count / 4
        let bytes = try reader.slice(at: 0, length: count * 4)
        return bytes.withUnsafeBytes { raw in
            [UInt32](capacity: count, filledBy: WordCopier(raw: raw, swap: reader.order != ByteOrder.host))
        }
    }

    /// Copies the `u32` words of the type section into an array's storage (see
    /// ``Swift/Array/init(capacity:filledBy:)``), swapping their bytes when the blob's order is
    /// not the host's.
    private struct WordCopier: ArrayFiller {
        /// The checked bytes of at least `buffer.count` words.
        let raw: UnsafeRawBufferPointer
        let swap: Bool

        func fill(_ buffer: UnsafeMutableBufferPointer<UInt32>) -> Int {
            guard let source = raw.baseAddress, let target = buffer.baseAddress else { return 0 }
            let count = buffer.count
            if swap {
                for i in 0..<count { target[i] = source.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self).byteSwapped }
            } else {
                // Same byte order as the host: a plain copy, in a loop the compiler turns into
                // vector moves (`copyMemory` becomes `memcpy`, whose `rep movsb` for megabytes
                // is slower under instruction counting and no faster on the clock).
                for i in 0..<count { target[i] = source.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self) }
            }
            return count
        }
    }

    /// Walks the type section once, recording where each type starts and checking kinds and
    /// sizes. Name offsets and referenced type ids are only gathered as maxima on the way: when
    /// one is out of range, ``checkNames(base:)`` or ``checkReferences(base:)`` walks the types
    /// again to report the first offender (the same error, in the same order, as checking each
    /// type as it is met).
    ///
    /// Speed (a kernel has 130k types): the walk reads the words through an unsafe buffer
    /// (every read is inside the type, whose extent is checked first) and decides a kind's
    /// layout from its number with bit masks, not through ``BTFKind``'s initialiser and switches.
    private mutating func indexTypes(base: Int) throws(ParseError) {
        var walk = TypeWalk()
        // Every type takes at least 3 words, so `starts` (void first) needs at most
        // `words.count / 3 + 1` entries: written in place rather than appended one by one.
        let starts = words.withUnsafeBufferPointer { w in
            withUnsafeMutablePointer(to: &walk) { walk in
                [UInt32](capacity: w.count / 3 + 1, filledBy: TypeStartWriter(words: w, walk: walk))
            }
        }
        let largestName = walk.largestName
        let largestReference = walk.largestReference
        let stop = walk.stop
        self.starts = starts
        if let stop {
            // The first problem in file order may be an earlier type's name: report that first.
            try checkNames(base: base)
            let position = stop.position
            let context = ".BTF type #\(starts.count)"
            switch stop.problem {
            case .truncatedHeader:
                throw ParseError(.truncated(needed: BTFRawType.headerSize, available: 4 * (words.count - position)),
                                 context: context, offset: base + 4 * position)
            case .unknownKind:
                let kindBits = UInt8((words[position + 1] >> 24) & 0x1f)
                throw ParseError(.unsupported("BTF kind \(kindBits)"), context: context, offset: base + 4 * position + 4)
            case .truncatedTrailing:
                let info = words[position + 1]
                let kind = BTFKind(rawValue: UInt8((info >> 24) & 0x1f)) ?? .unknown
                let vlen = Int(info & 0xffff)
                let trailing = kind.trailingWordCount(vlen: vlen)
                throw ParseError(.truncated(needed: 4 * trailing, available: 4 * (words.count - position - 3)),
                                 context: context + " (\(kind), vlen \(vlen))", offset: base + 4 * position + 12)
            }
        }
        if !strings.contains(offset: largestName) { try checkNames(base: base) }
        if !contains(largestReference) { try checkReferences(base: base) }
    }

    /// Why ``indexTypes(base:)`` stopped.
    private enum IndexProblem { case truncatedHeader, unknownKind, truncatedTrailing }

    /// What one walk over the type words found (``walkTypes(_:into:)``).
    private struct TypeWalk {
        /// Entries written to `starts`, void included.
        var typeCount = 1
        /// The largest name offset met.
        var largestName: UInt32 = 0
        /// The largest referenced type id met.
        var largestReference: UInt32 = 0
        /// Where the walk stopped on a malformed type, and why; nil when every word was read.
        var stop: (position: Int, problem: IndexProblem)?
    }

    /// Runs ``walkTypes(_:into:)`` into an array's storage and keeps what it found in `walk`.
    private struct TypeStartWriter: ArrayFiller {
        let words: UnsafeBufferPointer<UInt32>
        let walk: UnsafeMutablePointer<TypeWalk>

        func fill(_ buffer: UnsafeMutableBufferPointer<UInt32>) -> Int {
            walk.pointee = BTF.walkTypes(words, into: buffer)
            return walk.pointee.typeCount
        }
    }

    /// The walk of ``indexTypes(base:)``: writes the start of every type to `out` (from index 1)
    /// and gathers the largest name offset and type id. Every read is inside `words`: a type's
    /// extent is checked before its words are read. The running values are plain locals (not
    /// captured variables) so they stay in registers: a kernel has 130k types.
    private static func walkTypes(_ words: UnsafeBufferPointer<UInt32>,
                                  into out: UnsafeMutableBufferPointer<UInt32>) -> TypeWalk {
        var result = TypeWalk()
        guard let starts = out.baseAddress else { return result }
        starts[0] = 0  // void
        guard let w = words.baseAddress else { return result }
        let count = words.count
        var typeCount = 1
        var largestName: UInt32 = 0
        var largestReference: UInt32 = 0
        var position = 0
        var stop: (position: Int, problem: IndexProblem)?
        while position < count {
            guard count - position >= 3 else { stop = (position, .truncatedHeader); break }
            let info = w[position + 1]
            let kindBits = (info >> 24) & 0x1f
            guard kindBits != 0, kindBits <= BTFKind.largestKindBits else { stop = (position, .unknownKind); break }
            let vlen = Int(info & 0xffff)
            let trailing = BTFKind.trailingWordCount(kindBits: kindBits, vlen: vlen)
            guard count - position - 3 >= trailing else { stop = (position, .truncatedTrailing); break }
            // From here on every read is inside this type's checked words.
            largestName = max(largestName, w[position])
            // `size_or_type` is a type id for the referencing kinds: masked to 0 for the others.
            let referenceMask = 0 &- ((BTFKind.referencingKindBits >> kindBits) & 1)
            largestReference = max(largestReference, w[position + 2] & referenceMask)
            let members = w + position + 3
            switch kindBits {
            case 4, 5:  // STRUCT, UNION: btf_member name_off, type, offset
                for index in 0..<vlen {
                    largestName = max(largestName, members[3 * index])
                    largestReference = max(largestReference, members[3 * index + 1])
                }
            case 19:  // ENUM64: btf_enum64 name_off, val_lo32, val_hi32
                for index in 0..<vlen { largestName = max(largestName, members[3 * index]) }
            case 6:  // ENUM: btf_enum name_off, val
                for index in 0..<vlen { largestName = max(largestName, members[2 * index]) }
            case 13:  // FUNC_PROTO: btf_param name_off, type
                for index in 0..<vlen {
                    largestName = max(largestName, members[2 * index])
                    largestReference = max(largestReference, members[2 * index + 1])
                }
            case 15:  // DATASEC: btf_var_secinfo type, offset, size
                for index in 0..<vlen { largestReference = max(largestReference, members[3 * index]) }
            case 3:  // ARRAY: btf_array type, index_type, nelems
                largestReference = max(largestReference, members[0], members[1])
            default:
                break
            }
            starts[typeCount] = UInt32(truncatingIfNeeded: position)
            typeCount += 1
            position += 3 + trailing
        }
        result.typeCount = typeCount
        result.largestName = largestName
        result.largestReference = largestReference
        result.stop = stop
        return result
    }

    /// Checks the name offsets of every type indexed so far, type by type; throws for the first
    /// one outside the string section.
    private func checkNames(base: Int) throws(ParseError) {
        for id in 1..<starts.count {
            let position = Int(starts[id])
            let kind = self.kind(of: BTFTypeID(id))
            let context = ".BTF type #\(id)"
            if !strings.contains(offset: words[position]) {
                throw badName(words[position], context: context, offset: base + 4 * position)
            }
            let stride: Int
            switch kind {
            case .structure, .union, .enum64: stride = 3
            case .enumeration, .functionProto: stride = 2
            default: stride = 0
            }
            if stride != 0 {
                for index in 0..<vlen(of: BTFTypeID(id)) {
                    let at = position + 3 + index * stride
                    if !strings.contains(offset: words[at]) {
                        throw badName(words[at], context: context + " entry \(index)", offset: base + 4 * at)
                    }
                }
            }
        }
    }

    private func badName(_ offset: UInt32, context: String, offset at: Int) -> ParseError {
        ParseError(.invalid("name offset \(offset) is outside the string section (\(strings.count) bytes)"),
                   context: context, offset: at)
    }

    /// Checks that every type id a type refers to is void or a stored type; throws for the first
    /// one that is not.
    private func checkReferences(base: Int) throws(ParseError) {
        for id in 1..<starts.count {
            let first = Int(starts[id])
            let kind = self.kind(of: BTFTypeID(id))
            var error: (word: Int, value: UInt32)?
            func check(_ word: Int) {
                if error == nil, !contains(words[word]) { error = (word, words[word]) }
            }
            if kind.referencesType { check(first + 2) }
            switch kind {
            case .array:
                check(first + 3); check(first + 4)
            case .structure, .union, .dataSection:
                let offset = kind == .dataSection ? 0 : 1
                for index in 0..<vlen(of: BTFTypeID(id)) { check(first + 3 + 3 * index + offset) }
            case .functionProto:
                for index in 0..<vlen(of: BTFTypeID(id)) { check(first + 3 + 2 * index + 1) }
            default:
                break
            }
            if let error {
                throw ParseError(.invalid("type id \(error.value) does not exist (\(typeCount) types)"),
                                 context: ".BTF type #\(id) (\(kind))", offset: base + 4 * error.word)
            }
        }
    }
}
