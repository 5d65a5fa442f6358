import Foundation

/// A throw-away network namespace for privileged tests: `ip netns add swxdp-<pid>-<random>`,
/// a veth pair inside it (`swx0` 198.18.0.1/24 ⇄ `swx1` 198.18.0.2/24, both up), deleted again
/// by ``destroy()`` or `deinit` — even when the test fails. Only the new namespace is touched;
/// the root namespace's interfaces never are.
///
/// Namespaces left behind by a crashed test process (their pid is gone) are removed on the
/// next run.
final class NetworkNamespaceFixture {
    /// The namespace name (also its file in `/var/run/netns`).
    let name: String
    /// The veth end the tests attach to.
    let device = "swx0"
    /// Its peer.
    let peer = "swx1"
    private var destroyed = false

    /// The prefix of every namespace this helper creates.
    static let prefix = "swxdp-"

    init() throws {
        Self.removeStaleNamespaces()
        name = "\(Self.prefix)\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try Self.ip(["netns", "add", name])
        do {
            try ip(["link", "add", device, "type", "veth", "peer", "name", peer])
            try ip(["addr", "add", "198.18.0.1/24", "dev", device])
            try ip(["addr", "add", "198.18.0.2/24", "dev", peer])
            try ip(["link", "set", device, "up"])
            try ip(["link", "set", peer, "up"])
        } catch {
            destroy()
            throw error
        }
    }

    /// Runs `ip -n <name> <arguments>` and returns its standard output.
    @discardableResult
    func ip(_ arguments: [String]) throws -> String {
        try Self.ip(["-n", name] + arguments)
    }

    /// `ip -n <name> -j link show <device>` decoded as JSON objects.
    func links(_ device: String? = nil) throws -> [[String: Any]] {
        let output = try ip(["-j", "link", "show"] + (device.map { ["dev", $0] } ?? []))
        return try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]] ?? []
    }

    /// Deletes the namespace (and with it the veth pair); safe to call twice.
    func destroy() {
        guard !destroyed else { return }
        destroyed = true
        _ = try? Self.ip(["netns", "delete", name])
    }

    deinit { destroy() }

    /// Deletes `swxdp-<pid>-*` namespaces whose process no longer exists.
    static func removeStaleNamespaces() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/var/run/netns")) ?? []
        for name in names where name.hasPrefix(prefix) {
            let parts = name.dropFirst(prefix.count).split(separator: "-")
            guard parts.count == 2, let pid = Int32(parts[0]), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                _ = try? ip(["netns", "delete", name])
            }
        }
    }

    /// A failed `ip` command.
    struct CommandFailed: Error, CustomStringConvertible {
        let arguments: [String]
        let status: Int32
        let standardError: String
        var description: String { "ip \(arguments.joined(separator: " ")) exited with \(status): \(standardError)" }
    }

    /// Runs `ip` with `arguments`; throws ``CommandFailed`` on a non-zero exit.
    @discardableResult
    static func ip(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip")
                                    ? "/usr/sbin/ip" : "/sbin/ip")
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailed(arguments: arguments, status: process.terminationStatus,
                                standardError: String(decoding: errorData, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self)
    }
}
