/// A value as text for people and as JSON for programs.
///
/// Text: integers in decimal (or hex on request), enums by name, strings quoted, pointers in
/// hex, structs as `{saddr: 3323068418, dport: 80}`, arrays as `[1, 2, 3]`. This text is also
/// valid input for ``BTFValue/encode(text:type:btf:order:)``.
///
/// JSON: the same tree with quoted keys; integers and pointers are decimal numbers (64-bit
/// values are written exactly; readers that hold numbers as doubles lose precision above 2^53),
/// enums are their name as a string when one matches, members keep declaration order, and
/// non-finite floats and raw bytes are strings. Anonymous struct/union members are shown
/// inline in both forms, as C names them.
extension BTFValue: CustomStringConvertible {
    /// The text form with decimal integers: ``text(hexIntegers:)``.
    public var description: String { text() }

    /// The text form; `hexIntegers` prints integers as `0x…` instead of decimal.
    public func text(hexIntegers: Bool = false) -> String {
        var out = ""
        writeText(into: &out, hex: hexIntegers)
        return out
    }

    /// The value as one line of JSON.
    public var jsonText: String { jsonText(pretty: false) }

    /// The value as JSON: one line, or indented by two spaces per level when `pretty`.
    public func jsonText(pretty: Bool) -> String {
        var out = ""
        writeJSON(into: &out, indent: pretty ? 0 : nil)
        return out
    }

    /// A float's shortest text that reads back to the same value (`1.5`, `1e-05`, `inf`, `nan`).
    var floatText: String {
        guard case let .float(bits, size) = self else { return "" }
        return size == 4 ? Float(bitPattern: UInt32(truncatingIfNeeded: bits)).description : Double(bitPattern: bits).description
    }

    // MARK: Text

    private func writeText(into out: inout String, hex: Bool) {
        switch self {
        case let .unsigned(value, _):
            out += hex ? "0x" + String(value, radix: 16) : String(value)
        case let .signed(value, _):
            out += hex ? (value < 0 ? "-0x" : "0x") + String(value.magnitude, radix: 16) : String(value)
        case let .bool(value):
            out += value ? "true" : "false"
        case let .string(text):
            Self.quote(text, into: &out)
        case let .enumerator(name, value):
            if let name { out += name } else { value.writeText(into: &out, hex: hex) }
        case let .structure(members), let .union(members):
            out += "{"
            for (index, member) in Self.inlined(members).enumerated() {
                out += index == 0 ? "" : ", "
                out += member.name + ": "
                member.value.writeText(into: &out, hex: hex)
            }
            out += "}"
        case let .array(elements):
            out += "["
            for (index, element) in elements.enumerated() {
                out += index == 0 ? "" : ", "
                element.writeText(into: &out, hex: hex)
            }
            out += "]"
        case let .pointer(address):
            out += "0x" + String(address, radix: 16)
        case .float:
            out += floatText
        case let .bytes(bytes):
            Self.quote(BTFValue.formatHex(bytes), into: &out)
        }
    }

    // MARK: JSON

    private func writeJSON(into out: inout String, indent: Int?) {
        switch self {
        case let .unsigned(value, _): out += String(value)
        case let .signed(value, _): out += String(value)
        case let .bool(value): out += value ? "true" : "false"
        case let .string(text): Self.quote(text, into: &out)
        case let .enumerator(name?, _): Self.quote(name, into: &out)
        case let .enumerator(nil, value): value.writeJSON(into: &out, indent: indent)
        case let .structure(members), let .union(members):
            let items = Self.inlined(members).map { (Optional($0.name), $0.value) }
            Self.writeContainer(items, open: "{", close: "}", into: &out, indent: indent)
        case let .array(elements):
            Self.writeContainer(elements.map { (nil, $0) }, open: "[", close: "]", into: &out, indent: indent)
        case let .pointer(address): out += String(address)
        case let .float(bits, size):
            let finite = size == 4 ? Float(bitPattern: UInt32(truncatingIfNeeded: bits)).isFinite
                                   : Double(bitPattern: bits).isFinite
            if finite { out += floatText } else { Self.quote(floatText, into: &out) }
        case let .bytes(bytes): Self.quote(BTFValue.formatHex(bytes), into: &out)
        }
    }

    private static func writeContainer(_ items: [(String?, BTFValue)], open: String, close: String,
                                       into out: inout String, indent: Int?) {
        out += open
        guard !items.isEmpty else { out += close; return }
        let inner = indent.map { $0 + 2 }
        for (index, (key, value)) in items.enumerated() {
            if index > 0 { out += "," }
            if let inner { out += "\n" + String(repeating: " ", count: inner) }
            if let key {
                quote(key, into: &out)
                out += indent == nil ? ":" : ": "
            }
            value.writeJSON(into: &out, indent: inner)
        }
        if let indent { out += "\n" + String(repeating: " ", count: indent) }
        out += close
    }

    // MARK: Helpers

    /// Members with anonymous struct/union members replaced by their own members.
    static func inlined(_ members: [Member]) -> [Member] {
        members.flatMap { member -> [Member] in
            if member.name.isEmpty, let inner = member.value.members { return inlined(inner) }
            return [member]
        }
    }

    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped.
    static func quote(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
