/// An IPv4 address, stored as the number whose big-endian bytes are the address
/// (10.0.0.1 is 0x0a00_0001), which is how `__be32` fields of xdp_lb.h hold it.
public struct IPv4Address: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The address as a number in network order (first octet most significant).
    public var value: UInt32

    /// The address with this numeric value.
    public init(_ value: UInt32) { self.value = value }

    /// Parses dotted-quad text (`"198.18.0.1"`): exactly four decimal octets 0-255, no leading
    /// `+`, no empty parts. Returns nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let octet = UInt32(part), octet <= 255 else { return nil }
            result = result << 8 | octet
        }
        value = result
    }

    /// The four address bytes in network order.
    public var bytes: [UInt8] { ByteOrder.big.bytes(of: value) }

    /// Dotted-quad text.
    public var description: String {
        (0..<4).map { String((value >> (24 - 8 * $0)) & 0xff) }.joined(separator: ".")
    }

    /// Orders addresses numerically.
    public static func < (a: IPv4Address, b: IPv4Address) -> Bool { a.value < b.value }
}

/// An IPv4 address and a TCP/UDP port: a VIP or a backend.
public struct IPv4Endpoint: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The address.
    public var address: IPv4Address
    /// The port (in host order here; the maps store it network-order).
    public var port: UInt16

    /// An endpoint from its parts.
    public init(_ address: IPv4Address, _ port: UInt16) {
        self.address = address
        self.port = port
    }

    /// Parses `"ADDR:PORT"`, e.g. `"198.18.0.10:8080"` (port 1-65535). Nil on anything else.
    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"),
              let address = IPv4Address(String(text[..<colon])) else { return nil }
        let portText = text[text.index(after: colon)...]
        guard (1...5).contains(portText.count), portText.allSatisfy({ $0.isASCII && $0.isNumber }),
              let port = UInt16(portText), port != 0 else { return nil }
        self.init(address, port)
    }

    /// `ADDR:PORT`.
    public var description: String { "\(address):\(port)" }

    /// Orders by address, then port.
    public static func < (a: IPv4Endpoint, b: IPv4Endpoint) -> Bool {
        (a.address, a.port) < (b.address, b.port)
    }
}

/// The transport protocols a service can balance (`IPPROTO_TCP`, `IPPROTO_UDP`).
public enum LBProtocol: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `IPPROTO_TCP` (6).
    case tcp = 6
    /// `IPPROTO_UDP` (17).
    case udp = 17

    /// `tcp` or `udp`.
    public var description: String { self == .tcp ? "tcp" : "udp" }

    /// Parses `tcp` or `udp` (any case).
    public init?(name: String) {
        switch name.lowercased() {
        case "tcp": self = .tcp
        case "udp": self = .udp
        default: return nil
        }
    }
}
