import BPFKernel
import CBPF
import Testing

/// Byte-for-byte tests of the netlink encoder (headers, attributes, nesting, requests), against
/// hand-computed bytes and against what iproute2's `ip` sends (captured with
/// `strace -e trace=sendmsg -e write=all ip link set dev va xdpgeneric obj pass.o sec xdp`).
@Suite struct NetlinkEncoderTests {
    // MARK: Layout facts, checked against the C headers

    @Test func structSizesMatchTheKernelHeaders() {
        #expect(NetlinkMessageHeader.size == MemoryLayout<nlmsghdr>.size)
        #expect(InterfaceInfoMessage.size == MemoryLayout<ifinfomsg>.size)
        #expect(NetlinkAttribute.headerSize == MemoryLayout<nlattr>.size)
        // struct nlmsgerr = int error + struct nlmsghdr msg
        #expect(MemoryLayout<nlmsgerr>.size == 4 + NetlinkMessageHeader.size)
        #expect(MemoryLayout<ifinfomsg>.offset(of: \.ifi_index) == 4)
        #expect(MemoryLayout<ifinfomsg>.offset(of: \.ifi_flags) == 8)
    }

    @Test func constantsMatchTheKernelHeaders() {
        #expect(NetlinkMessageFlags.request.rawValue == UInt16(NLM_F_REQUEST))
        #expect(NetlinkMessageFlags.multi.rawValue == UInt16(NLM_F_MULTI))
        #expect(NetlinkMessageFlags.ack.rawValue == UInt16(NLM_F_ACK))
        #expect(NetlinkMessageFlags.dump.rawValue == UInt16(NLM_F_DUMP))
        #expect(NetlinkMessageFlags.dumpInterrupted.rawValue == UInt16(NLM_F_DUMP_INTR))
        #expect(NetlinkMessageFlags.capped.rawValue == UInt16(NLM_F_CAPPED))
        #expect(NetlinkMessageFlags.ackTLVs.rawValue == UInt16(NLM_F_ACK_TLVS))
        #expect(NetlinkMessageType.error.rawValue == UInt16(NLMSG_ERROR))
        #expect(NetlinkMessageType.done.rawValue == UInt16(NLMSG_DONE))
        #expect(NetlinkMessageType.newLink.rawValue == UInt16(RTM_NEWLINK))
        #expect(NetlinkMessageType.getLink.rawValue == UInt16(RTM_GETLINK))
        #expect(NetlinkMessageType.setLink.rawValue == UInt16(RTM_SETLINK))
        #expect(NetlinkProtocol.route == NETLINK_ROUTE)
        #expect(NetlinkProtocol.extendedAckOption == NETLINK_EXT_ACK)
        #expect(NetlinkProtocol.capAckOption == NETLINK_CAP_ACK)
        #expect(NetlinkAttribute.nestedFlag == UInt16(NLA_F_NESTED))
        #expect(InterfaceLinkAttribute.interfaceName == UInt16(IFLA_IFNAME))
        #expect(InterfaceLinkAttribute.extendedMask == UInt16(IFLA_EXT_MASK))
        #expect(InterfaceLinkAttribute.xdp == UInt16(IFLA_XDP))
        #expect(XDPLinkAttribute.fd == UInt16(IFLA_XDP_FD))
        #expect(XDPLinkAttribute.attached == UInt16(IFLA_XDP_ATTACHED))
        #expect(XDPLinkAttribute.flags == UInt16(IFLA_XDP_FLAGS))
        #expect(XDPLinkAttribute.programID == UInt16(IFLA_XDP_PROG_ID))
        #expect(XDPLinkAttribute.driverProgramID == UInt16(IFLA_XDP_DRV_PROG_ID))
        #expect(XDPLinkAttribute.skbProgramID == UInt16(IFLA_XDP_SKB_PROG_ID))
        #expect(XDPLinkAttribute.hardwareProgramID == UInt16(IFLA_XDP_HW_PROG_ID))
        #expect(XDPLinkAttribute.expectedFD == UInt16(IFLA_XDP_EXPECTED_FD))
        #expect(XDPFlags.updateIfNotExists.rawValue == UInt32(XDP_FLAGS_UPDATE_IF_NOEXIST))
        #expect(XDPFlags.skbMode.rawValue == UInt32(XDP_FLAGS_SKB_MODE))
        #expect(XDPFlags.driverMode.rawValue == UInt32(XDP_FLAGS_DRV_MODE))
        #expect(XDPFlags.hardwareMode.rawValue == UInt32(XDP_FLAGS_HW_MODE))
        #expect(XDPFlags.replace.rawValue == UInt32(XDP_FLAGS_REPLACE))
        // XDP_FLAGS_MODES is a compound macro Swift does not import.
        #expect(XDPFlags.modes.rawValue == UInt32(XDP_FLAGS_SKB_MODE | XDP_FLAGS_DRV_MODE | XDP_FLAGS_HW_MODE))
        #expect(XDPAttachedMode.multiple.rawValue == UInt8(XDP_ATTACHED_MULTI))
        #expect(ExtendedAckAttribute.message == UInt16(NLMSGERR_ATTR_MSG.rawValue))
        #expect(ExtendedAckAttribute.offset == UInt16(NLMSGERR_ATTR_OFFS.rawValue))
        #expect(ExtendedAckAttribute.missingType == UInt16(NLMSGERR_ATTR_MISS_TYPE.rawValue))
        #expect(ExtendedAckAttribute.missingNest == UInt16(NLMSGERR_ATTR_MISS_NEST.rawValue))
    }

