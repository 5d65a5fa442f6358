/// Turning what a person typed into a value's bytes, following its BTF type.
extension BTFValue {
    /// Parses `text` as a value of BTF type `type` and returns its bytes (``BTF/size(of:)`` of
    /// them, in `order`), ready for `BPF_MAP_UPDATE_ELEM`.
    ///
    /// The syntax is JSON plus two conveniences for a shell: bare tokens (`0xC6120002`,
    /// `XDP_PASS`, `-1`) and unquoted keys (`{dport: 80}`, the form ``text(hexIntegers:)``
    /// prints). A text that does not start with `{`, `[` or `"` is one token. Each type takes:
    /// - integers: decimal or `0x` hex, negative for signed types, range-checked for the
    ///   type's width (`300 does not fit in __u8 (0 to 255)`); `_Bool`: `true`/`false`/`0`/`1`;
    ///   under `__be16`/`__be32`/`__be64` the number is stored big-endian (`80` → `00 50`);
    /// - enums: an enumerator name or a number; pointers: an address; floats: a decimal number;
    /// - `char[N]`: text (`eth0` or `"eth0"`) of at most N − 1 bytes, or an array of numbers;
    /// - structs, unions and DATASECs: an object, `{"saddr": 3323068418, "dport": 80}` (quotes
    ///   on keys optional); members left out are zero; members of anonymous structs/unions are
    ///   named directly; an unknown member is an error naming it;
    /// - arrays: `[1, 2, 3]`; missing trailing elements are zero;
    /// - integers wider than 64 bits and floats other than 4 or 8 bytes: hex bytes in memory order.
    public static func encode(text: String, type: BTFTypeID, btf: BTF,
                              order: ByteOrder = .host) throws(BTFValueError) -> [UInt8] {
        try encode(input: try ValueInput.parse(text), type: type, btf: btf, order: order)
    }

    /// Encodes a ``BTFValue`` (e.g. a decoded value with one member changed) as type `type`.
    /// Decoding the bytes of a type and encoding the result gives the same bytes back, apart
    /// from padding and unnamed bitfields, which become zero.
    public static func encode(value: BTFValue, type: BTFTypeID, btf: BTF,
                              order: ByteOrder = .host) throws(BTFValueError) -> [UInt8] {
        try encode(input: value.input, type: type, btf: btf, order: order)
    }

    static func encode(input: ValueInput, type: BTFTypeID, btf: BTF, order: ByteOrder) throws(BTFValueError) -> [UInt8] {
        guard type != 0 else { throw BTFValueError(.noType) }
        guard btf.contains(type), btf.resolve(type) != nil else { throw BTFValueError(.noSuchType(type)) }
        guard let size = btf.valueSize(of: type) else {
            throw BTFValueError(.unsupportedType(type: btf.typeDescription(type), reason: "the type has no size"))
        }
        guard size <= maxEncodedSize else {
            throw BTFValueError(.tooComplex("\(btf.typeDescription(type)) is \(size) bytes, more than \(maxEncodedSize)"))
        }
        var encoder = BTFValueEncoder(btf: btf, order: order, bytes: [UInt8](repeating: 0, count: size))
        try encoder.write(input, as: type, at: 0, depth: 0)
        return encoder.bytes
    }
}

/// Writes parsed input into a zeroed buffer, following a BTF type. Positions are in bits from
/// the start of the value, as in ``BTFValueDecoder``.
struct BTFValueEncoder {
    let btf: BTF
    let order: ByteOrder
    var bytes: [UInt8]
    var path = ValuePath()

