import Foundation
import Testing

/// The namespace lab of `scripts/lab.sh` set up as xdp-lb's test bed, torn down by ``close()``.
///
/// ```
///   client 198.18.0.4 ─┐
///   lb     198.18.0.5 ─┤ bridge br0     xdp_lb on lb's eth0, VIP 198.18.0.10:80
///   backend2 .2 :80   ─┤                nginx "Hostname: backend-2", access log counted
///   backend3 .3 :80   ─┘                nginx "Hostname: backend-3"
/// ```
///
/// The LB host gets what bpf/xdp_lb.h asks of it (forwarding, accept_local, no rp_filter,
/// no redirects) and the VIP on its eth0; the client a permanent neighbour entry for the VIP.
/// Native mode also puts xdp_pass on the LB's bridge port: a veth delivers frames sent with
/// XDP_TX only to a peer that runs XDP itself. Offloads off turns TX/RX checksum offload,
/// TSO, GSO and GRO off on every host's eth0 and every bridge port.
final class LBLab {
    /// A host of the lab; the raw value is the name `scripts/lab.sh exec` takes.
    enum Host: String, Sendable {
        case client, lb, backend2, backend3, bridge

        /// The suffix of the host's namespace name, as `scripts/lab.sh` makes it.
        var namespaceSuffix: String {
            switch self {
            case .client: "client"
            case .lb: "lb"
            case .backend2: "b2"
            case .backend3: "b3"
            case .bridge: "br"
            }
        }
    }

    /// The XDP mode xdp-lb attaches in (`--mode`).
    enum Mode: String, Sendable, CustomStringConvertible {
        case generic, native
        var description: String { rawValue }
    }

    static let clientIP = "198.18.0.4"
    static let lbIP = "198.18.0.5"
    static let lbMAC = "02:00:c6:12:00:05"
    static let backend2 = "198.18.0.2:80"
    static let backend3 = "198.18.0.3:80"
    static let vip = "198.18.0.10"

    /// The lab's name ("lbe" + 6 hex digits): every namespace and pin name starts with it.
    let name: String
    /// Where xdp-lb pins this lab's program and maps (`--pin-root` when the CLI has it).
    let pinRoot: String
    private var isClosed = false

    /// The repository's root directory (found from this file's path).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Whether this machine can run the lab: root, plus ip, nsenter, wrk, ethtool, curl.
    static var missingTools: [String] {
        ["ip", "nsenter", "wrk", "ethtool", "curl", "nginx"].filter { !LBLabProcess.hasTool($0) }
    }

    /// Creates the lab (nginx backends), prepares the LB host, sets the offloads and, for
    /// native mode, puts xdp_pass on the LB's bridge port.
    init(mode: Mode, offloads: Bool) throws {
        name = "lbe" + String(format: "%06x", UInt32.random(in: 0 ... 0xffffff))
        pinRoot = "/sys/fs/bpf/" + name
        let script = Self.repositoryRoot.appendingPathComponent("scripts/lab.sh").path
        try LBLabProcess.runChecked(["SWIFT_XDP_LAB_SERVER=nginx", "bash", script, "up", name], timeout: 300)
        do {
            try prepare(mode: mode, offloads: offloads)
        } catch {
            try? close()
            throw error
        }
    }

    deinit { try? close() }

    /// Runs `body` with a new lab and closes the lab afterwards, also when `body` throws.
    static func with<Result>(mode: Mode, offloads: Bool, _ body: (LBLab) throws -> Result) throws -> Result {
        let lab = try LBLab(mode: mode, offloads: offloads)
        defer { try? lab.close() }
        return try body(lab)
    }

