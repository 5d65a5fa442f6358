import BPFKernel
import Testing

/// Malformed replies give a typed ``ParseError``, never a crash: truncation at every offset,
/// wrong `nlmsg_len`/`nla_len` values, and random corruption of real replies.
@Suite struct NetlinkMalformedReplyTests {
    /// Every datagram of every captured reply.
    static let datagrams: [[UInt8]] = [
        CapturedReplies.attachGenericAck, CapturedReplies.attachAgainBusy, CapturedReplies.replaceWrongExpected,
        CapturedReplies.attachAgainUncapped, CapturedReplies.getLinkGenericAttached,
        CapturedReplies.dumpWithGenericAttached, CapturedReplies.genericWhileNative,
        CapturedReplies.getLinkNativeAttached, CapturedReplies.getLinkUnknownName,
    ].flatMap { $0 }

    /// Decodes a datagram the way the socket does; returns how many messages decoded.
    @discardableResult
    static func decode(_ bytes: [UInt8]) throws(ParseError) -> Int {
        let messages = try NetlinkMessage.parseDatagram(bytes)
        for message in messages {
            switch message.header.type {
            case .error: _ = try NetlinkErrorMessage(parsing: message)
            case .done: _ = try NetlinkDoneMessage(parsing: message)
            case .newLink: _ = try NetworkInterface(parsing: message)
            default: break
            }
        }
        return messages.count
    }

    @Test func capturedRepliesDecode() throws {
        for datagram in Self.datagrams { #expect(try Self.decode(datagram) > 0) }
    }

    /// A datagram cut anywhere inside a message is `truncated` (cutting between messages just
    /// leaves fewer messages).
    @Test(arguments: datagrams.indices)
    func truncatedAtEveryOffset(_ index: Int) throws {
        let datagram = Self.datagrams[index]
        let boundaries = Set(try NetlinkMessage.parseDatagram(datagram).map(\.offset))
        for cut in 0..<datagram.count {
            let prefix = Array(datagram[0..<cut])
            if boundaries.contains(cut) {
                #expect(throws: Never.self) { try Self.decode(prefix) }
                continue
            }
            #expect(throws: ParseError.self, "cut at \(cut)") { try Self.decode(prefix) }
        }
    }

    /// `nlmsg_len` set to every value from 0 to the datagram size + 8: either the message is
    /// shorter than its header, past the end, or its body is cut, so the decode fails with a
    /// `ParseError` or (when the shorter body happens to be complete) succeeds.
    @Test(arguments: datagrams.indices)
    func everyMessageLength(_ index: Int) {
        var datagram = Self.datagrams[index]
        let real = Int(datagram[0]) | Int(datagram[1]) << 8
        for length in 0...(datagram.count + 8) {
            datagram[0] = UInt8(length & 0xFF)
            datagram[1] = UInt8(length >> 8)
            let result = Result { () throws(ParseError) in try Self.decode(datagram) }
            if length < 16 || length > datagram.count {
                #expect(throws: ParseError.self, "nlmsg_len \(length)") { try result.get() }
            }
            if length == real { #expect(throws: Never.self) { try result.get() } }
        }
    }

    @Test func errorCodeMustNotBePositive() {
        var datagram = CapturedReplies.attachAgainBusy[0]
        datagram[16...19] = [5, 0, 0, 0]
        #expect(throws: ParseError.self) { try Self.decode(datagram) }
    }

    @Test func echoedRequestLongerThanTheReply() {
        // Uncapped error whose echoed nlmsg_len claims 0x400 bytes.
        var datagram = CapturedReplies.attachAgainUncapped[0]
        datagram[20...23] = [0x00, 0x04, 0, 0]
        #expect(throws: ParseError.self) { try Self.decode(datagram) }
        datagram[20...23] = [0x08, 0, 0, 0] // shorter than a header
        #expect(throws: ParseError.self) { try Self.decode(datagram) }
    }

    /// Every attribute header of a `RTM_NEWLINK` message, given bad lengths.
    @Test func badAttributeLengths() throws {
        let datagram = CapturedReplies.getLinkGenericAttached[0]
        let message = try NetlinkMessage.parseDatagram(datagram)[0]
        let reader = message.payloadReader(context: "t")
        let attributes = try NetlinkAttribute.parseList(reader.subReader(at: 16, length: reader.count - 16))
        #expect(attributes.count > 20)
        for attribute in attributes {
            for length in [0, 1, 2, 3, 0x7FFF, 0xFFFF] {
                var corrupt = datagram
                corrupt[attribute.offset] = UInt8(length & 0xFF)
                corrupt[attribute.offset + 1] = UInt8(length >> 8)
                #expect(throws: ParseError.self, "attribute at \(attribute.offset), nla_len \(length)") {
                    try Self.decode(corrupt)
                }
            }
        }
    }

    @Test func wrongPayloadSizesOfXDPAttributes() throws {
        // IFLA_XDP holding IFLA_XDP_ATTACHED with a 4-byte payload instead of 1.
        var message = NetlinkMessageBuilder(type: .newLink, flags: [], sequence: 1)
        message.append(InterfaceInfoMessage(index: 9).bytes)
        message.appendAttribute(InterfaceLinkAttribute.interfaceName, string: "x")
        message.appendNested(InterfaceLinkAttribute.xdp) { $0.appendAttribute(XDPLinkAttribute.attached, uint32: 2) }
        #expect(throws: ParseError.self) { try Self.decode(message.bytes) }

        // An unknown IFLA_XDP_ATTACHED value.
        var unknown = NetlinkMessageBuilder(type: .newLink, flags: [], sequence: 1)
        unknown.append(InterfaceInfoMessage(index: 9).bytes)
        unknown.appendAttribute(InterfaceLinkAttribute.interfaceName, string: "x")
        unknown.appendNested(InterfaceLinkAttribute.xdp) { $0.appendAttribute(XDPLinkAttribute.attached, uint8: 9) }
        #expect(throws: ParseError.self) { try Self.decode(unknown.bytes) }

        // No IFLA_IFNAME.
        var nameless = NetlinkMessageBuilder(type: .newLink, flags: [], sequence: 1)
        nameless.append(InterfaceInfoMessage(index: 9).bytes)
        #expect(throws: ParseError.self) { try Self.decode(nameless.bytes) }

        // A RTM_NEWLINK body shorter than struct ifinfomsg.
        var short = NetlinkMessageBuilder(type: .newLink, flags: [], sequence: 1)
        short.append([0, 0, 0, 0])
        #expect(throws: ParseError.self) { try Self.decode(short.bytes) }
    }

    /// Deterministic random corruption: flip bytes of real replies, decode, and only ever see
    /// success or a `ParseError` (the typed throw guarantees the type; this guards against traps).
    @Test func randomCorruptionNeverCrashes() {
        var generator = SplitMix64(seed: 0x5EED)
        var failures = 0
        for round in 0..<3000 {
            var datagram = Self.datagrams[round % Self.datagrams.count]
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let position = Int(generator.next() % UInt64(datagram.count))
                datagram[position] = UInt8(truncatingIfNeeded: generator.next())
            }
            if (try? Self.decode(datagram)) == nil { failures += 1 }
        }
        #expect(failures > 0)
    }
}

/// A small deterministic generator (SplitMix64) so the corruption test is repeatable.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
