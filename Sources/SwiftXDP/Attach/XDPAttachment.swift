/// Attaching XDP programs to interfaces, detaching them and asking what is attached: the
/// API's thin layer over netlink (`RTM_SETLINK` with `IFLA_XDP`) and `BPF_LINK_CREATE`.
///
/// Netlink attachments outlive the process that made them; a bpf_link lives as long as its
/// descriptor or its pin in bpffs.
public struct XDPAttachment: Sendable {
    /// The netlink connection used for every request.
    public let netlink: XDPNetlink

    /// Talks to the current network namespace.
    public init() throws(NetlinkError) { netlink = try XDPNetlink() }

    /// Uses an existing netlink connection (for example one opened in another namespace).
    public init(netlink: XDPNetlink) { self.netlink = netlink }

    /// The index of interface `name`, or a typed unknown-interface error.
    public func interfaceIndex(_ name: String) throws(NetlinkError) -> Int32 {
        try netlink.interfaceIndex(named: name)
    }

    /// Attaches `program` to interface `name` through netlink (`IFLA_XDP_FD`), in `mode`, with
    /// `policy`: fail if one is attached (`UPDATE_IF_NOEXIST`, the default), replace it, or
    /// swap it atomically if it is still `expectedFD` (`XDP_FLAGS_REPLACE`).
    public func attach(_ program: BPFProgram, to name: String, mode: XDPMode = .auto,
                       policy: XDPReplacePolicy = .ifNotExists) throws(NetlinkError) {
        let index = try interfaceIndex(name)
        try netlink.attach(ifindex: index, program: program.fd, mode: mode, policy: policy)
    }

    /// Attaches `program` with a bpf_link (`BPF_LINK_CREATE`, attach type `BPF_XDP`) and pins the
    /// link at `pinPath`, so the attachment outlives this process until the pin is removed.
    public func attachWithLink(_ program: BPFProgram, to name: String, mode: XDPMode = .auto,
                               pinPath: String) throws -> BPFLink {
        let index = try interfaceIndex(name)
        let link = try BPFLink(program: program, interfaceIndex: UInt32(index), attachType: .xdp,
                               flags: mode.flags.rawValue)
        do {
            try link.pin(at: pinPath)
        } catch {
            link.close()
            throw error
        }
        return link
    }

    /// Detaches the netlink-attached XDP program of `name` in `mode` and returns what was
    /// attached before (nothing attached: nothing is sent). With `.auto`, every mode that has a
    /// program is detached: the kernel reads "no mode flag" as the driver mode when the driver
    /// supports XDP, which would leave a generic program in place.
    @discardableResult
    public func detach(from name: String, mode: XDPMode = .auto) throws(NetlinkError) -> XDPStatus {
        // One RTM_GETLINK by name gives both the index and the XDP state.
        let interface = try netlink.interface(named: name)
        let index = interface.index
        let status = interface.xdp
        let modes = mode == .auto ? [XDPMode.native, .generic, .offload] : [mode]
        for attached in modes where (status.programID(for: attached) ?? 0) != 0 {
            try netlink.detach(ifindex: index, mode: attached)
        }
        return status
    }

    /// What is attached to interface `name` (one `RTM_GETLINK` by name).
    public func query(_ name: String) throws(NetlinkError) -> XDPStatus {
        try netlink.interface(named: name).xdp
    }
}
