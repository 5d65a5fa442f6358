/// A JSON value for `xdp-lb status --json`, with stable key order.
enum LBJSON: Equatable {
    case object([(String, LBJSON)])
    case array([LBJSON])
    case string(String)
    case number(UInt64)
    case bool(Bool)

    static func == (a: LBJSON, b: LBJSON) -> Bool { a.text == b.text }

    /// Compact JSON text.
    var text: String {
        switch self {
        case let .object(members):
            "{" + members.map { "\(LBJSON.quote($0.0)):\($0.1.text)" }.joined(separator: ",") + "}"
        case let .array(items): "[" + items.map(\.text).joined(separator: ",") + "]"
        case let .string(value): LBJSON.quote(value)
        case let .number(value): String(value)
        case let .bool(value): value ? "true" : "false"
        }
    }

    static func quote(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
