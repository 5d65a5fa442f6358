/// A one-line description of an Ethernet frame for people: `198.18.0.4:40000 → 198.18.0.5:80
/// TCP [S] 74 bytes`, with the MAC addresses and IP/TCP/UDP checksum validity when asked.
public enum PacketSummary {
    /// Describes `frame`. Unparseable parts are shown as such, never trapped on.
    public static func describe(_ frame: [UInt8], macs: Bool = false) -> String {
        guard frame.count >= 14 else { return "\(frame.count) bytes (too short for Ethernet)" }
        let etherType = UInt16(frame[12]) << 8 | UInt16(frame[13])
        var text = macs ? "\(mac(frame, 6)) → \(mac(frame, 0)) " : ""
        guard etherType == 0x0800 else {
            return text + "ethertype 0x\(String(etherType, radix: 16)) \(frame.count) bytes"
        }
        guard let ip = IPv4Header(frame, at: 14) else { return text + "IPv4 (truncated) \(frame.count) bytes" }
        let source = ip.source, destination = ip.destination
        let l4 = 14 + ip.headerLength
        switch ip.proto {
        case 6 where frame.count >= l4 + 20:
            let flags = frame[l4 + 13]
            let names = [(0x02, "S"), (0x10, "."), (0x01, "F"), (0x04, "R"), (0x08, "P")]
                .filter { Int(flags) & $0.0 != 0 }.map(\.1).joined()
            text += "\(source):\(port(frame, l4)) → \(destination):\(port(frame, l4 + 2)) TCP [\(names)]"
        case 17 where frame.count >= l4 + 8:
            text += "\(source):\(port(frame, l4)) → \(destination):\(port(frame, l4 + 2)) UDP"
        case 1:
            text += "\(source) → \(destination) ICMP"
        default:
            text += "\(source) → \(destination) proto \(ip.proto)"
        }
        if ip.isFragment { text += " fragment" }
        return text + " \(frame.count) bytes"
    }

    static func mac(_ frame: [UInt8], _ at: Int) -> String {
        frame[at..<(at + 6)].map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":")
    }

    static func port(_ frame: [UInt8], _ at: Int) -> UInt16 { UInt16(frame[at]) << 8 | UInt16(frame[at + 1]) }
}

/// The fields of an IPv4 header that ``PacketSummary`` and checksum checks need.
public struct IPv4Header: Sendable {
    /// Header length in bytes (`ihl × 4`).
    public var headerLength: Int
    /// `protocol`.
    public var proto: UInt8
    /// Source address, dotted.
    public var source: String
    /// Destination address, dotted.
    public var destination: String
    /// True when MF is set or the fragment offset is not 0.
    public var isFragment: Bool

    /// Reads the header at `offset` of `frame`, or nil if it is truncated or not version 4.
    public init?(_ frame: [UInt8], at offset: Int) {
        guard frame.count >= offset + 20, frame[offset] >> 4 == 4 else { return nil }
        headerLength = Int(frame[offset] & 0x0f) * 4
        guard headerLength >= 20, frame.count >= offset + headerLength else { return nil }
        proto = frame[offset + 9]
        source = frame[(offset + 12)..<(offset + 16)].map(String.init).joined(separator: ".")
        destination = frame[(offset + 16)..<(offset + 20)].map(String.init).joined(separator: ".")
        let fragment = UInt16(frame[offset + 6]) << 8 | UInt16(frame[offset + 7])
        isFragment = fragment & 0x3fff != 0
    }
}