    mutating func write(_ input: ValueInput, as id: BTFTypeID, at position: Int, depth: Int) throws(BTFValueError) {
        guard depth <= BTFValue.maxDepth else {
            throw path.error(.tooComplex("the type nests deeper than \(BTFValue.maxDepth) levels"))
        }
        guard let resolved = btf.resolve(id) else { throw path.error(.noSuchType(id)) }
        if let layout = IntegerLayout(resolved, in: btf) { return try writeInteger(input, layout, id, at: position) }
        guard let type = btf.type(resolved) else { throw path.error(.noSuchType(id)) }
        switch type {
        case let .int(int):
            try writeInteger(input, IntegerLayout(int), id, at: position)
        case let .enumeration(enumeration), let .enum64(enumeration):
            let bits = Int(enumeration.size) * 8
            try store(try enumerator(input, enumeration, id, bits: bits), id, at: position, size: bits / 8)
        case .pointer:
            try store(try integer(input, id, bits: 64, encoding: []), id, at: position, size: 8)
        case let .float(_, size) where size == 4 || size == 8:
            try store(try float(input, id, size: Int(size)), id, at: position, size: Int(size))
        case let .float(_, size):
            try store(hexBytes(input, id, size: Int(size)), id, at: position)
        case let .array(array):
            try elements(input, array, id, at: position, depth: depth)
        case .structure, .union:
            try members(input, id, at: position, depth: depth)
        case let .dataSection(section):
            try variables(input, section, id, at: position, depth: depth)
        case let .variable(variable):
            try write(input, as: variable.type, at: position, depth: depth + 1)
        default:
            throw path.error(.unsupportedType(type: btf.typeDescription(id),
                                              reason: "a \(btf.kind(of: resolved)) type has no value"))
        }
    }

    // MARK: Scalars

    /// An INT: whole bytes, or a bitfield when the INT's own width/offset say so or it does not
    /// start on a byte; integers over 8 bytes take hex bytes.
    private mutating func writeInteger(_ input: ValueInput, _ int: IntegerLayout, _ id: BTFTypeID,
                                       at position: Int) throws(BTFValueError) {
        guard int.isWhole(at: position) else {
            return try storeBitfield(input, id, at: position + int.bitOffset, count: int.bits)
        }
        if int.size > 8 { return try store(hexBytes(input, id, size: int.size), id, at: position) }
        try store(try integer(input, id, bits: int.bits, encoding: int.encoding), id, at: position, size: int.size,
                  order: btf.isNetworkOrder(id) ? .big : order)
    }

    /// An integer of `bits` bits from a token or string; `_Bool` also takes `true`/`false`.
    private func integer(_ input: ValueInput, _ id: BTFTypeID, bits: Int, encoding: BTFIntEncoding,
                         bitfield: Int? = nil) throws(BTFValueError) -> UInt64 {
        var name: String { bitfield.map { "\(btf.typeDescription(id)):\($0)" } ?? btf.typeDescription(id) }
        let isBool = encoding.contains(.bool)
        let what = isBool ? "true, false or an integer" : "an integer"
        guard let text = input.scalarText else { throw path.error(.expected(what: what, type: name, got: input.summary)) }
        if isBool, text == "true" || text == "false" { return text == "true" ? 1 : 0 }
        let signed = encoding.contains(.signed)
        switch IntegerText.parse(text, bits: bits, signed: signed) {
        case let .value(number): return number
        case .notANumber: throw path.error(.expected(what: what, type: name, got: text))
        case .outOfRange: throw path.error(.outOfRange(text: text, type: name, range: IntegerText.range(bits: bits, signed: signed)))
        }
    }

    /// An enum value from an enumerator name or a number of `bits` bits.
    private func enumerator(_ input: ValueInput, _ enumeration: BTFEnum, _ id: BTFTypeID, bits: Int,
                            bitfield: Int? = nil) throws(BTFValueError) -> UInt64 {
        var name: String { bitfield.map { "\(btf.typeDescription(id)):\($0)" } ?? btf.typeDescription(id) }
        guard let text = input.scalarText else {
            throw path.error(.expected(what: "an enumerator name or an integer", type: name, got: input.summary))
        }
        if let match = enumeration.values.first(where: { $0.name == text }) {
            // An enumerator too wide for a bitfield of the enum does not fit.
            let masked = match.bits & ValueBits.mask(bits)
            let fits = enumeration.isSigned
                ? ValueBits.signExtend(masked, bits: bits) == match.signedValue
                : masked == match.bits
            guard fits else {
                let range = IntegerText.range(bits: bits, signed: enumeration.isSigned)
                throw path.error(.outOfRange(text: text, type: name, range: range))
            }
            return masked
        }
        switch IntegerText.parse(text, bits: bits, signed: enumeration.isSigned) {
        case let .value(number): return number
        case .notANumber:
            throw path.error(.unknownEnumerator(name: text, type: name, known: btf.enumeratorNames(enumeration.values)))
        case .outOfRange:
            throw path.error(.outOfRange(text: text, type: name, range: IntegerText.range(bits: bits, signed: enumeration.isSigned)))
        }
    }

