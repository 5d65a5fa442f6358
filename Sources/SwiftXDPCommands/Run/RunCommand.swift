import ArgumentParser
import SwiftXDP

/// `swift-xdp run`: runs a program over captured packets with `BPF_PROG_TEST_RUN` and reports
/// each verdict and output packet, without attaching anything.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a program over the packets of a pcap file (BPF_PROG_TEST_RUN).",
        discussion: """
            Loads the object, runs the program once per packet (or --repeat N times, reporting \
            nanoseconds per run) and prints the verdict and the output packet. --out writes one \
            output packet per input to a pcap file. To run against filled maps, pin them first \
            (swift-xdp load OBJ --pin DIR; swift-xdp map update … --pinned DIR/maps/NAME) and \
            pass --maps DIR/maps. --dev IF runs as if the packets arrived on IF (its \
            ingress_ifindex in struct xdp_md), so bpf_fib_lookup routes from it and a program \
            that forwards out of the same interface returns XDP_TX.
            """)

    @Argument(help: "The BPF object file.")
    var object: String

    @Option(help: "The program to run (default: the object's only program).")
    var program: String?

    @Option(help: "Input packets (pcap, Ethernet).")
    var pcap: String

    @Option(help: "Write the output packets to this pcap file.")
    var out: String?

    @Option(name: .customLong("repeat"), help: "Run each packet this many times and report ns per run.")
    var repeatCount: UInt32 = 1

    @Option(help: "Use the maps pinned in this directory instead of fresh ones.")
    var maps: String?

    @Option(help: "Run as if the packets arrived on this interface (xdp_md.ingress_ifindex).")
    var dev: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let file = try CommandFailure.wrap { () throws(ObjectReadError) in try BPFObjectFile.read(path: object) }
        let name = try chooseProgram(file)
        let capture = try readCapture()
        var options = LoadOptions(programs: [name])
        options.reuseMapsFrom = maps
        let loaded = try LoadFailureReport.wrap { () throws(LoadError) in try ObjectLoader.load(file, options: options) }
        defer { loaded.close() }
        guard let program = loaded.program(named: name) else { throw CommandFailure("program \(name) was not loaded") }
        let ingress = try dev.map { dev in
            UInt32(try CommandFailure.wrap { () throws(NetlinkError) in try XDPAttachment().interfaceIndex(dev) })
        }
        func input(_ data: [UInt8], _ count: UInt32) -> BPFTestRunInput {
            guard let ingress else { return BPFTestRunInput(data: data, repeatCount: count) }
            return .xdp(data: data, ingressInterface: ingress, repeatCount: count)
        }
        var results: [(PcapFile.Packet, BPFTestRunResult)] = []
        for (index, packet) in capture.packets.enumerated() {
            do {
                // The kernel repeats a run over the same buffer, so a repeated run's output is the
                // packet rewritten N times: take the output from one run, the timing from N.
                var result = try program.testRun(input(packet.data, 1))
                if repeatCount > 1 {
                    result.durationNanoseconds = try program.testRun(input(packet.data, repeatCount)).durationNanoseconds
                }
                results.append((packet, result))
            } catch {
                throw CommandFailure("packet \(index + 1): BPF_PROG_TEST_RUN failed: \(error)")
            }
        }
        if let out {
            let packets = results.map { PcapFile.Packet(data: $0.1.data, seconds: $0.0.seconds, fraction: $0.0.fraction) }
            try FileWriting.write(PcapFile(packets: packets).encoded(), to: out)
        }
        if json {
            print(JSONValue.object([("program", .string(name)), ("packets", .array(results.enumerated().map { index, result in
                .object([
                    ("index", .number(index + 1)),
                    ("verdict", .string(XDPVerdict.name(result.1.returnValue))),
                    ("returnValue", .number(result.1.returnValue)),
                    ("input", .string(PacketSummary.describe(result.0.data))),
                    ("output", .string(PacketSummary.describe(result.1.data))),
                    ("inputLength", .number(result.0.data.count)),
                    ("outputLength", .number(result.1.data.count)),
                    ("nanosecondsPerRun", .number(result.1.durationNanoseconds)),
                ])
            }))]).serialized())
            return
        }
        for (index, (packet, result)) in results.enumerated() {
            var line = "#\(index + 1) \(XDPVerdict.name(result.returnValue))  in: \(PacketSummary.describe(packet.data))"
            if result.data != packet.data { line += "\n    out: \(PacketSummary.describe(result.data, macs: true))" }
            if repeatCount > 1 { line += "\n    \(result.durationNanoseconds) ns per run (\(repeatCount) runs)" }
            print(line)
        }
    }

    func chooseProgram(_ file: BPFObjectFile) throws -> String {
        if let program {
            guard file.program(named: program) != nil else {
                throw CommandFailure("no program named '\(program)' in \(object)",
                                     detail: "programs: " + file.programs.map(\.name).joined(separator: ", "))
            }
            return program
        }
        guard file.programs.count == 1 else {
            throw CommandFailure("\(object) has \(file.programs.count) programs; choose one with --program",
                                 detail: "programs: " + file.programs.map(\.name).joined(separator: ", "))
        }
        return file.programs[0].name
    }

    func readCapture() throws -> PcapFile {
        let bytes = try FileWriting.read(pcap)
        do {
            return try PcapFile(bytes: bytes)
        } catch {
            throw CommandFailure("\(pcap): \(error)")
        }
    }
}

/// XDP return codes (`enum xdp_action`).
enum XDPVerdict {
    static func name(_ code: UInt32) -> String {
        switch code {
        case 0: "XDP_ABORTED"
        case 1: "XDP_DROP"
        case 2: "XDP_PASS"
        case 3: "XDP_TX"
        case 4: "XDP_REDIRECT"
        default: "verdict \(code)"
        }
    }
}
