/// The payload of an `NLMSG_ERROR` reply: an acknowledgement (error 0) or a failure (−errno).
///
/// Mirrors `struct nlmsgerr` in linux/netlink.h: `error` (s32), then the request's
/// `struct nlmsghdr` echoed back, then the rest of the request unless the reply has
/// `NLM_F_CAPPED`, then extended-ack attributes (``NetlinkExtendedAck``) when it has
/// `NLM_F_ACK_TLVS`.
public struct NetlinkErrorMessage: Sendable, Equatable {
    /// `error`: 0 for an acknowledgement, otherwise a negative errno.
    public var error: Int32
    /// `msg`: the header of the request being answered.
    public var request: NetlinkMessageHeader
    /// Whether only the request's header was echoed (`NLM_F_CAPPED`).
    public var isCapped: Bool
    /// The extended-ack attributes (empty when there were none).
    public var extendedAck: NetlinkExtendedAck

    /// True for an acknowledgement (`error` == 0).
    public var isAcknowledgement: Bool { error == 0 }

    /// The errno for a failure, nil for an acknowledgement.
    public var errno: Errno? { error < 0 ? Errno(rawValue: error == Int32.min ? Int32.max : -error) : nil }

    /// Creates an error message value.
    public init(error: Int32, request: NetlinkMessageHeader, isCapped: Bool = true,
                extendedAck: NetlinkExtendedAck = NetlinkExtendedAck()) {
        self.error = error
        self.request = request
        self.isCapped = isCapped
        self.extendedAck = extendedAck
    }

    /// Decodes the payload of an `NLMSG_ERROR` message.
    public init(parsing message: NetlinkMessage) throws(ParseError) {
        let reader = message.payloadReader(context: "NLMSG_ERROR")
        error = try reader.i32(at: 0)
        guard error <= 0 else {
            throw reader.error(.invalid("nlmsgerr.error is positive (\(error))"), at: 0)
        }
        request = try NetlinkMessageHeader(from: reader, at: 4)
        isCapped = message.header.flags.contains(.capped)
        var end = 4 + NetlinkMessageHeader.size
        if !isCapped {
            // The whole request follows; its header says how long it was.
            let echoed = Int(request.length)
            guard echoed >= NetlinkMessageHeader.size else {
                throw reader.error(.invalid("echoed nlmsg_len \(echoed) is shorter than a header"), at: 4)
            }
            end = 4 + echoed
            try reader.check(0, end)
        }
        extendedAck = NetlinkExtendedAck()
        if message.header.flags.contains(.ackTLVs) {
            let start = min(NetlinkProtocol.aligned(end), reader.count)
            extendedAck = try NetlinkExtendedAck(
                parsing: reader.subReader(at: start, length: reader.count - start, context: "NLMSG_ERROR extended ack"))
        }
    }
}

/// The end of a dump: `NLMSG_DONE` carries an int error (0, or −errno when the dump failed)
/// and, with `NLM_F_ACK_TLVS`, extended-ack attributes.
///
/// Mirrors what `netlink_dump_done` in net/netlink/af_netlink.c sends.
public struct NetlinkDoneMessage: Sendable, Equatable {
    /// 0 when the dump completed, otherwise a negative errno.
    public var error: Int32
    /// The extended-ack attributes (empty when there were none).
    public var extendedAck: NetlinkExtendedAck

    /// Decodes the payload of an `NLMSG_DONE` message.
    public init(parsing message: NetlinkMessage) throws(ParseError) {
        let reader = message.payloadReader(context: "NLMSG_DONE")
        error = try reader.i32(at: 0)
        extendedAck = NetlinkExtendedAck()
        if message.header.flags.contains(.ackTLVs) {
            extendedAck = try NetlinkExtendedAck(
                parsing: reader.subReader(at: 4, length: reader.count - 4, context: "NLMSG_DONE extended ack"))
        }
    }
}

/// What the kernel added to an error reply on a socket with `NETLINK_EXT_ACK`.
///
/// Mirrors the `NLMSGERR_ATTR_*` attributes of linux/netlink.h.
public struct NetlinkExtendedAck: Sendable, Equatable {
    /// `NLMSGERR_ATTR_MSG`: the kernel's explanation, e.g. `"XDP program already attached"`.
    public var message: String?
    /// `NLMSGERR_ATTR_OFFS`: byte offset in the request of the attribute that was rejected.
    public var attributeOffset: UInt32?
    /// `NLMSGERR_ATTR_MISS_TYPE`: type of a required attribute that was missing.
    public var missingAttributeType: UInt32?
    /// `NLMSGERR_ATTR_MISS_NEST`: offset in the request of the nest that lacked it.
    public var missingNestOffset: UInt32?
    /// `NLMSGERR_ATTR_COOKIE`: subsystem-specific bytes.
    public var cookie: [UInt8]?

    /// Creates an extended ack; all parts are optional.
    public init(message: String? = nil, attributeOffset: UInt32? = nil, missingAttributeType: UInt32? = nil,
                missingNestOffset: UInt32? = nil, cookie: [UInt8]? = nil) {
        self.message = message
        self.attributeOffset = attributeOffset
        self.missingAttributeType = missingAttributeType
        self.missingNestOffset = missingNestOffset
        self.cookie = cookie
    }

    /// True when the kernel sent nothing.
    public var isEmpty: Bool { self == NetlinkExtendedAck() }

    /// Decodes the `NLMSGERR_ATTR_*` attributes in `reader`; unknown ones are skipped.
    public init(parsing reader: ByteReader) throws(ParseError) {
        self.init()
        for attribute in try NetlinkAttribute.parseList(reader) {
            switch attribute.type {
            case ExtendedAckAttribute.message: message = attribute.string()
            case ExtendedAckAttribute.offset: attributeOffset = try attribute.u32()
            case ExtendedAckAttribute.missingType: missingAttributeType = try attribute.u32()
            case ExtendedAckAttribute.missingNest: missingNestOffset = try attribute.u32()
            case ExtendedAckAttribute.cookie: cookie = Array(attribute.payload)
            default: break
            }
        }
    }
}
