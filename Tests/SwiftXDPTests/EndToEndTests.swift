import Foundation
import Testing
@testable import SwiftXDP
@testable import SwiftXDPCommands

extension KernelSuites {
/// The seed load balancers under swift-xdp in the namespace lab (client 198.18.0.4, LB .5,
/// backends .2 and .3): `swift-xdp load … --dev eth0` runs inside the LB's namespace, requests
/// from the client are answered by the backends, `status` shows the program, `unload` leaves
/// the LB refusing connections. Also native mode, `--replace`, `--force` and `--link`.
@Suite struct EndToEndTests {
    static let backendAnswers: Set<String> = ["Hostname: backend-2\n", "Hostname: backend-3\n"]

    /// Runs a swift-xdp command line inside the lab's load-balancer namespace.
    static func swiftXDP(_ lab: Lab, _ arguments: [String]) throws -> String {
        try NetworkNamespace.run(in: lab.namespace(of: .lb)) { try CommandRunner.run(arguments) }
    }

    /// The error a command line fails with, as text ("no error" if it succeeds).
    static func failure(_ lab: Lab, _ arguments: [String]) -> String {
        do { _ = try swiftXDP(lab, arguments); return "no error" } catch { return "\(error)" }
    }

    /// Answers to `count` requests from the client to the LB (2 s each).
    static func answers(_ lab: Lab, count: Int) throws -> [String] {
        try (0..<count).compactMap { _ in
            let result = try lab.curl(from: .client, to: "198.18.0.5", timeout: 2)
            return result.succeeded ? result.stdout : nil
        }
    }

    @Test(.privileged)
    func seedXDPProxyAnswersThroughBothBackends() throws {
        try Lab.with { lab in
            let loaded = try Self.swiftXDP(lab, ["load", CommandRunner.fixture("xdp-proxy.bpf.o"), "--dev", "eth0",
                                                 "--mode", "generic"])
            #expect(loaded.contains("attached xdp_proxy to eth0 (generic)"))
            let status = try Self.swiftXDP(lab, ["status", "--dev", "eth0"])
            #expect(status.contains("xdp generic") && status.contains("\"xdp_proxy\""), "\(status)")
            // The seed picks a backend per packet: some requests may time out (its bug, not ours).
            var answers: [String] = []
            for _ in 0..<4 where Set(answers).count < 2 { answers += try Self.answers(lab, count: 6) }
            #expect(!answers.isEmpty)
            #expect(answers.allSatisfy(Self.backendAnswers.contains), "\(answers)")
            #expect(Set(answers) == Self.backendAnswers, "both backends answer: \(answers)")
            // A second load without --force is refused with the kernel's reason and a hint.
            let refused = Self.failure(lab, ["load", CommandRunner.fixture("tiny_lb.bpf.o"), "--dev", "eth0", "--mode", "generic"])
            #expect(refused.contains("already attached") && refused.contains("--force"), "\(refused)")
            #expect(try Self.swiftXDP(lab, ["unload", "--dev", "eth0"]).contains("detached"))
            let after = try lab.curl(from: .client, to: "198.18.0.5", timeout: 2)
            #expect(after.status == 7, "the LB itself refuses the connection once unloaded: \(after)")
            #expect(Self.failure(lab, ["unload", "--dev", "eth0"]).contains("no XDP program is attached"))
        }
    }

    @Test(.privileged)
    func seedTinyLBAnswersOnceItsMapIsFilled() throws {
        try Lab.with { lab in
            _ = try Self.swiftXDP(lab, ["load", CommandRunner.fixture("tiny_lb.bpf.o"), "--dev", "eth0", "--mode", "generic"])
            // With lb_map empty the program passes requests to the LB, which refuses them.
            #expect(try lab.curl(from: .client, to: "198.18.0.5", timeout: 2).status == 7)
            for host in 2...5 {
                _ = try Self.swiftXDP(lab, ["map", "update", "lb_map", String(host), "0xC612000\(host)", "--dev", "eth0"])
            }
            let dump = try Self.swiftXDP(lab, ["map", "dump", "lb_map", "--dev", "eth0"])
            #expect(dump.contains("2: 3323068418") && dump.contains("5: 3323068421"), "\(dump)")
            let answers = try Self.answers(lab, count: 8)
            #expect(!answers.isEmpty)
            #expect(answers.allSatisfy(Self.backendAnswers.contains), "\(answers)")
            #expect(Self.failure(lab, ["map", "dump", "nope", "--dev", "eth0"]).contains("no map named 'nope'"))
            _ = try Self.swiftXDP(lab, ["unload", "--dev", "eth0"])
            #expect(Self.failure(lab, ["map", "dump", "lb_map", "--dev", "eth0"]).contains("no XDP program is attached"))
        }
    }

    @Test(.privileged)
    func nativeModeReplaceForceAndLink() throws {
        try Lab.with { lab in
            let pass = CommandRunner.fixture("xdp_pass.bpf.o")
            let proxy = CommandRunner.fixture("xdp-proxy.bpf.o")
            _ = try Self.swiftXDP(lab, ["load", pass, "--dev", "eth0", "--mode", "native"])
            var status = try Self.swiftXDP(lab, ["status", "--dev", "eth0", "--json"])
            #expect(status.contains("\"mode\": \"native\"") && status.contains("\"name\": \"xdp_pass\""), "\(status)")
            // Generic while native is attached: the kernel's own words.
            let conflict = Self.failure(lab, ["load", proxy, "--dev", "eth0", "--mode", "generic", "--force"])
            #expect(conflict.contains("Native and generic XDP can't be active at the same time"), "\(conflict)")
            // --replace swaps atomically; --force replaces.
            #expect(try Self.swiftXDP(lab, ["load", proxy, "--dev", "eth0", "--mode", "native", "--replace"])
                .contains("swapped atomically"))
            status = try Self.swiftXDP(lab, ["status", "--dev", "eth0"])
            #expect(status.contains("\"xdp_proxy\"") && status.contains("native"), "\(status)")
            #expect(try Self.swiftXDP(lab, ["load", pass, "--dev", "eth0", "--mode", "native", "--force"]).contains("replacing"))
            _ = try Self.swiftXDP(lab, ["unload", "--dev", "eth0"])
            status = try Self.swiftXDP(lab, ["status", "--dev", "eth0"])
            #expect(status.contains("no XDP program"), "\(status)")

            // A bpf_link pinned in bpffs keeps the program attached after swift-xdp exits.
            let pins = try BPFFSDirectory("link")
            defer { pins.remove() }
            let link = pins.path + "/link"
            #expect(try Self.swiftXDP(lab, ["load", pass, "--dev", "eth0", "--mode", "generic", "--link", link])
                .contains("bpf_link pinned at"))
            status = try Self.swiftXDP(lab, ["status", "--dev", "eth0"])
            #expect(status.contains("\"xdp_pass\""), "\(status)")
            let stuck = Self.failure(lab, ["unload", "--dev", "eth0"])
            #expect(stuck.contains("bpf_link") || stuck.contains("still attached") || stuck.contains("EBUSY"), "\(stuck)")
            _ = try Self.swiftXDP(lab, ["unload", "--dev", "eth0", "--link", link])
            status = try Self.swiftXDP(lab, ["status", "--dev", "eth0"])
            #expect(status.contains("no XDP program"), "\(status)")
            #expect(Self.failure(lab, ["load", pass, "--dev", "nope0"]).contains("no interface named 'nope0'"))
        }
    }
}
}
