/// The classic libpcap capture format (what `tcpdump -w` writes): a 24-byte global header,
/// then per packet a 16-byte record header and the packet bytes. Both byte orders and both
/// time resolutions (microseconds `0xa1b2c3d4`, nanoseconds `0xa1b23c4d`) are read; files
/// are written little-endian with microseconds and link type Ethernet.
public struct PcapFile: Sendable, Equatable {
    /// One captured packet.
    public struct Packet: Sendable, Equatable {
        /// Capture time, seconds.
        public var seconds: UInt32
        /// Capture time, microseconds (or nanoseconds in a nanosecond file) within the second.
        public var fraction: UInt32
        /// The bytes captured (`incl_len` of them).
        public var data: [UInt8]
        /// The packet's length on the wire (`orig_len`), at least `data.count`.
        public var originalLength: UInt32

        /// A packet with the given bytes, time 0.
        public init(data: [UInt8], seconds: UInt32 = 0, fraction: UInt32 = 0) {
            self.data = data
            self.seconds = seconds
            self.fraction = fraction
            originalLength = UInt32(data.count)
        }
    }

    /// `LINKTYPE_ETHERNET`.
    public static let ethernet: UInt32 = 1
    /// The largest snapshot length accepted when reading (a guard against absurd records).
    public static let maximumRecordLength = 256 * 1024

    /// The link type of every packet (`network` in the header).
    public var linkType: UInt32
    /// True when `fraction` counts nanoseconds.
    public var nanosecondTimestamps: Bool
    /// The packets, in file order.
    public var packets: [Packet]

    /// An Ethernet capture holding `packets`.
    public init(packets: [Packet], linkType: UInt32 = PcapFile.ethernet) {
        self.packets = packets
        self.linkType = linkType
        nanosecondTimestamps = false
    }

    /// Parses a capture file.
    public init(bytes: [UInt8]) throws(ParseError) {
        let probe = ByteReader(bytes, order: .little, context: "pcap header")
        let magic = try probe.u32(at: 0)
        let order: ByteOrder
        switch magic {
        case 0xa1b2_c3d4, 0xa1b2_3c4d: order = .little
        case 0xd4c3_b2a1, 0x4d3c_b2a1: order = .big
        default:
            throw ParseError(.badMagic, context: "pcap header (pcapng files are not supported: save as pcap)", offset: 0)
        }
        nanosecondTimestamps = magic == 0xa1b2_3c4d || magic == 0x4d3c_b2a1
        let header = ByteReader(bytes, order: order, context: "pcap header")
        try header.check(0, 24)
        linkType = try header.u32(at: 20)
        var packets: [Packet] = []
        var offset = 24
        while offset < bytes.count {
            let record = ByteReader(bytes, order: order, context: "pcap record \(packets.count)")
            let seconds = try record.u32(at: offset)
            let fraction = try record.u32(at: offset + 4)
            let included = Int(try record.u32(at: offset + 8))
            let original = try record.u32(at: offset + 12)
            guard included <= Self.maximumRecordLength else {
                throw record.error(.invalid("record length \(included) exceeds \(Self.maximumRecordLength)"),
                                   at: offset + 8)
            }
            let data = try record.slice(at: offset + 16, length: included)
            var packet = Packet(data: Array(data), seconds: seconds, fraction: fraction)
            packet.originalLength = max(original, UInt32(included))
            packets.append(packet)
            offset += 16 + included
        }
        self.packets = packets
    }

    /// The capture as bytes (little-endian, microsecond timestamps unless the file had
    /// nanoseconds).
    public func encoded() -> [UInt8] {
        let order = ByteOrder.little
        var out: [UInt8] = []
        out += order.bytes(of: nanosecondTimestamps ? UInt32(0xa1b2_3c4d) : UInt32(0xa1b2_c3d4))
        out += order.bytes(of: UInt16(2)) + order.bytes(of: UInt16(4))
        out += order.bytes(of: Int32(0)) + order.bytes(of: UInt32(0))
        out += order.bytes(of: UInt32(Self.maximumRecordLength)) + order.bytes(of: linkType)
        for packet in packets {
            out += order.bytes(of: packet.seconds) + order.bytes(of: packet.fraction)
            out += order.bytes(of: UInt32(packet.data.count))
            out += order.bytes(of: max(packet.originalLength, UInt32(packet.data.count)))
            out += packet.data
        }
        return out
    }
}
