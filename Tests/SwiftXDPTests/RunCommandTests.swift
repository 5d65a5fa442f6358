import Foundation
import Testing
@testable import SwiftXDP
@testable import SwiftXDPCommands

extension KernelSuites {
/// `swift-xdp run` runs a program over a capture with BPF_PROG_TEST_RUN.
@Suite struct RunCommandTests {
    @Test(.privileged)
    func seedProxyRewritesRequestsAndReplies() throws {
        let input = NSTemporaryDirectory() + "swxdp-run-in-\(getpid()).pcap"
        let output = NSTemporaryDirectory() + "swxdp-run-out-\(getpid()).pcap"
        defer { unlink(input); unlink(output) }
        let request = TestPackets.tcp(source: [198, 18, 0, 4], destination: [198, 18, 0, 5], sourcePort: 40000,
                                      destinationPort: 80, flags: 0x02)
        let reply = TestPackets.tcp(source: [198, 18, 0, 2], destination: [198, 18, 0, 5], sourcePort: 80,
                                    destinationPort: 40000, flags: 0x12)
        try FileWriting.write(PcapFile(packets: [.init(data: request), .init(data: reply)]).encoded(), to: input)
        let text = try CommandRunner.run(["run", CommandRunner.fixture("xdp-proxy.bpf.o"), "--pcap", input,
                                          "--out", output, "--repeat", "100"])
        #expect(text.contains("#1 XDP_TX  in: 198.18.0.4:40000 → 198.18.0.5:80 TCP [S]"))
        #expect(text.contains("ns per run (100 runs)"))
        let out = try PcapFile(bytes: FileWriting.read(output))
        #expect(out.packets.count == 2)
        // The request goes to a backend (.2 or .3) from the LB; the reply goes to the client.
        let first = PacketSummary.describe(out.packets[0].data)
        #expect(first.hasPrefix("198.18.0.5:40000 → 198.18.0.2:80") || first.hasPrefix("198.18.0.5:40000 → 198.18.0.3:80"))
        #expect(PacketSummary.describe(out.packets[1].data).hasPrefix("198.18.0.5:80 → 198.18.0.4:40000"))
        // The seed fixes the IP checksum (the TCP one it leaves stale).
        #expect(TestPackets.checksum(Array(out.packets[1].data[14..<34])) == 0)
    }

    @Test(.privileged)
    func jsonAndErrors() throws {
        let input = NSTemporaryDirectory() + "swxdp-run-json-\(getpid()).pcap"
        defer { unlink(input) }
        let packet = TestPackets.tcp(source: [10, 0, 0, 1], destination: [10, 0, 0, 2], sourcePort: 1, destinationPort: 2, flags: 0x10)
        try FileWriting.write(PcapFile(packets: [.init(data: packet)]).encoded(), to: input)
        let text = try CommandRunner.run(["run", CommandRunner.fixture("xdp_pass.bpf.o"), "--pcap", input, "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let first = try #require((json["packets"] as? [[String: Any]])?.first)
        #expect(first["verdict"] as? String == "XDP_PASS")
        #expect(throws: CommandFailure.self) {
            _ = try CommandRunner.run(["run", CommandRunner.fixture("subprograms.bpf.o"), "--pcap", input])
        }
        #expect(throws: (any Error).self) {
            _ = try CommandRunner.run(["run", CommandRunner.fixture("xdp_pass.bpf.o"), "--pcap", "/nonexistent.pcap"])
        }
        // --dev: the packet arrives on lo (a real interface); an unknown one is a clear error.
        let onLoopback = try CommandRunner.run(["run", CommandRunner.fixture("xdp_pass.bpf.o"), "--pcap", input, "--dev", "lo"])
        #expect(onLoopback.contains("#1 XDP_PASS"), "\(onLoopback)")
        let unknown = #expect(throws: CommandFailure.self) {
            _ = try CommandRunner.run(["run", CommandRunner.fixture("xdp_pass.bpf.o"), "--pcap", input, "--dev", "nosuchif0"])
        }
        #expect("\(unknown.map { String(describing: $0) } ?? "")".contains("nosuchif0"))
    }
}
}
