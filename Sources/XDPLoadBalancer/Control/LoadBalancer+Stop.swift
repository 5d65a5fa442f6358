extension LoadBalancer {
    /// Stops the load balancer: detaches its program from the interface (only if it is the
    /// one attached; another program is left alone) and removes the pins, so the kernel frees
    /// program and maps once this value is gone. Returns true if it was attached.
    /// The host sysctls are not touched here: ``restoreHostSettings(interface:stateRoot:)``
    /// puts back those `start` changed.
    @discardableResult
    public func stop() throws -> Bool {
        let programID = try program.info(details: false).id
        var detached = false
        let attachment = try XDPAttachment()
        if let status = try? attachment.query(interface) {
            for mode in [XDPMode.native, .generic, .offload] where status.programID(for: mode) == programID {
                try attachment.netlink.detach(ifindex: try attachment.interfaceIndex(interface), mode: mode)
                detached = true
            }
        }
        Self.removePins(in: pinDirectory)
        return detached
    }
}
