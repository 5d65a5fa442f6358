/// Lowercase hexadecimal text of `bytes` (`[0x0a, 0xff]` → `"0aff"`), cut after `limit`
/// bytes with a trailing `…`; for trace fields and program tags.
func hexString<Bytes: Collection>(_ bytes: Bytes, limit: Int = .max) -> String where Bytes.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    for byte in bytes.prefix(limit) {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0xf)])
    }
    var result = String(decoding: text, as: UTF8.self)
    if bytes.count > limit { result += "…" }
    return result
}