    private func prepare(mode: Mode, offloads: Bool) throws {
        for key in ["all.forwarding=1", "eth0.forwarding=1", "all.accept_local=1", "eth0.accept_local=1",
                    "all.send_redirects=0", "eth0.send_redirects=0", "all.rp_filter=0", "eth0.rp_filter=0"] {
            try runChecked(on: .lb, ["sysctl", "-qw", "net.ipv4.conf." + key])
        }
        try runChecked(on: .lb, ["ip", "addr", "replace", Self.vip + "/32", "dev", "eth0"])
        try runChecked(on: .client, ["ip", "neigh", "replace", Self.vip, "lladdr", Self.lbMAC, "dev", "eth0", "nud", "permanent"])
        if !offloads {
            let off = ["tx", "off", "rx", "off", "tso", "off", "gso", "off", "gro", "off"]
            for host in [Host.client, .lb, .backend2, .backend3] {
                try runChecked(on: host, ["ethtool", "-K", "eth0"] + off)
                try runChecked(on: .bridge, ["ethtool", "-K", host.rawValue] + off)
            }
        }
        if mode == .native {
            let swiftXDP = try BuiltProduct.path("swift-xdp", environment: "SWIFT_XDP")
            let pass = Self.repositoryRoot.appendingPathComponent("Fixtures/xdp_pass.bpf.o").path
            try runChecked(on: .bridge, [swiftXDP, "load", pass, "--dev", "lb", "--mode", "native"])
        }
    }

    /// The name of `host`'s network namespace.
    func namespace(of host: Host) -> String { "\(name)-\(host.namespaceSuffix)" }

    /// The command line that runs `command` in `host`'s network namespace. `nsenter --net`
    /// rather than `ip netns exec`, which remounts /sys and so hides the bpffs pins.
    func inNamespace(_ host: Host, _ command: [String]) -> [String] {
        ["nsenter", "--net=/run/netns/\(namespace(of: host))"] + command
    }

    /// Runs `command` in `host`'s namespace, whatever its exit status.
    func run(on host: Host, _ command: [String], timeout: Double = 60) throws -> LBLabResult {
        try LBLabProcess.run(inNamespace(host, command), timeout: timeout)
    }

    /// Runs `command` in `host`'s namespace and throws unless it exits with status 0.
    @discardableResult
    func runChecked(on host: Host, _ command: [String], timeout: Double = 60) throws -> LBLabResult {
        try LBLabProcess.runChecked(inNamespace(host, command), timeout: timeout)
    }

    /// One HTTP GET from the client; the body ("Hostname: backend-2\n") or nil without an answer.
    func get(_ address: String, timeout: Double = 2) throws -> String? {
        let result = try run(on: .client, ["curl", "-sS", "--max-time", String(timeout), "http://\(address)/"],
                             timeout: timeout + 10)
        return result.succeeded ? result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    /// How many requests `host`'s nginx has logged so far.
    func accessLogLines(_ host: Host) -> Int {
        let tmp = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let path = "\(tmp)/swift-xdp-lab.\(name)/\(host.rawValue)/access.log"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return 0 }
        return text.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
    }

    /// Removes the lab and this lab's pins; safe to call twice.
    func close() throws {
        guard !isClosed else { return }
        isClosed = true
        let script = Self.repositoryRoot.appendingPathComponent("scripts/lab.sh").path
        try? FileManager.default.removeItem(atPath: pinRoot)
        try LBLabProcess.runChecked(["bash", script, "down", name], timeout: 60)
        _ = try? LBLabProcess.run(["rm", "-rf", pinRoot])
    }
}

/// Whether tests that need root and the lab's tools can run here. Skipped when not root,
/// except under `SWIFT_XDP_REQUIRE_PRIVILEGED=1` (CI), where they run and fail.
enum LBLabPrivileges {
    /// Run the lab tests: as root, or when privileged tests are required.
    static let shouldRun: Bool = geteuid() == 0 ||
        ProcessInfo.processInfo.environment["SWIFT_XDP_REQUIRE_PRIVILEGED"] == "1"
}

extension Trait where Self == ConditionTrait {
    /// Marks a test that builds the xdp-lb lab; see ``LBLabPrivileges``.
    static var lbLab: Self {
        .enabled(if: LBLabPrivileges.shouldRun,
                 "needs root (bpf(), netns); set SWIFT_XDP_REQUIRE_PRIVILEGED=1 to make this a failure")
    }
}