    // MARK: Requests compared with iproute2

    /// `ip link set dev va xdpgeneric obj pass.o sec xdp` (ifindex 3, program fd 6, seq
    /// 0x6b01f91b). ip sends it as RTM_NEWLINK (16); swift-xdp uses RTM_SETLINK (19), which
    /// reaches the same `do_setlink`. Every other byte is identical.
    @Test func attachMatchesIproute2() {
        var fromIP = hexBytes("""
            34000000 1000 0500 1bf9016b 00000000
            00 00 0000 03000000 00000000 00000000
            1400 2b80 0800 0100 06000000 0800 0300 03000000
            """)
        fromIP[4] = 0x13 // RTM_NEWLINK → RTM_SETLINK
        let ours = LinkRequest.setXDP(interfaceIndex: 3, programFD: 6, flags: [.updateIfNotExists, .skbMode],
                                      sequence: 0x6b01_f91b)
        #expect(ours == fromIP)
        #expect(LinkRequest.attachXDP(interfaceIndex: 3, programFD: 6, mode: .generic, policy: .ifNotExists,
                                      sequence: 0x6b01_f91b) == fromIP)
    }

    /// `ip link set dev va xdpgeneric off`: `IFLA_XDP_FD` = −1 (ip also keeps UPDATE_IF_NOEXIST).
    @Test func detachEncodingMatchesIproute2() {
        var fromIP = hexBytes("""
            34000000 1000 0500 1bf9016b 00000000
            00000000 03000000 00000000 00000000
            1400 2b80 0800 0100 ffffffff 0800 0300 03000000
            """)
        fromIP[4] = 0x13
        #expect(LinkRequest.setXDP(interfaceIndex: 3, programFD: -1, flags: [.updateIfNotExists, .skbMode],
                                   sequence: 0x6b01_f91b) == fromIP)
    }

    /// ip's `RTM_GETLINK` for `va` by name; swift-xdp adds `NLM_F_ACK` and asks for
    /// `RTEXT_FILTER_SKIP_STATS` only (ip adds `RTEXT_FILTER_VF`).
    @Test func getLinkByNameMatchesIproute2() {
        var fromIP = hexBytes("""
            30000000 1200 0100 1cf9016b 00000000
            00000000 00000000 00000000 00000000
            0800 1d00 09000000 0700 0300 76610000
            """)
        fromIP[6] = 0x05 // NLM_F_REQUEST → NLM_F_REQUEST|NLM_F_ACK
        fromIP[36] = 0x08 // RTEXT_FILTER_VF|SKIP_STATS → SKIP_STATS
        #expect(LinkRequest.getLink(name: "va", sequence: 0x6b01_f91c) == fromIP)
    }

    /// ip's `RTM_GETLINK` for ifindex 2, with the same two differences.
    @Test func getLinkByIndexMatchesIproute2() {
        var fromIP = hexBytes("""
            28000000 1200 0100 1cf9016b 00000000
            00000000 02000000 00000000 00000000
            0800 1d00 09000000
            """)
        fromIP[6] = 0x05
        fromIP[36] = 0x08
        #expect(LinkRequest.getLink(index: 2, sequence: 0x6b01_f91c) == fromIP)
    }

    // MARK: Requests computed by hand

    @Test func replaceCarriesTheExpectedFD() {
        let bytes = LinkRequest.attachXDP(interfaceIndex: 7, programFD: 9, mode: .native,
                                          policy: .replace(expectedFD: 8), sequence: 1)
        #expect(bytes == hexBytes("""
            3c000000 1300 0500 01000000 00000000
            00000000 07000000 00000000 00000000
            1c00 2b80 0800 0100 09000000 0800 0300 14000000 0800 0800 08000000
            """))
    }

    @Test func forceInAutoModeSendsNoFlags() {
        let bytes = LinkRequest.attachXDP(interfaceIndex: 1, programFD: 5, mode: .auto, policy: .force, sequence: 2)
        #expect(bytes == hexBytes("""
            2c000000 1300 0500 02000000 00000000
            00000000 01000000 00000000 00000000
            0c00 2b80 0800 0100 05000000
            """))
    }

    @Test func detachUsesMinusOneAndTheModeFlag() {
        let bytes = LinkRequest.detachXDP(interfaceIndex: 4, mode: .native, sequence: 3)
        #expect(bytes == hexBytes("""
            34000000 1300 0500 03000000 00000000
            00000000 04000000 00000000 00000000
            1400 2b80 0800 0100 ffffffff 0800 0300 04000000
            """))
    }

    @Test func dumpRequest() {
        #expect(LinkRequest.dumpLinks(sequence: 0x01020304) == hexBytes("""
            28000000 1200 0103 04030201 00000000
            00000000 00000000 00000000 00000000
            0800 1d00 08000000
            """))
    }

    @Test func modeAndPolicyFlags() {
        #expect(XDPMode.auto.flags == [])
        #expect(XDPMode.native.flags == .driverMode)
        #expect(XDPMode.generic.flags == .skbMode)
        #expect(XDPMode.offload.flags == .hardwareMode)
        #expect(XDPReplacePolicy.ifNotExists.flags == .updateIfNotExists)
        #expect(XDPReplacePolicy.force.flags == [])
        #expect(XDPReplacePolicy.replace(expectedFD: 3).flags == .replace)
        #expect(XDPFlags([.skbMode, .updateIfNotExists]).description == "SKB_MODE|UPDATE_IF_NOEXIST")
        #expect(XDPFlags(rawValue: 0x104).description == "DRV_MODE|0x100")
        #expect(NetlinkMessageFlags([.request, .dump]).description == "REQUEST|DUMP")
    }

    // MARK: The builder

    @Test func attributesArePaddedToFourBytes() {
        var message = NetlinkMessageBuilder(type: NetlinkMessageType(rawValue: 0x20), flags: .request, sequence: 9)
        message.append([0xAA])                                  // body of 1 byte → 3 pad bytes
        message.appendAttribute(1, uint8: 0x7F)                 // len 5 → 3 pad bytes
        message.appendAttribute(2, string: "abc")               // "abc\0": len 8, no padding
        message.appendAttribute(3, string: "abcd")              // "abcd\0": len 9 → 3 pad bytes
        message.appendAttribute(4, payload: [])                 // len 4
        message.appendAttribute(5, uint32: 0x1122_3344)         // host order (little-endian here)
        #expect(message.bytes == hexBytes("""
            3c000000 2000 0100 09000000 00000000
            aa000000
            0500 0100 7f000000
            0800 0200 61626300
            0900 0300 61626364 00000000
            0400 0400
            0800 0500 44332211
            """))
    }

    @Test func nestedLengthCoversInnerPadding() {
        var message = NetlinkMessageBuilder(type: .setLink, flags: .request, sequence: 0)
        message.appendNested(10) { outer in
            outer.appendAttribute(1, uint8: 1)
            outer.appendNested(2) { inner in inner.appendAttribute(3, int32: -2) }
        }
        #expect(message.bytes == hexBytes("""
            28000000 1300 0100 00000000 00000000
            1800 0a80
              0500 0100 01000000
              0c00 0280 0800 0300 feffffff
            """))
    }

    @Test func headerAndInterfaceInfoRoundTrip() throws {
        let header = NetlinkMessageHeader(length: 0x40, type: .newLink, flags: [.multi, .request],
                                          sequence: 0xDEAD_BEEF, portID: 77)
        #expect(header.bytes == hexBytes("40000000 1000 0300 efbeadde 4d000000"))
        #expect(try NetlinkMessageHeader(from: ByteReader(header.bytes, order: .host, context: "t")) == header)
        let info = InterfaceInfoMessage(deviceType: 772, index: -5, flags: 0x11043, change: 0xFFFF_FFFF)
        #expect(info.bytes == hexBytes("00 00 0403 fbffffff 43100100 ffffffff"))
        #expect(try InterfaceInfoMessage(from: ByteReader(info.bytes, order: .host, context: "t")) == info)
    }

    // MARK: Trace fields

    @Test func traceFieldsDecodeWhatIsSent() {
        let attach = LinkRequest.attachXDP(interfaceIndex: 3, programFD: 7, mode: .generic, policy: .ifNotExists)
        #expect(NetlinkRequestDescription.fields(of: attach) == [
            .init("ifindex", "3"), .init("IFLA_XDP_FD", "7"), .init("IFLA_XDP_FLAGS", "SKB_MODE|UPDATE_IF_NOEXIST"),
        ])
        let replace = LinkRequest.attachXDP(interfaceIndex: 3, programFD: 7, mode: .native, policy: .replace(expectedFD: 5))
        #expect(NetlinkRequestDescription.fields(of: replace) == [
            .init("ifindex", "3"), .init("IFLA_XDP_FD", "7"), .init("IFLA_XDP_FLAGS", "DRV_MODE|REPLACE"),
            .init("IFLA_XDP_EXPECTED_FD", "5"),
        ])
        #expect(NetlinkRequestDescription.fields(of: LinkRequest.getLink(name: "eth0")) == [
            .init("ifindex", "0"), .init("IFLA_EXT_MASK", "SKIP_STATS"), .init("IFLA_IFNAME", "eth0"),
        ])
        #expect(NetlinkRequestDescription.fields(of: LinkRequest.dumpLinks()) == [
            .init("nlmsg_flags", "REQUEST|DUMP"), .init("IFLA_EXT_MASK", "SKIP_STATS"),
        ])
        #expect(NetlinkRequestDescription.fields(of: [1, 2, 3]).isEmpty)
    }

    @Test func interfaceNameValidation() {
        #expect(LinkRequest.isValidInterfaceName("eth0"))
        #expect(LinkRequest.isValidInterfaceName("a23456789012345"))     // 15 bytes
        #expect(!LinkRequest.isValidInterfaceName("a234567890123456"))   // 16 bytes
        #expect(!LinkRequest.isValidInterfaceName(""))
        #expect(!LinkRequest.isValidInterfaceName("."))
        #expect(!LinkRequest.isValidInterfaceName("a/b"))
        #expect(!LinkRequest.isValidInterfaceName("a b"))
        #expect(!LinkRequest.isValidInterfaceName("a:0"))
        #expect(!LinkRequest.isValidInterfaceName("a\u{0}b"))
    }
}
