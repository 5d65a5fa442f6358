import Glibc
import Synchronization

/// A bound `NETLINK_ROUTE` socket that sends one request at a time and collects its replies.
///
/// Mirrors the usual rtnetlink client set-up (netlink(7), rtnetlink(7)):
/// `socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)`, the options
/// `NETLINK_EXT_ACK` (the kernel's error text) and `NETLINK_CAP_ACK` (no echoed request in
/// errors), `bind` with port id 0 (the kernel picks one), then per request a fresh sequence
/// number, `sendto` the kernel, and `recvfrom` until the `NLMSG_ERROR` acknowledgement or the
/// `NLMSG_DONE` of a dump. Replies with other sequence numbers (stale ones) are skipped.
///
/// The socket works in the network namespace it was created in; see ``init(namespace:)``.
/// Requests are serialized, so one socket can be shared between tasks.
public final class NetlinkSocket: Sendable {
    /// The socket's descriptor (closed when the socket goes away).
    public let descriptor: FileDescriptor
    /// The network namespace name it was created in, or nil for the caller's namespace.
    public let namespace: String?
    /// The next sequence number; also the lock that keeps exchanges from interleaving.
    private let nextSequence: Mutex<UInt32>

    /// How long to wait for the kernel's reply before failing with `EAGAIN`.
    public static let replyTimeoutSeconds = 30
    /// How many times a dump is repeated when the kernel flags it `NLM_F_DUMP_INTR`.
    static let dumpAttempts = 5

    /// Opens a socket in the calling thread's network namespace.
    public convenience init() throws(NetlinkError) {
        try self.init(namespaceName: nil)
    }

    /// Opens a socket inside the named network namespace (`/var/run/netns/<name>`, as made by
    /// `ip netns add`): the thread enters it, creates the socket and returns to its own
    /// namespace before this returns. The socket stays bound to `name`'s interfaces.
    public convenience init(namespace name: String) throws(NetlinkError) {
        try self.init(namespaceName: name)
    }

    private init(namespaceName: String?) throws(NetlinkError) {
        let descriptor: FileDescriptor
        if let namespaceName {
            descriptor = try NetworkNamespace.perform(in: namespaceName) { () throws(NetlinkError) in
                try NetlinkSocket.openDescriptor()
            }
        } else {
            descriptor = try NetlinkSocket.openDescriptor()
        }
        self.descriptor = descriptor
        self.namespace = namespaceName
        // Start from a clock-derived value, so replies to an earlier process's requests on a
        // recycled port id cannot be mistaken for ours.
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        nextSequence = Mutex(UInt32(truncatingIfNeeded: now.tv_nsec ^ now.tv_sec) | 1)
    }

