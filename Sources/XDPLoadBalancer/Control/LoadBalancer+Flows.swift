/// A `flows` entry with what its port's `reverse` entry says about the connection.
public struct LBFlowState: Sendable, Equatable {
    /// The client's tuple (the `flows` key).
    public var tuple: LBTuple
    /// The `flows` value.
    public var flow: LBFlow
    /// False once the connection has ended: its `reverse` entry records both FINs or a RST
    /// (``LBReverse/hasEnded``), or is gone or names another client (the LRU evicted it or a
    /// new flow recycled the port), so no reply can reach this client through it any more.
    public var isOpen: Bool
}

extension LoadBalancer {
    /// Every `flows` entry with whether its connection is still open, reading the LB
    /// address and the backends first (see ``flowStates(lbIP:backends:)``).
    public func flowStates() throws -> [LBFlowState] {
        try flowStates(lbIP: try maps.readConfig().lbIP, backends: try maps.readBackends())
    }

    /// Every `flows` entry, each with whether its connection is still open, judged with the
    /// LB address `lbIP` (`config.lb_ip`) and `backends` (as ``LBMaps/readBackends()`` gives
    /// them: callers have read both already). A UDP flow stays
    /// open until its port is recycled (after `XDP_LB_UDP_IDLE_PERIODS` idle refresh periods,
    /// when a new flow needs it) or the LRU evicts it: user space cannot read jiffies to
    /// judge idleness itself.
    public func flowStates(lbIP: IPv4Address, backends: [(id: UInt32, backend: LBBackend)]) throws -> [LBFlowState] {
        let backends = Dictionary(backends.map { ($0.id, $0.backend) }, uniquingKeysWith: { a, _ in a })
        let reverse = try maps.readReverseEntries()
        return try maps.readFlows().map { entry in
            var open = false
            if let backend = backends[entry.flow.backendID] {
                let key = LBTuple(source: backend.endpoint, destination: IPv4Endpoint(lbIP, entry.flow.lbPort),
                                  proto: entry.tuple.proto)
                if let r = reverse[key], r.client == entry.tuple { open = !r.hasEnded }
            }
            return LBFlowState(tuple: entry.tuple, flow: entry.flow, isOpen: open)
        }
    }
}
