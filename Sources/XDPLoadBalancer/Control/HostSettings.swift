#if canImport(Glibc)
import Glibc
#endif

/// One sysctl the load balancer needs on its host, with why.
public struct HostSetting: Sendable, Equatable {
    /// The sysctl name, e.g. `net.ipv4.conf.eth0.forwarding`.
    public var name: String
    /// The value xdp-lb writes.
    public var value: String
    /// Why xdp_lb needs it (from bpf/xdp_lb.h, "The control plane's duties", item 6).
    public var reason: String

    /// A setting.
    public init(name: String, value: String, reason: String) {
        self.name = name
        self.value = value
        self.reason = reason
    }

    /// Its file under /proc/sys (dots become slashes).
    public var path: String { "/proc/sys/" + name.split(separator: ".").joined(separator: "/") }
}

/// A setting as applied: what it was before.
public struct AppliedHostSetting: Sendable, Equatable {
    /// The setting.
    public var setting: HostSetting
    /// The value before (nil if it could not be read).
    public var previous: String?

    /// A setting and the value it had.
    public init(setting: HostSetting, previous: String?) {
        self.setting = setting
        self.previous = previous
    }
}

/// The host sysctls bpf/xdp_lb.h asks of the LB host, for the ingress interface.
public enum HostSettings {
    /// The settings for ingress interface `name`.
    public static func required(for name: String) -> [HostSetting] {
        [
            HostSetting(name: "net.ipv4.conf.\(name).forwarding", value: "1",
                        reason: "bpf_fib_lookup finds next hops only on a forwarding interface (else every packet counts fib_fail)"),
            HostSetting(name: "net.ipv4.conf.\(name).accept_local", value: "1",
                        reason: "a packet whose next hop has no neighbour entry yet is passed to the stack already rewritten (source = LB address); the stack forwards it, and so resolves the neighbour, only if it accepts a local source address"),
            HostSetting(name: "net.ipv4.conf.\(name).rp_filter", value: "0",
                        reason: "those passed packets come in with the LB's own address as source: strict reverse-path filtering would drop them"),
            HostSetting(name: "net.ipv4.conf.\(name).send_redirects", value: "0",
                        reason: "the stack forwards them out of the interface they came in on: no ICMP redirects for that"),
        ]
    }

    /// Writes each setting and returns the previous values. A failure names the file.
    public static func apply(_ settings: [HostSetting]) throws -> [AppliedHostSetting] {
        var applied: [AppliedHostSetting] = []
        for setting in settings {
            let previous = read(setting.path)
            try write(setting.value, to: setting.path)
            applied.append(AppliedHostSetting(setting: setting, previous: previous))
        }
        return applied
    }

    /// The trimmed contents of a /proc/sys file, or nil.
    public static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self).trimmingWhitespace()
    }

    static func write(_ value: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LBError(.other("cannot set \(path): \(Errno.current)")) }
        defer { close(fd) }
        let bytes = Array((value + "\n").utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw LBError(.other("cannot set \(path): \(Errno.current)")) }
    }
}

extension String {
    /// Without leading and trailing spaces and newlines.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