    /// `socket`, `setsockopt` ×3 and `bind` for a new `NETLINK_ROUTE` socket.
    private static func openDescriptor() throws(NetlinkError) -> FileDescriptor {
        func fail(_ call: String, _ errno: Errno) -> NetlinkError {
            NetlinkError(.openSocket, .system(call: call, errno))
        }
        let raw = socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), NetlinkProtocol.route)
        guard raw >= 0 else { throw fail("socket(AF_NETLINK, NETLINK_ROUTE)", .current) }
        let descriptor: FileDescriptor
        do { descriptor = try FileDescriptor(adopting: raw) } catch { throw fail("socket", error) }
        let fd = descriptor.rawValue

        var one: Int32 = 1
        for (option, name) in [(NetlinkProtocol.extendedAckOption, "NETLINK_EXT_ACK"),
                               (NetlinkProtocol.capAckOption, "NETLINK_CAP_ACK")] {
            guard setsockopt(fd, NetlinkProtocol.socketLevel, option, &one, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
                throw fail("setsockopt(\(name))", .current)
            }
        }
        var timeout = timeval(tv_sec: replyTimeoutSeconds, tv_usec: 0)
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            throw fail("setsockopt(SO_RCVTIMEO)", .current)
        }
        var address = NetlinkSocketAddress.kernel
        let bound = address.withSockaddr { bind(fd, $0, $1) }
        guard bound == 0 else { throw fail("bind", .current) }
        return descriptor
    }

    /// Sends `request` (a complete message; its sequence number is replaced) and returns the
    /// reply's data messages, without the final acknowledgement or `NLMSG_DONE`.
    ///
    /// A request with `NLM_F_DUMP` is read until `NLMSG_DONE` (and repeated if the kernel
    /// says the dump was interrupted); any other request is sent with `NLM_F_ACK` and read
    /// until its `NLMSG_ERROR`. An error reply throws ``NetlinkError/Reason/kernel(_:_:)``.
    /// Every exchange is reported to ``KernelTrace``.
    public func exchange(_ request: [UInt8], operation: NetlinkError.Operation) throws(NetlinkError) -> [NetlinkMessage] {
        var outcome: Result<[NetlinkMessage], NetlinkError> = .success([])
        defer { trace(request, outcome) }
        do {
            let messages = try nextSequence.withLock { (sequence: inout UInt32) throws(NetlinkError) -> [NetlinkMessage] in
                try exchangeLocked(request, sequence: &sequence, operation: operation)
            }
            outcome = .success(messages)
            return messages
        } catch {
            outcome = .failure(error)
            throw error
        }
    }

    private func exchangeLocked(_ request: [UInt8], sequence: inout UInt32,
                                operation: NetlinkError.Operation) throws(NetlinkError) -> [NetlinkMessage] {
        guard request.count >= NetlinkMessageHeader.size else {
            throw NetlinkError(operation, .unexpectedReply("request shorter than a netlink header"))
        }
        let isDump = NetlinkMessageFlags(rawValue: headerField16(request, at: 6)).contains(.dump)
        for _ in 0..<(isDump ? Self.dumpAttempts : 1) {
            sequence &+= 1
            if sequence == 0 { sequence = 1 }
            var message = request
            ByteOrder.host.store(sequence, into: &message, at: 8)
            if !isDump {
                // The exchange ends at the acknowledgement, so always ask for one.
                let flags = NetlinkMessageFlags(rawValue: headerField16(message, at: 6)).union(.ack)
                ByteOrder.host.store(flags.rawValue, into: &message, at: 6)
            }
            try send(message, operation: operation)
            let reply = try receiveReply(sequence: sequence, operation: operation)
            if !reply.interrupted { return reply.messages }
        }
        throw NetlinkError(operation, .unexpectedReply("the dump was interrupted \(Self.dumpAttempts) times (NLM_F_DUMP_INTR)"))
    }

    private func send(_ message: [UInt8], operation: NetlinkError.Operation) throws(NetlinkError) {
        var address = NetlinkSocketAddress.kernel
        while true {
            let sent = message.withUnsafeBytes { bytes in
                address.withSockaddr { sendto(descriptor.rawValue, bytes.baseAddress, bytes.count, 0, $0, $1) }
            }
            if sent >= 0 { return }
            let errno = Errno.current
            if errno == .EINTR { continue }
            throw NetlinkError(operation, .system(call: "sendto", errno))
        }
    }

    /// Reads datagrams until the exchange for `sequence` ends.
    private func receiveReply(sequence: UInt32,
                              operation: NetlinkError.Operation) throws(NetlinkError) -> (messages: [NetlinkMessage], interrupted: Bool) {
        var collected: [NetlinkMessage] = []
        var interrupted = false
        while true {
            let datagram = try receiveDatagram(operation: operation)
            let messages: [NetlinkMessage]
            do { messages = try NetlinkMessage.parseDatagram(datagram) } catch {
                throw NetlinkError(operation, .malformedReply(error))
            }
            for message in messages where message.header.sequence == sequence {
                if message.header.flags.contains(.dumpInterrupted) { interrupted = true }
                switch message.header.type {
                case .noop:
                    continue
                case .error:
                    let reply: NetlinkErrorMessage
                    do { reply = try NetlinkErrorMessage(parsing: message) } catch {
                        throw NetlinkError(operation, .malformedReply(error))
                    }
                    if let errno = reply.errno { throw NetlinkError(operation, .kernel(errno, reply.extendedAck)) }
                    return (collected, interrupted)
                case .done:
                    let done: NetlinkDoneMessage
                    do { done = try NetlinkDoneMessage(parsing: message) } catch {
                        throw NetlinkError(operation, .malformedReply(error))
                    }
                    if done.error < 0 {
                        let errno = Errno(rawValue: done.error == .min ? .max : -done.error)
                        throw NetlinkError(operation, .kernel(errno, done.extendedAck))
                    }
                    return (collected, interrupted)
                case .overrun:
                    throw NetlinkError(operation, .unexpectedReply("NLMSG_OVERRUN: the kernel lost data"))
                default:
                    collected.append(message)
                }
            }
        }
    }

    /// Receives one datagram from the kernel, sized with `MSG_PEEK | MSG_TRUNC`.
    private func receiveDatagram(operation: NetlinkError.Operation) throws(NetlinkError) -> [UInt8] {
        let fd = descriptor.rawValue
        while true {
            let size = recv(fd, nil, 0, Int32(MSG_PEEK | MSG_TRUNC))
            if size < 0 {
                let errno = Errno.current
                if errno == .EINTR { continue }
                throw NetlinkError(operation, .system(call: "recv(MSG_PEEK)", errno))
            }
            var buffer = [UInt8](repeating: 0, count: max(size, 1))
            var sender = NetlinkSocketAddress()
            let received = buffer.withUnsafeMutableBytes { bytes in
                sender.withMutableSockaddr { recvfrom(fd, bytes.baseAddress, bytes.count, 0, $0, $1) }
            }
            if received < 0 {
                let errno = Errno.current
                if errno == .EINTR { continue }
                throw NetlinkError(operation, .system(call: "recvfrom", errno))
            }
            // Only the kernel (port id 0) answers requests; ignore anything else.
            guard sender.portID == 0 else { continue }
            return Array(buffer[0..<min(received, buffer.count)])
        }
    }

    private func trace(_ request: [UInt8], _ outcome: Result<[NetlinkMessage], NetlinkError>) {
        guard KernelTrace.isRecording else { return }
        let type = NetlinkMessageType(rawValue: headerField16(request, at: 4))
        let result: String
        var failed = false
        switch outcome {
        case let .success(messages):
            result = messages.isEmpty ? "ack" : "\(messages.count) × \(messages[0].header.type)"
        case let .failure(error):
            failed = true
            switch error.reason {
            case let .kernel(errno, ack):
                result = errno.description + (ack.message.map { " (kernel: \($0))" } ?? "")
            default:
                result = "\(error)"
            }
        }
        KernelTrace.record(KernelCall(interface: "netlink", command: type.description,
                                      fields: NetlinkRequestDescription.fields(of: request),
                                      result: result, failed: failed))
    }
}

/// A u16 at `offset` of a request we built ourselves (0 when out of range).
private func headerField16(_ bytes: [UInt8], at offset: Int) -> UInt16 {
    (try? ByteReader(bytes, order: .host, context: "request").u16(at: offset)) ?? 0
}
