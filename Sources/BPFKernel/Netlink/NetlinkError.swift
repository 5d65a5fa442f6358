/// A failed netlink operation: what was being done, why it failed (the kernel's errno and
/// extended-ack text, a failed socket call, or a malformed reply), and a hint in plain words.
///
/// ```
/// attach XDP to ifindex 3 (generic): EBUSY: Device or resource busy
///   (kernel: XDP program already attached) — an XDP program is already attached; use --force to replace it
/// ```
public struct NetlinkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The operation that failed.
    public enum Operation: Sendable, Equatable, CustomStringConvertible {
        /// Creating, configuring or binding the `NETLINK_ROUTE` socket.
        case openSocket
        /// Switching the thread into a named network namespace (`setns`) or back.
        case enterNamespace(String)
        /// `RTM_GETLINK` by `IFLA_IFNAME`.
        case lookUpInterface(name: String)
        /// `RTM_GETLINK` by index.
        case lookUpIndex(Int32)
        /// `RTM_GETLINK` dump.
        case listInterfaces
        /// `RTM_SETLINK` with `IFLA_XDP_FD` = a program.
        case attach(ifindex: Int32, mode: XDPMode, policy: XDPReplacePolicy)
        /// `RTM_SETLINK` with `IFLA_XDP_FD` = −1.
        case detach(ifindex: Int32, mode: XDPMode)
        /// Any other request, named by its message type.
        case request(NetlinkMessageType)

        /// E.g. `"attach XDP to ifindex 3 (generic)"`.
        public var description: String {
            switch self {
            case .openSocket: "open netlink socket"
            case let .enterNamespace(name): "enter network namespace \(name)"
            case let .lookUpInterface(name): "look up interface \(name)"
            case let .lookUpIndex(index): "look up ifindex \(index)"
            case .listInterfaces: "list interfaces"
            case let .attach(index, mode, _): "attach XDP to ifindex \(index) (\(mode))"
            case let .detach(index, mode): "detach XDP from ifindex \(index) (\(mode))"
            case let .request(type): "\(type)"
            }
        }
    }

    /// Why it failed.
    public enum Reason: Sendable, Equatable {
        /// The kernel answered `NLMSG_ERROR` (or `NLMSG_DONE`) with −errno and maybe a text.
        case kernel(Errno, NetlinkExtendedAck)
        /// A system call failed: `call` names it (`"socket"`, `"setns"`, `"recvfrom"`, …).
        case system(call: String, Errno)
        /// The reply could not be parsed.
        case malformedReply(ParseError)
        /// The reply was well-formed but not what the protocol allows here.
        case unexpectedReply(String)
        /// There is no interface with this name or index (in the socket's namespace).
        case unknownInterface(String)
    }

    /// The operation that failed.
    public var operation: Operation
    /// Why.
    public var reason: Reason

    /// Creates an error.
    public init(_ operation: Operation, _ reason: Reason) {
        self.operation = operation
        self.reason = reason
    }

    /// The errno, when the kernel or a system call reported one (`ENODEV` for an unknown
    /// interface).
    public var errno: Errno? {
        switch reason {
        case let .kernel(errno, _), let .system(_, errno): errno
        case .unknownInterface: .ENODEV
        case .malformedReply, .unexpectedReply: nil
        }
    }

    /// The kernel's own explanation (`NLMSGERR_ATTR_MSG`), if it sent one.
    public var kernelMessage: String? {
        if case let .kernel(_, ack) = reason { return ack.message }
        return nil
    }

    /// True when the interface does not exist (typed unknown interface, or `ENODEV`).
    public var isUnknownInterface: Bool {
        if case .unknownInterface = reason { return true }
        return errno == .ENODEV
    }

    /// What to do about it, in plain words, or nil.
    public var hint: String? {
        var isSystemCall = false
        if case .system = reason { isSystemCall = true }
        return NetlinkError.hint(operation: operation, errno: errno, kernelMessage: kernelMessage,
                                 isSystemCall: isSystemCall)
    }

    /// `"<operation>: <why> (kernel: <text>) — <hint>"`.
    public var description: String {
        var text = "\(operation): "
        switch reason {
        case let .kernel(errno, ack):
            text += errno.description
            if let message = ack.message, !message.isEmpty { text += " (kernel: \(message))" }
        case let .system(call, errno):
            text += "\(call): \(errno)"
        case let .malformedReply(error):
            text += "malformed reply: \(error)"
        case let .unexpectedReply(what):
            text += "unexpected reply: \(what)"
        case let .unknownInterface(what):
            text += "no such interface: \(what)"
        }
        if let hint { text += " — \(hint)" }
        return text
    }
}

extension NetlinkError {
    /// The plain-words hint for an errno met during `operation`.
    static func hint(operation: Operation, errno: Errno?, kernelMessage: String?,
                     isSystemCall: Bool) -> String? {
        guard let errno else { return nil }
        let text = (kernelMessage ?? "").lowercased()
        switch errno {
        case .EPERM, .EACCES:
            if case .enterNamespace = operation { return "needs CAP_SYS_ADMIN (run as root)" }
            return "needs CAP_NET_ADMIN (run as root)"
        case .ENODEV:
            return "no such network interface (in this network namespace)"
        case .ENOENT:
            if case let .enterNamespace(name) = operation {
                return "no network namespace named \(name) (see `ip netns list`)"
            }
            return nil
        case .EOPNOTSUPP, .ENOTSUPP:
            switch operation {
            case let .attach(_, mode, _), let .detach(_, mode):
                if mode == .native || mode == .offload {
                    return "this driver does not support \(mode) XDP; use generic mode"
                }
                return "this interface does not support XDP in this mode"
            default:
                return nil
            }
        case .EBUSY, .EEXIST:
            if text.contains("already attached") {
                return "an XDP program is already attached; use --force to replace it"
            }
            if text.contains("native and generic") {
                return "detach the program attached in the other mode first"
            }
            if text.contains("does not match expected") {
                return "the attached program is not the expected one (replaced meanwhile?)"
            }
            if text.contains("link") {
                return "the program is attached through a bpf_link; remove that link first"
            }
            if case .attach(_, _, .ifNotExists) = operation {
                return "an XDP program is already attached; use --force to replace it"
            }
            return nil
        case .EINVAL:
            if text.contains("ambiguous") { return "more than one program is attached; name the mode" }
            if case .attach(_, .offload, _) = operation {
                return "offload needs a NIC that supports it and a program loaded for that device"
            }
            return nil
        case .EAGAIN:
            return isSystemCall ? "the kernel did not answer in time" : nil
        default:
            return nil
        }
    }
}