    /// A 4- or 8-byte float's bit pattern from a decimal number (`1.5`, `-2e3`, `inf`, `nan`).
    private func float(_ input: ValueInput, _ id: BTFTypeID, size: Int) throws(BTFValueError) -> UInt64 {
        var name: String { btf.typeDescription(id) }
        guard let text = input.scalarText else { throw path.error(.expected(what: "a number", type: name, got: input.summary)) }
        if size == 4, let value = Float(text) {
            guard value.isFinite || !(Double(text)?.isFinite ?? false) else {
                throw path.error(.outOfRange(text: text, type: name, range: "±\(Float.greatestFiniteMagnitude)"))
            }
            return UInt64(value.bitPattern)
        }
        if size == 8, let value = Double(text) { return value.bitPattern }
        throw path.error(.expected(what: "a number", type: name, got: text))
    }

    /// Hex bytes in memory order, exactly `size` of them.
    private func hexBytes(_ input: ValueInput, _ id: BTFTypeID, size: Int) throws(BTFValueError) -> [UInt8] {
        var name: String { btf.typeDescription(id) }
        guard let text = input.scalarText, let bytes = try? BTFValue.parseHexBytes(text) else {
            throw path.error(.expected(what: "\(size) hex bytes", type: name, got: input.summary))
        }
        guard bytes.count == size else { throw path.error(.sizeMismatch(type: name, expected: size, actual: bytes.count)) }
        return bytes
    }

    /// A bitfield of `count` bits: an INT (or `_Bool`) or an enum.
    mutating func storeBitfield(_ input: ValueInput, _ id: BTFTypeID, at position: Int, count: Int) throws(BTFValueError) {
        var name: String { "\(btf.typeDescription(id)):\(count)" }
        guard let resolved = btf.resolve(id) else { throw path.error(.noSuchType(id)) }
        guard (1...64).contains(count) else {
            throw path.error(.unsupportedType(type: name, reason: "a bitfield wider than 64 bits is not supported"))
        }
        let number: UInt64
        switch btf.type(resolved) {
        case let .int(int)?:
            number = try integer(input, id, bits: count, encoding: int.encoding, bitfield: count)
        case let .enumeration(enumeration)?, let .enum64(enumeration)?:
            number = try enumerator(input, enumeration, id, bits: count, bitfield: count)
        default:
            throw path.error(.unsupportedType(type: name, reason: "a bitfield of this type is not supported"))
        }
        guard position >= 0, ValueBits.fits(position / 8, ValueBits.byteSpan(at: position, count: count), in: bytes.count) else {
            throw outOfBounds(id, offset: position / 8, size: ValueBits.byteSpan(at: position, count: count))
        }
        ValueBits.storeBits(number, into: &bytes, at: position, count: count, order: order)
    }

    // MARK: Bounds-checked writes

    func byteOffset(_ id: BTFTypeID, at position: Int) throws(BTFValueError) -> Int {
        guard position % 8 == 0 else {
            throw path.error(.unsupportedType(type: btf.typeDescription(id),
                                              reason: "starts at bit \(position), not on a byte boundary"))
        }
        return position / 8
    }

    private func outOfBounds(_ id: BTFTypeID, offset: Int, size: Int) -> BTFValueError {
        path.error(.outOfBounds(type: btf.typeDescription(id), offset: offset, size: size, available: bytes.count))
    }

    mutating func store(_ number: UInt64, _ id: BTFTypeID, at position: Int, size: Int,
                        order: ByteOrder? = nil) throws(BTFValueError) {
        let offset = try byteOffset(id, at: position)
        guard ValueBits.fits(offset, size, in: bytes.count) else { throw outOfBounds(id, offset: offset, size: size) }
        ValueBits.store(number, into: &bytes, at: offset, size: size, order: order ?? self.order)
    }

    mutating func store(_ data: [UInt8], _ id: BTFTypeID, at position: Int) throws(BTFValueError) {
        let offset = try byteOffset(id, at: position)
        guard ValueBits.fits(offset, data.count, in: bytes.count) else { throw outOfBounds(id, offset: offset, size: data.count) }
        bytes.replaceSubrange(offset..<offset + data.count, with: data)
    }
}
