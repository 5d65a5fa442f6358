import BPFKernel
import Testing

/// Decoding real kernel replies (``CapturedReplies``): acknowledgements, errors with the
/// kernel's extended-ack text, `RTM_NEWLINK` with `IFLA_XDP`, and a multi-part dump.
@Suite struct NetlinkDecoderTests {
    /// The single message of a one-message datagram.
    func only(_ datagram: [UInt8]) throws -> NetlinkMessage {
        let messages = try NetlinkMessage.parseDatagram(datagram)
        try #require(messages.count == 1)
        return messages[0]
    }

    @Test func acknowledgement() throws {
        let message = try only(CapturedReplies.attachGenericAck[0])
        #expect(message.header.type == .error)
        #expect(message.header.flags == .capped)
        #expect(message.header.length == 36)
        let error = try NetlinkErrorMessage(parsing: message)
        #expect(error.isAcknowledgement)
        #expect(error.errno == nil)
        #expect(error.isCapped)
        #expect(error.extendedAck.isEmpty)
        // The echoed header is the request's.
        let request = try only(CapturedReplies.attachGenericAckRequest)
        #expect(error.request == request.header)
        #expect(message.header.sequence == request.header.sequence)
    }

    @Test func busyWithExtendedAckText() throws {
        let message = try only(CapturedReplies.attachAgainBusy[0])
        #expect(message.header.flags == [.capped, .ackTLVs])
        let error = try NetlinkErrorMessage(parsing: message)
        #expect(error.error == -16)
        #expect(error.errno == .EBUSY)
        #expect(error.extendedAck == NetlinkExtendedAck(message: "XDP program already attached"))
        #expect(error.request.type == .setLink)
        #expect(error.request.length == 52)
    }

    /// Without `NETLINK_CAP_ACK` the whole request is echoed before the TLVs.
    @Test func uncappedErrorEchoesTheRequest() throws {
        let message = try only(CapturedReplies.attachAgainUncapped[0])
        #expect(message.header.flags == .ackTLVs)
        let error = try NetlinkErrorMessage(parsing: message)
        #expect(!error.isCapped)
        #expect(error.errno == .EBUSY)
        #expect(error.extendedAck.message == "XDP program already attached")
        // The echoed request sits right after the error code.
        let echoed = Array(message.payload.dropFirst(4).prefix(52))
        let request = CapturedReplies.attachAgainUncappedRequest
        #expect(Array(echoed[16...]) == Array(request[16...]))
    }

    @Test func replaceMismatchAndModeConflict() throws {
        let mismatch = try NetlinkErrorMessage(parsing: only(CapturedReplies.replaceWrongExpected[0]))
        #expect(mismatch.errno == .EEXIST)
        #expect(mismatch.extendedAck.message == "Active program does not match expected")
        let conflict = try NetlinkErrorMessage(parsing: only(CapturedReplies.genericWhileNative[0]))
        #expect(conflict.errno == .EEXIST)
        #expect(conflict.extendedAck.message == "Native and generic XDP can't be active at the same time")
    }

    @Test func unknownInterfaceIsENODEVWithoutText() throws {
        let error = try NetlinkErrorMessage(parsing: only(CapturedReplies.getLinkUnknownName[0]))
        #expect(error.errno == .ENODEV)
        #expect(error.extendedAck.isEmpty)
        #expect(error.request.type == .getLink)
    }

    @Test func linkWithGenericProgram() throws {
        let replies = CapturedReplies.getLinkGenericAttached
        #expect(replies.count == 2)
        let interface = try NetworkInterface(parsing: only(replies[0]))
        #expect(interface.index == 3)
        #expect(interface.name == "va")
        #expect(interface.deviceType == 1)
        #expect(interface.isUp)
        #expect(interface.xdp == XDPStatus(attachedMode: .generic, programID: 446, genericProgramID: 446))
        #expect(interface.xdp.programID(for: .generic) == 446)
        #expect(interface.xdp.programID(for: .native) == nil)
        #expect(try NetlinkErrorMessage(parsing: only(replies[1])).isAcknowledgement)
    }

    @Test func linkWithNativeProgram() throws {
        let interface = try NetworkInterface(parsing: only(CapturedReplies.getLinkNativeAttached[0]))
        #expect(interface.xdp == XDPStatus(attachedMode: .native, programID: 446, nativeProgramID: 446))
        #expect(interface.xdp.isAttached)
    }

