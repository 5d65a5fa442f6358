import Foundation
import Testing

/// The namespace lab (scripts/lab.sh through ``Lab``) and the reference behaviour of the seed
/// load balancers in it, loaded by iproute2 (libbpf): what `swift-xdp load` must match.
extension KernelSuites {
@Suite
struct LabTests {
    static let backends: [Lab.Host] = [.backend2, .backend3]
    static let backendAnswers: Set<String> = ["Hostname: backend-2\n", "Hostname: backend-3\n"]
    /// Requests sent through a load balancer in the baseline tests.
    static let requests = 10

    @Test
    func shellReportsStatusOutputAndTimeout() throws {
        let result = try LabShell.run(["sh", "-c", "echo out; echo err >&2; exit 3"])
        #expect(result == LabCommandResult(status: 3, stdout: "out\n", stderr: "err\n"))
        let start = Date()
        #expect(throws: LabError.self) { try LabShell.run(["sleep", "10"], timeout: 0.2) }
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(throws: LabError.self) { try LabShell.runChecked(["false"]) }
    }

    @Test(.privileged)
    func labComesUpWithFiveNamespaces() throws {
        try Lab.with { lab in
            let existing = Set(try Lab.existingNamespaces())
            for namespace in lab.namespaces {
                #expect(existing.contains(namespace), "\(namespace) missing from ip netns list")
            }
            #expect(lab.namespaces.allSatisfy { $0.hasPrefix("sx") })
            #expect(lab.summary.contains(lab.namespace(of: .lb)))
            // Four ports, all forwarding, on the bridge.
            let ports = try lab.runChecked(on: .bridge, ["bridge", "link", "show"]).stdout
            for port in ["client", "lb", "backend2", "backend3"] {
                #expect(ports.contains("\(port)@"), "bridge port \(port) missing:\n\(ports)")
            }
            #expect(ports.components(separatedBy: "state forwarding").count - 1 == 4)
        }
    }

    @Test(.privileged)
    func backendsAnswerWithTheirHostnames() throws {
        try Lab.with { lab in
            for backend in Self.backends {
                let answer = try lab.curl(from: .client, to: backend.address!, timeout: 2)
                #expect(answer.succeeded, "\(answer.stderr)")
                #expect(answer.stdout == backend.hostnameAnswer! + "\n")
            }
            // Nothing listens on the load balancer until an XDP program answers for it.
            let lb = try lab.curl(from: .client, to: Lab.Host.lb.address!, timeout: 2)
            #expect(lb.status == 7, "curl to the bare LB should be refused: \(lb)")
            // The script's own check agrees.
            let check = try LabShell.run(["bash", Lab.script.path, "check", lab.name])
            #expect(check.succeeded, "\(check.stdout)\(check.stderr)")
        }
    }

    @Test(.privileged)
    func pythonStandInAnswersLikeNginx() throws {
        try Lab.with(webServer: .python) { lab in
            #expect(lab.summary.contains("served by python"), "\(lab.summary)")
            for backend in Self.backends {
                let answer = try lab.curl(from: .client, to: backend.address!, timeout: 2)
                #expect(answer.stdout == backend.hostnameAnswer! + "\n", "\(answer)")
            }
        }
    }

    @Test(.privileged)
    func everyHostHasTheSeedMACAndAddress() throws {
        try Lab.with { lab in
            #expect(try lab.macAddress(of: .lb) == "02:00:c6:12:00:05")
            for host in Lab.Host.allCases where host != .bridge {
                #expect(try lab.macAddress(of: host) == host.mac!)
                let addresses = try lab.runChecked(on: host, ["ip", "-4", "-o", "addr", "show", "dev", "eth0"]).stdout
                #expect(addresses.contains("inet \(host.address!)/24"), "\(host): \(addresses)")
            }
            // Permanent neighbour entries: nobody waits for ARP.
            let neighbours = try lab.runChecked(on: .client, ["ip", "neigh", "show", "dev", "eth0"]).stdout
            #expect(neighbours.contains("198.18.0.5 lladdr 02:00:c6:12:00:05 PERMANENT"), "\(neighbours)")
        }
    }

    @Test(.privileged)
    func closeRemovesNamespacesServersAndFiles() throws {
        let lab = try Lab()
        let namespaces = lab.namespaces
        let stateDirectory = lab.stateDirectory
        var servers: [Int32] = []
        for backend in Self.backends {
            let pids = try LabShell.runChecked(["ip", "netns", "pids", lab.namespace(of: backend)]).stdout
            servers += pids.split(separator: "\n").compactMap { Int32($0) }
        }
        #expect(servers.count >= 2, "no web server processes found")
        #expect(FileManager.default.fileExists(atPath: stateDirectory))

        try lab.close()
        try lab.close() // idempotent

        let left = Set(try Lab.existingNamespaces()).intersection(namespaces)
        #expect(left.isEmpty, "namespaces left behind: \(left)")
        #expect(!FileManager.default.fileExists(atPath: stateDirectory))
        for pid in servers {
            #expect(Self.processHasEnded(pid), "web server \(pid) still running")
        }
        // And `down` of a lab that is gone is fine.
        #expect(try LabShell.run(["bash", Lab.script.path, "down", lab.name]).succeeded)
    }

    @Test(.privileged)
    func deinitTearsTheLabDown() throws {
        func makeAndDrop() throws -> [String] {
            let lab = try Lab()
            return lab.namespaces
        }
        let namespaces = try makeAndDrop()
        let left = Set(try Lab.existingNamespaces()).intersection(namespaces)
        #expect(left.isEmpty, "namespaces left behind: \(left)")
    }

