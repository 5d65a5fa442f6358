/// Attaches, detaches and queries XDP programs on network interfaces over rtnetlink.
///
/// Each method is one request on a ``NetlinkSocket``: `RTM_SETLINK` with a nested `IFLA_XDP`
/// to attach or detach, `RTM_GETLINK` to look up interfaces and read their `IFLA_XDP` state
/// (linux/rtnetlink.h, linux/if_link.h). Interface names and indexes are those of the
/// socket's network namespace.
///
/// ```swift
/// let xdp = try XDPNetlink(namespace: "lab")
/// let index = try xdp.interfaceIndex(named: "veth0")
/// try xdp.attach(ifindex: index, programFD: program.fd.rawValue, mode: .generic)
/// print(try xdp.query(ifindex: index).genericProgramID)
/// ```
public struct XDPNetlink: Sendable {
    /// The socket requests go through.
    public let socket: NetlinkSocket

    /// Uses an existing socket.
    public init(socket: NetlinkSocket) { self.socket = socket }

    /// Opens a socket in the caller's network namespace.
    public init() throws(NetlinkError) { socket = try NetlinkSocket() }

    /// Opens a socket in the named network namespace (see ``NetlinkSocket/init(namespace:)``).
    public init(namespace: String) throws(NetlinkError) { socket = try NetlinkSocket(namespace: namespace) }

    // MARK: Interfaces

    /// The interface called `name` (`RTM_GETLINK` with `IFLA_IFNAME`).
    ///
    /// Throws ``NetlinkError/Reason/unknownInterface(_:)`` when there is none.
    public func interface(named name: String) throws(NetlinkError) -> NetworkInterface {
        let operation = NetlinkError.Operation.lookUpInterface(name: name)
        guard LinkRequest.isValidInterfaceName(name) else {
            throw NetlinkError(operation, .unknownInterface(name))
        }
        return try single(LinkRequest.getLink(name: name), operation: operation, unknown: name)
    }

    /// The interface with index `index` (`RTM_GETLINK` by `ifi_index`).
    ///
    /// Throws ``NetlinkError/Reason/unknownInterface(_:)`` when there is none.
    public func interface(index: Int32) throws(NetlinkError) -> NetworkInterface {
        let operation = NetlinkError.Operation.lookUpIndex(index)
        guard index > 0 else { throw NetlinkError(operation, .unknownInterface("ifindex \(index)")) }
        return try single(LinkRequest.getLink(index: index), operation: operation, unknown: "ifindex \(index)")
    }

    /// The index of the interface called `name` (like `if_nametoindex`, but in the socket's
    /// namespace).
    public func interfaceIndex(named name: String) throws(NetlinkError) -> Int32 {
        try interface(named: name).index
    }

    /// The name of the interface with index `index`.
    public func interfaceName(index: Int32) throws(NetlinkError) -> String {
        try interface(index: index).name
    }

    /// Every interface with its XDP state (`RTM_GETLINK` dump), sorted by index.
    public func listInterfaces() throws(NetlinkError) -> [NetworkInterface] {
        let messages = try socket.exchange(LinkRequest.dumpLinks(), operation: .listInterfaces)
        var interfaces: [NetworkInterface] = []
        for message in messages where message.header.type == .newLink {
            do { interfaces.append(try NetworkInterface(parsing: message)) } catch {
                throw NetlinkError(.listInterfaces, .malformedReply(error))
            }
        }
        return interfaces.sorted { $0.index < $1.index }
    }

    // MARK: XDP

    /// Attaches the XDP program behind `programFD` to interface `ifindex`.
    ///
    /// `mode` selects the `XDP_FLAGS_*_MODE` bit (``XDPMode/auto``: none), `policy` what
    /// happens when a program is already attached in that mode: ``XDPReplacePolicy/ifNotExists``
    /// fails (the kernel answers `EBUSY` "XDP program already attached"), ``XDPReplacePolicy/force``
    /// replaces, ``XDPReplacePolicy/replace(expectedFD:)`` replaces only that program.
    public func attach(ifindex: Int32, programFD: Int32, mode: XDPMode = .auto,
                       policy: XDPReplacePolicy = .ifNotExists) throws(NetlinkError) {
        let request = LinkRequest.attachXDP(interfaceIndex: ifindex, programFD: programFD, mode: mode, policy: policy)
        _ = try socket.exchange(request, operation: .attach(ifindex: ifindex, mode: mode, policy: policy))
    }

    /// Attaches the program behind `program` (kept open for the duration of the call).
    public func attach(ifindex: Int32, program: FileDescriptor, mode: XDPMode = .auto,
                       policy: XDPReplacePolicy = .ifNotExists) throws(NetlinkError) {
        try withExtendedLifetime(program) { () throws(NetlinkError) in
            try attach(ifindex: ifindex, programFD: program.rawValue, mode: mode, policy: policy)
        }
    }

    /// Detaches the program attached to `ifindex` in `mode` (`IFLA_XDP_FD` = −1 with the same
    /// mode flag). Detaching when nothing is attached succeeds.
    public func detach(ifindex: Int32, mode: XDPMode = .auto) throws(NetlinkError) {
        let request = LinkRequest.detachXDP(interfaceIndex: ifindex, mode: mode)
        _ = try socket.exchange(request, operation: .detach(ifindex: ifindex, mode: mode))
    }

    /// The XDP programs attached to `ifindex` (its `IFLA_XDP` attribute).
    public func query(ifindex: Int32) throws(NetlinkError) -> XDPStatus {
        try interface(index: ifindex).xdp
    }

    // MARK: Helpers

    /// Sends a non-dump `RTM_GETLINK` and decodes its single `RTM_NEWLINK`; `ENODEV` becomes
    /// ``NetlinkError/Reason/unknownInterface(_:)``.
    private func single(_ request: [UInt8], operation: NetlinkError.Operation,
                        unknown: String) throws(NetlinkError) -> NetworkInterface {
        let messages: [NetlinkMessage]
        do {
            messages = try socket.exchange(request, operation: operation)
        } catch where error.errno == .ENODEV {
            throw NetlinkError(operation, .unknownInterface(unknown))
        }
        guard let message = messages.first(where: { $0.header.type == .newLink }) else {
            throw NetlinkError(operation, .unexpectedReply("no RTM_NEWLINK in the reply"))
        }
        do { return try NetworkInterface(parsing: message) } catch {
            throw NetlinkError(operation, .malformedReply(error))
        }
    }
}