    @Test func multiPartDump() throws {
        let replies = CapturedReplies.dumpWithGenericAttached
        #expect(replies.count == 2)
        let messages = try NetlinkMessage.parseDatagram(replies[0])
        #expect(messages.count == 3)
        #expect(messages.allSatisfy { $0.header.type == .newLink && $0.header.flags.contains(.multi) })
        let interfaces = try messages.map(NetworkInterface.init(parsing:))
        #expect(interfaces.map(\.name) == ["lo", "vb", "va"])
        #expect(interfaces.map(\.index) == [1, 2, 3])
        #expect(interfaces[0].deviceType == 772)
        #expect(interfaces[0].xdp == .none)
        #expect(interfaces[1].xdp == .none)
        #expect(interfaces[2].xdp.attachedMode == .generic)
        #expect(interfaces[2].xdp.genericProgramID == 446)
        // Message offsets are where each header starts in the datagram.
        #expect(messages[0].offset == 0)
        #expect(messages[1].offset == Int(messages[0].header.length + 3) & ~3)

        let done = try only(replies[1])
        #expect(done.header.type == .done)
        #expect(try NetlinkDoneMessage(parsing: done).error == 0)
    }

    @Test func nestedAttributesOfTheXDPNest() throws {
        let message = try only(CapturedReplies.getLinkGenericAttached[0])
        let reader = message.payloadReader(context: "test")
        let attributes = try NetlinkAttribute.parseList(
            reader.subReader(at: 16, length: reader.count - 16))
        let xdp = try #require(attributes.first(ofType: InterfaceLinkAttribute.xdp))
        // The kernel opens this nest with nla_nest_start_noflag: no NLA_F_NESTED in replies.
        #expect(!xdp.isNested)
        let inner = try xdp.nested()
        #expect(inner.map(\.type) == [XDPLinkAttribute.skbProgramID, XDPLinkAttribute.attached, XDPLinkAttribute.programID])
        #expect(try inner[1].u8() == 2)
        #expect(try inner[0].u32() == 446)
        // The name attribute carries its NUL; padding is not part of the payload.
        let name = try #require(attributes.first(ofType: InterfaceLinkAttribute.interfaceName))
        #expect(Array(name.payload) == Array("va\u{0}".utf8))
    }

    @Test func extendedAckWithOffsetsAndMissingAttribute() throws {
        // NLMSGERR_ATTR_MSG "bad", NLMSGERR_ATTR_OFFS 36, NLMSGERR_ATTR_MISS_TYPE 3,
        // NLMSGERR_ATTR_MISS_NEST 32, NLMSGERR_ATTR_COOKIE 2 bytes, and an unknown type 99.
        let bytes = hexBytes("""
            0800 0100 62616400
            0800 0200 24000000
            0800 0500 03000000
            0800 0600 20000000
            0600 0300 abcd 0000
            0500 6300 01000000
            """)
        let ack = try NetlinkExtendedAck(parsing: ByteReader(bytes, order: .host, context: "t"))
        #expect(ack == NetlinkExtendedAck(message: "bad", attributeOffset: 36, missingAttributeType: 3,
                                          missingNestOffset: 32, cookie: [0xAB, 0xCD]))
    }

    @Test func errorsDescribeThemselvesWithHints() throws {
        let busy = try NetlinkErrorMessage(parsing: only(CapturedReplies.attachAgainBusy[0]))
        let attach = NetlinkError(.attach(ifindex: 3, mode: .generic, policy: .ifNotExists),
                                  .kernel(try #require(busy.errno), busy.extendedAck))
        #expect(attach.errno == .EBUSY)
        #expect(attach.kernelMessage == "XDP program already attached")
        #expect(attach.hint == "an XDP program is already attached; use --force to replace it")
        #expect(attach.description == "attach XDP to ifindex 3 (generic): EBUSY: Device or resource busy "
            + "(kernel: XDP program already attached) — an XDP program is already attached; use --force to replace it")

        let conflict = try NetlinkErrorMessage(parsing: only(CapturedReplies.genericWhileNative[0]))
        let mode = NetlinkError(.attach(ifindex: 3, mode: .generic, policy: .ifNotExists),
                                .kernel(.EEXIST, conflict.extendedAck))
        #expect(mode.description.contains("(kernel: Native and generic XDP can't be active at the same time)"))
        #expect(mode.hint == "detach the program attached in the other mode first")

        let unsupported = NetlinkError(.attach(ifindex: 2, mode: .native, policy: .force), .kernel(.EOPNOTSUPP, .init()))
        #expect(unsupported.hint == "this driver does not support native XDP; use generic mode")
        let denied = NetlinkError(.detach(ifindex: 2, mode: .auto), .kernel(.EPERM, .init()))
        #expect(denied.hint == "needs CAP_NET_ADMIN (run as root)")
        let unknown = NetlinkError(.lookUpInterface(name: "eth9"), .unknownInterface("eth9"))
        #expect(unknown.isUnknownInterface)
        #expect(unknown.errno == .ENODEV)
        #expect(unknown.description.hasPrefix("look up interface eth9: no such interface: eth9"))
        let namespace = NetlinkError(.enterNamespace("lab"), .system(call: "open /var/run/netns/lab", .ENOENT))
        #expect(namespace.hint == "no network namespace named lab (see `ip netns list`)")
    }
}
