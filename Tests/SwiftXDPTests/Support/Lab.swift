import Foundation

/// A network-namespace lab for end-to-end tests: the seeds' topology, built by
/// `scripts/lab.sh`, torn down by ``close()`` or when the last reference goes away.
///
/// ```
///   client 198.18.0.4 ─┐
///   lb     198.18.0.5 ─┤ bridge br0 (its own namespace)
///   backend2 .2 :80   ─┤   "Hostname: backend-2"
///   backend3 .3 :80   ─┘   "Hostname: backend-3"
/// ```
///
/// Each host is a namespace with one veth `eth0`; MACs are `02:00:c6:12:00:NN` with NN the
/// host number, because the seed load balancers rewrite only the last MAC byte.
/// Every instance gets a unique name (`sx` + random hex), so labs of parallel tests and
/// other suites never collide. Needs root.
///
/// ARC may release an object right after its last use, so keep a lab alive explicitly:
/// prefer ``with(_:)``, or `defer { lab.close() }`.
final class Lab {
    /// A host of the lab; the raw value is the name `scripts/lab.sh exec` takes.
    enum Host: String, CaseIterable, Sendable {
        case client, lb, backend2, backend3, bridge

        /// The host number: last byte of its IPv4 address and MAC (nil for the bridge).
        var number: Int? {
            switch self {
            case .client: 4
            case .lb: 5
            case .backend2: 2
            case .backend3: 3
            case .bridge: nil
            }
        }

        /// The address of the host's eth0, e.g. "198.18.0.5" (nil for the bridge).
        var address: String? { number.map { "198.18.0.\($0)" } }

        /// The MAC of the host's eth0, e.g. "02:00:c6:12:00:05" (nil for the bridge).
        var mac: String? { number.map { "02:00:c6:12:00:" + String(format: "%02x", $0) } }

        /// What the host's web server answers (backends only), e.g. "Hostname: backend-2".
        var hostnameAnswer: String? {
            switch self {
            case .backend2, .backend3: "Hostname: backend-\(number!)"
            default: nil
            }
        }

        /// The suffix of the host's namespace name, as `scripts/lab.sh` makes it.
        fileprivate var namespaceSuffix: String {
            switch self {
            case .client: "client"
            case .lb: "lb"
            case .backend2: "b2"
            case .backend3: "b3"
            case .bridge: "br"
            }
        }
    }

    /// The lab's name: every namespace name starts with it.
    let name: String
    /// What `scripts/lab.sh up` printed (the summary table).
    let summary: String
    private var isClosed = false

    /// The repository's root directory (found from this file's path).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // Support
        .deletingLastPathComponent() // SwiftXDPTests
        .deletingLastPathComponent() // Tests
        .deletingLastPathComponent()

    /// `scripts/lab.sh`.
    static let script: URL = repositoryRoot.appendingPathComponent("scripts/lab.sh")

    /// A fresh lab name: "sx" + 8 random hex digits.
    static func uniqueName() -> String {
        "sx" + String(format: "%08x", UInt32.random(in: 0 ... .max))
    }

    /// The backends' web server, as `scripts/lab.sh` chooses it (`SWIFT_XDP_LAB_SERVER`).
    enum WebServer: String, Sendable {
        /// nginx if installed or installable, else the python3 stand-in.
        case auto
        /// nginx (Debian package nginx-light), installed with apt-get if missing.
        case nginx
        /// The small python3 `http.server` stand-in.
        case python
    }

    /// Creates the namespaces, bridge and veths, and starts the backends' web servers.
    init(name: String = Lab.uniqueName(), webServer: WebServer = .auto) throws {
        self.name = name
        let result = try LabShell.runChecked(
            ["SWIFT_XDP_LAB_SERVER=\(webServer.rawValue)", "bash", Lab.script.path, "up", name],
            timeout: 300
        )
        summary = result.stdout
    }

    deinit {
        try? close()
    }

    /// Runs `body` with a new lab and closes the lab afterwards, also when `body` throws.
    static func with<Result>(webServer: WebServer = .auto, _ body: (Lab) throws -> Result) throws -> Result {
        let lab = try Lab(webServer: webServer)
        defer { try? lab.close() }
        return try body(lab)
    }

    /// The name of `host`'s network namespace, e.g. "sx1a2b3c4d-lb".
    func namespace(of host: Host) -> String { "\(name)-\(host.namespaceSuffix)" }

    /// Where `scripts/lab.sh` keeps this lab's web-server configurations, pid files and logs.
    var stateDirectory: String {
        let tmp = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        return "\(tmp)/swift-xdp-lab.\(name)"
    }

    /// All five namespace names of this lab.
    var namespaces: [String] { Host.allCases.map(namespace(of:)) }

    /// Runs `command` inside `host`'s namespace (`ip netns exec`), whatever its exit status.
    func run(on host: Host, _ command: [String], timeout: Double = 60) throws -> LabCommandResult {
        try LabShell.run(["ip", "netns", "exec", namespace(of: host)] + command, timeout: timeout)
    }

    /// Runs `command` inside `host`'s namespace and throws unless it exits with status 0.
    @discardableResult
    func runChecked(on host: Host, _ command: [String], timeout: Double = 60) throws -> LabCommandResult {
        try LabShell.runChecked(["ip", "netns", "exec", namespace(of: host)] + command, timeout: timeout)
    }

    /// One HTTP GET from `host` to `http://address/` with curl's `--max-time timeout`;
    /// `stdout` is the body (e.g. "Hostname: backend-2\n"), a non-zero status means no answer.
    func curl(from host: Host = .client, to address: String, timeout: Double = 2) throws -> LabCommandResult {
        try run(
            on: host,
            ["curl", "-sS", "--max-time", String(timeout), "http://\(address)/"],
            timeout: timeout + 10
        )
    }

    /// The MAC address of `interface` in `host`'s namespace, read back from the kernel.
    func macAddress(of host: Host, interface: String = "eth0") throws -> String {
        let result = try runChecked(on: host, ["cat", "/sys/class/net/\(interface)/address"])
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Removes the lab (namespaces, veths, web servers, temporary files); safe to call twice.
    func close() throws {
        guard !isClosed else { return }
        isClosed = true
        try LabShell.runChecked(["bash", Lab.script.path, "down", name], timeout: 60)
    }

    /// The names of all network namespaces on the machine (`ip netns list`).
    static func existingNamespaces() throws -> [String] {
        let result = try LabShell.runChecked(["ip", "netns", "list"])
        return result.stdout.split(separator: "\n").compactMap { line in
            line.split(separator: " ").first.map(String.init)
        }
    }
}
