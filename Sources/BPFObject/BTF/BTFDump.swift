/// A text dump of a type list in the exact format of `bpftool btf dump file X` (the default
/// "raw" format), so output can be compared with bpftool line by line:
///
/// ```
/// [1] INT 'unsigned int' size=4 bits_offset=0 nr_bits=32 encoding=(none)
/// [2] STRUCT 'key' size=16 vlen=2
/// 	'a' type_id=1 bits_offset=0
/// ```
///
/// Anonymous names print as `(anon)`; members, parameters, values and section entries follow
/// their type on lines starting with a tab. Every line ends with a newline.
extension BTF {
    /// The dump of every type, id 1 to ``typeCount``.
    public func dump() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(words.count * 12)
        for id in typeIDs { appendDump(of: id, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The dump of type `id` alone (`""` when `id` is not a stored type).
    public func dump(_ id: BTFTypeID) -> String {
        guard id != 0, contains(id) else { return "" }
        var out: [UInt8] = []
        appendDump(of: id, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the dump lines of type `id` to `out` as UTF-8.
    public func appendDump(of id: BTFTypeID, to out: inout [UInt8]) {
        let kind = kind(of: id)
        let size = sizeOrType(of: id)
        let vlen = vlen(of: id)
        let flag = kindFlag(of: id)
        out.append(UInt8(ascii: "["))
        Self.appendDecimal(UInt64(id), to: &out)
        out.append(UInt8(ascii: "]"))
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: kind.description.utf8)
        out.append(UInt8(ascii: " "))
        appendQuotedName(nameOffset(of: id), to: &out)
        switch kind {
        case .int:
            let word = trailingWord(of: id, 0)
            Self.append(" size=", UInt64(size), to: &out)
            Self.append(" bits_offset=", UInt64((word >> 16) & 0xff), to: &out)
            Self.append(" nr_bits=", UInt64(word & 0xff), to: &out)
            out.append(contentsOf: " encoding=".utf8)
            out.append(contentsOf: Self.intEncodingName(UInt8((word >> 24) & 0x0f)).utf8)
        case .pointer, .const, .volatile, .restrict, .typedef, .typeTag:
            Self.append(" type_id=", UInt64(size), to: &out)
        case .array:
            Self.append(" type_id=", UInt64(trailingWord(of: id, 0)), to: &out)
            Self.append(" index_type_id=", UInt64(trailingWord(of: id, 1)), to: &out)
            Self.append(" nr_elems=", UInt64(trailingWord(of: id, 2)), to: &out)
        case .structure, .union:
            Self.append(" size=", UInt64(size), to: &out)
            Self.append(" vlen=", UInt64(vlen), to: &out)
            for index in 0..<vlen {
                let offset = trailingWord(of: id, 3 * index + 2)
                out.append(contentsOf: "\n\t".utf8)
                appendQuotedName(trailingWord(of: id, 3 * index), to: &out)
                Self.append(" type_id=", UInt64(trailingWord(of: id, 3 * index + 1)), to: &out)
                Self.append(" bits_offset=", UInt64(flag ? offset & 0xff_ffff : offset), to: &out)
                if flag, offset >> 24 != 0 { Self.append(" bitfield_size=", UInt64(offset >> 24), to: &out) }
            }
        case .enumeration, .enum64:
            out.append(contentsOf: (flag ? " encoding=SIGNED" : " encoding=UNSIGNED").utf8)
            Self.append(" size=", UInt64(size), to: &out)
            Self.append(" vlen=", UInt64(vlen), to: &out)
            let stride = kind == .enumeration ? 2 : 3
            for index in 0..<vlen {
                out.append(contentsOf: "\n\t".utf8)
                appendQuotedName(trailingWord(of: id, stride * index), to: &out)
                out.append(contentsOf: " val=".utf8)
                let low = trailingWord(of: id, stride * index + 1)
                if kind == .enumeration {
                    if flag { Self.appendSigned(Int64(Int32(bitPattern: low)), to: &out) }
                    else { Self.appendDecimal(UInt64(low), to: &out) }
                } else {
                    let bits = UInt64(trailingWord(of: id, stride * index + 2)) << 32 | UInt64(low)
                    if flag {
                        Self.appendSigned(Int64(bitPattern: bits), to: &out)
                        out.append(contentsOf: "LL".utf8)
                    } else {
                        Self.appendDecimal(bits, to: &out)
                        out.append(contentsOf: "ULL".utf8)
                    }
                }
            }
        case .forward:
            out.append(contentsOf: (flag ? " fwd_kind=union" : " fwd_kind=struct").utf8)
        case .function:
            Self.append(" type_id=", UInt64(size), to: &out)
            out.append(contentsOf: " linkage=".utf8)
            out.append(contentsOf: Self.linkageName(UInt32(vlen)).utf8)
        case .functionProto:
            Self.append(" ret_type_id=", UInt64(size), to: &out)
            Self.append(" vlen=", UInt64(vlen), to: &out)
            for index in 0..<vlen {
                out.append(contentsOf: "\n\t".utf8)
                appendQuotedName(trailingWord(of: id, 2 * index), to: &out)
                Self.append(" type_id=", UInt64(trailingWord(of: id, 2 * index + 1)), to: &out)
            }
        case .variable:
            Self.append(" type_id=", UInt64(size), to: &out)
            out.append(contentsOf: ", linkage=".utf8)
            out.append(contentsOf: Self.linkageName(trailingWord(of: id, 0)).utf8)
        case .dataSection:
            Self.append(" size=", UInt64(size), to: &out)
            Self.append(" vlen=", UInt64(vlen), to: &out)
            for index in 0..<vlen {
                let variable = trailingWord(of: id, 3 * index)
                Self.append("\n\ttype_id=", UInt64(variable), to: &out)
                Self.append(" offset=", UInt64(trailingWord(of: id, 3 * index + 1)), to: &out)
                Self.append(" size=", UInt64(trailingWord(of: id, 3 * index + 2)), to: &out)
                if contains(variable) {
                    out.append(contentsOf: " (".utf8)
                    out.append(contentsOf: self.kind(of: variable).description.utf8)
                    out.append(UInt8(ascii: " "))
                    appendQuotedName(nameOffset(of: variable), to: &out)
                    out.append(UInt8(ascii: ")"))
                }
            }
        case .float:
            Self.append(" size=", UInt64(size), to: &out)
        case .declTag:
            Self.append(" type_id=", UInt64(size), to: &out)
            out.append(contentsOf: " component_idx=".utf8)
            Self.appendSigned(Int64(Int32(bitPattern: trailingWord(of: id, 0))), to: &out)
        case .unknown:
            break
        }
        out.append(UInt8(ascii: "\n"))
    }

    /// Appends `'name'`, `'(anon)'` for offset 0 or `'(invalid)'` outside the string section.
    private func appendQuotedName(_ offset: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "'"))
        if offset == 0 {
            out.append(contentsOf: "(anon)".utf8)
        } else if strings.contains(offset: offset) {
            strings.storage.withUnsafeBufferPointer { buffer in
                var index = Int(offset)
                while buffer[index] != 0 { out.append(buffer[index]); index += 1 }
            }
        } else {
            out.append(contentsOf: "(invalid)".utf8)
        }
        out.append(UInt8(ascii: "'"))
    }

    /// bpftool's name for an INT encoding.
    private static func intEncodingName(_ encoding: UInt8) -> String {
        switch encoding {
        case 0: "(none)"
        case BTFIntEncoding.signed.rawValue: "SIGNED"
        case BTFIntEncoding.char.rawValue: "CHAR"
        case BTFIntEncoding.bool.rawValue: "BOOL"
        default: "UNKN"
        }
    }

    /// bpftool's name for a FUNC or VAR linkage (both use 0 static, 1 global, 2 extern).
    private static func linkageName(_ linkage: UInt32) -> String {
        switch linkage {
        case 0: "static"
        case 1: "global"
        case 2: "extern"
        default: "(unknown)"
        }
    }

    private static func append(_ label: String, _ value: UInt64, to out: inout [UInt8]) {
        out.append(contentsOf: label.utf8)
        appendDecimal(value, to: &out)
    }

    private static func appendSigned(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        appendDecimal(value.magnitude, to: &out)
    }

    private static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
        var digits = 0
        var rest = value
        repeat { digits += 1; rest /= 10 } while rest > 0
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        var index = out.count - 1
        rest = value
        repeat {
            out[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            index -= 1
        } while rest > 0
    }
}