    /// Seed 000 loaded by iproute2 (`ip link set dev eth0 xdpgeneric obj … sec xdp`): the
    /// baseline for `swift-xdp load --mode generic`. The program picks a backend per packet,
    /// so a request can stall on a packet sent to the wrong backend, but with veth checksum
    /// offload most requests are answered within curl's 2 s.
    @Test(.privileged)
    func referenceLoaderBaselineXDPProxy() throws {
        try Lab.with { lab in
            let object = Lab.repositoryRoot.appendingPathComponent("Fixtures/xdp-proxy.bpf.o").path
            try lab.runChecked(on: .lb, ["ip", "link", "set", "dev", "eth0", "xdpgeneric", "obj", object, "sec", "xdp"])
            let link = try lab.runChecked(on: .lb, ["ip", "-d", "link", "show", "dev", "eth0"]).stdout
            #expect(link.contains("xdpgeneric"), "\(link)")
            #expect(link.contains("name xdp_proxy"), "\(link)")

            let answers = try Self.requestsThroughLoadBalancer(lab)
            print("xdp-proxy under iproute2, generic mode: \(answers.count) of \(Self.requests) requests answered")
            #expect(!answers.isEmpty, "none of \(Self.requests) requests through the seed was answered")
            #expect(answers.allSatisfy(Self.backendAnswers.contains), "unexpected answers: \(answers)")

            try lab.runChecked(on: .lb, ["ip", "link", "set", "dev", "eth0", "xdpgeneric", "off"])
            let after = try lab.runChecked(on: .lb, ["ip", "-d", "link", "show", "dev", "eth0"]).stdout
            #expect(!after.contains("prog/xdp"), "\(after)")
        }
    }

    /// Seed 001 loaded by iproute2, its `lb_map` filled with bpftool (key = host number,
    /// value = host-order IPv4, e.g. 2 → 0xC6120002): the baseline for `swift-xdp map update`.
    @Test(.privileged, .enabled(if: LabShell.hasTool("bpftool"), "needs bpftool"))
    func referenceLoaderBaselineTinyLB() throws {
        try Lab.with { lab in
            let object = Lab.repositoryRoot.appendingPathComponent("Fixtures/tiny_lb.bpf.o").path
            try lab.runChecked(on: .lb, ["ip", "link", "set", "dev", "eth0", "xdpgeneric", "obj", object, "sec", "xdp"])

            // With lb_map empty the program passes the request up to the LB, which refuses it.
            let refused = try lab.curl(from: .client, to: Lab.Host.lb.address!, timeout: 2)
            #expect(refused.status == 7, "\(refused)")

            let map = try Self.mapID(named: "lb_map", attachedTo: lab)
            for host in [2, 3, 4, 5] {
                let value = UInt32(0xC612_0000) + UInt32(host)
                let valueBytes = (0 ..< 4).map { String((value >> (8 * $0)) & 0xff) }
                try LabShell.runChecked(
                    ["bpftool", "map", "update", "id", String(map), "key", String(host), "0", "0", "0", "value"] + valueBytes
                )
            }
            let answers = try Self.requestsThroughLoadBalancer(lab)
            print("tiny_lb under iproute2 + bpftool, generic mode: \(answers.count) of \(Self.requests) requests answered")
            #expect(!answers.isEmpty, "none of \(Self.requests) requests through tiny_lb was answered")
            #expect(answers.allSatisfy(Self.backendAnswers.contains), "unexpected answers: \(answers)")
        }
    }

    // MARK: - helpers

    /// Sends ``requests`` requests from the client to the LB; returns the bodies of the answered ones.
    static func requestsThroughLoadBalancer(_ lab: Lab) throws -> [String] {
        var answers: [String] = []
        for _ in 0 ..< requests {
            let result = try lab.curl(from: .client, to: Lab.Host.lb.address!, timeout: 2)
            if result.succeeded { answers.append(result.stdout) }
        }
        return answers
    }

    /// The id of the map called `name` used by the XDP program on the LB's eth0.
    static func mapID(named name: String, attachedTo lab: Lab) throws -> Int {
        let link = try lab.runChecked(on: .lb, ["ip", "-j", "-d", "link", "show", "dev", "eth0"]).stdout
        let links = try JSONSerialization.jsonObject(with: Data(link.utf8)) as? [[String: Any]]
        let xdp = links?.first?["xdp"] as? [String: Any]
        let programID = try #require((xdp?["prog"] as? [String: Any])?["id"] as? Int, "no XDP program: \(link)")
        let program = try LabShell.runChecked(["bpftool", "-j", "prog", "show", "id", String(programID)]).stdout
        let mapIDs = try #require(
            (try JSONSerialization.jsonObject(with: Data(program.utf8)) as? [String: Any])?["map_ids"] as? [Int]
        )
        for id in mapIDs {
            let map = try LabShell.runChecked(["bpftool", "-j", "map", "show", "id", String(id)]).stdout
            if (try JSONSerialization.jsonObject(with: Data(map.utf8)) as? [String: Any])?["name"] as? String == name {
                return id
            }
        }
        throw LabError.commandFailed(
            command: ["bpftool", "prog", "show", "id", String(programID)],
            result: LabCommandResult(status: 1, stdout: program, stderr: "no map named \(name)")
        )
    }

    /// True when `pid` no longer runs (gone, or a zombie waiting for init to reap it).
    static func processHasEnded(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        // The state follows the parenthesised command name: "pid (comm) S ...".
        guard let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state == "Z" || state == "X"
    }
}
}
