import Foundation
import Testing
@testable import SwiftXDP

/// The pcap reader and writer agree with tcpdump, and bad files are typed errors.
@Suite struct PcapFileTests {
    static func tcp(from source: [UInt8], to destination: [UInt8], sourcePort: UInt16, destinationPort: UInt16) -> [UInt8] {
        TestPackets.tcp(source: source, destination: destination, sourcePort: sourcePort,
                        destinationPort: destinationPort, flags: 0x02)
    }

    @Test func roundTripAndTcpdumpReadsWhatWeWrite() throws {
        let packets = [Self.tcp(from: [198, 18, 0, 4], to: [198, 18, 0, 5], sourcePort: 40000, destinationPort: 80),
                       Self.tcp(from: [198, 18, 0, 2], to: [198, 18, 0, 5], sourcePort: 80, destinationPort: 40000)]
        let file = PcapFile(packets: packets.map { PcapFile.Packet(data: $0) })
        let bytes = file.encoded()
        #expect(try PcapFile(bytes: bytes) == file)
        let path = NSTemporaryDirectory() + "swxdp-\(getpid()).pcap"
        defer { unlink(path) }
        try FileWriting.write(bytes, to: path)
        let text = try CommandLine.output("tcpdump", ["-nr", path])
        #expect(text.contains("198.18.0.4.40000 > 198.18.0.5.80: Flags [S]"))
        #expect(text.contains("198.18.0.2.80 > 198.18.0.5.40000: Flags [S]"))
    }

    @Test func readsBigEndianAndNanosecondFiles() throws {
        let packet: [UInt8] = [1, 2, 3, 4]
        var big: [UInt8] = [0xa1, 0xb2, 0x3c, 0x4d, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 1]
        big += [0, 0, 0, 7, 0, 0, 0, 9, 0, 0, 0, 4, 0, 0, 0, 4] + packet
        let file = try PcapFile(bytes: big)
        #expect(file.nanosecondTimestamps)
        #expect(file.packets == [PcapFile.Packet(data: packet, seconds: 7, fraction: 9)])
    }

    @Test func malformedFilesAreTypedErrors() throws {
        let good = PcapFile(packets: [PcapFile.Packet(data: [UInt8](repeating: 0xab, count: 60))]).encoded()
        for cut in 1..<good.count where cut != 24 { // 24 bytes: just the header, an empty capture
            #expect(throws: ParseError.self) { try PcapFile(bytes: Array(good[..<cut])) }
        }
        #expect(try PcapFile(bytes: Array(good[..<24])).packets.isEmpty)
        #expect(throws: ParseError.self) { try PcapFile(bytes: [0x0a, 0x0d, 0x0d, 0x0a] + [UInt8](repeating: 0, count: 40)) }
    }

    @Test func summariesNameAddressesPortsAndFlags() {
        let packet = Self.tcp(from: [198, 18, 0, 4], to: [198, 18, 0, 5], sourcePort: 40000, destinationPort: 80)
        #expect(PacketSummary.describe(packet) == "198.18.0.4:40000 → 198.18.0.5:80 TCP [S] 54 bytes")
        #expect(PacketSummary.describe([1, 2, 3]) == "3 bytes (too short for Ethernet)")
    }
}

/// Hand-built test packets with correct checksums.
enum TestPackets {
    /// The internet checksum of `bytes`.
    static func checksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum += UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { sum += UInt32(bytes[index]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xffff) + (sum >> 16) }
        return ~UInt16(sum)
    }

    /// An Ethernet/IPv4/TCP frame from host `source` to `destination` (MACs 02:00:c6:12:00:<last byte>).
    static func tcp(source: [UInt8], destination: [UInt8], sourcePort: UInt16, destinationPort: UInt16,
                    flags: UInt8, payload: [UInt8] = []) -> [UInt8] {
        let ethernet: [UInt8] = [2, 0, 0xc6, 0x12, 0, destination[3], 2, 0, 0xc6, 0x12, 0, source[3], 0x08, 0x00]
        var tcp: [UInt8] = [UInt8(sourcePort >> 8), UInt8(sourcePort & 0xff), UInt8(destinationPort >> 8),
                            UInt8(destinationPort & 0xff), 0, 0, 0, 1, 0, 0, 0, 0, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0]
        tcp += payload
        let length = 20 + tcp.count
        var ip: [UInt8] = [0x45, 0, UInt8(length >> 8), UInt8(length & 0xff), 0, 1, 0, 0, 64, 6, 0, 0]
        ip += source + destination
        let ipSum = checksum(ip)
        ip[10] = UInt8(ipSum >> 8); ip[11] = UInt8(ipSum & 0xff)
        let pseudo = source + destination + [0, 6, UInt8(tcp.count >> 8), UInt8(tcp.count & 0xff)]
        let tcpSum = checksum(pseudo + tcp)
        tcp[16] = UInt8(tcpSum >> 8); tcp[17] = UInt8(tcpSum & 0xff)
        return ethernet + ip + tcp
    }
}
