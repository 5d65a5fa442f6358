/// What a backend change did.
public struct LBBackendChange: Sendable, Equatable {
    /// The backend's id.
    public var id: UInt32
    /// Its state afterwards.
    public var flags: LBBackendFlags
    /// How many Maglev slots changed owner.
    public var slotsMoved: Int
    /// Draining backends whose flows had all ended and whose ids were freed on the way.
    public var freed: [IPv4Endpoint]
}

extension LoadBalancer {
    /// Adds a backend (duty 3): frees drained ids, writes `backends[id]` ACTIVE (a draining
    /// backend with this address is re-activated under its old id), then rewrites the Maglev
    /// slots that move to it.
    public func addBackend(_ endpoint: IPv4Endpoint) throws -> LBBackendChange {
        let freed = try freeDrainedBackends()
        let current = try maps.readBackends()
        if current.contains(where: { $0.backend.endpoint == endpoint && $0.backend.flags.contains(.active) }) {
            throw LBError(.duplicateBackend(endpoint))
        }
        let id: UInt32
        if let draining = current.first(where: { $0.backend.endpoint == endpoint }) {
            id = draining.id
        } else {
            let used = Set(current.map(\.id))
            guard let free = (1..<UInt32(LBConstants.maxBackends)).first(where: { !used.contains($0) }) else {
                throw LBError(.tooManyBackends)
            }
            id = free
            try maps.resetBackendCounters(id: id)
        }
        try maps.writeBackend(id: id, LBBackend(endpoint: endpoint, flags: .active))
        let moved = try refillMaglev()
        return LBBackendChange(id: id, flags: .active, slotsMoved: moved, freed: freed)
    }

    /// Removes a backend (duty 4): rewrites the Maglev slots without it FIRST, then marks it
    /// DRAINING, so its established flows continue and no new flow picks it. Its id is freed
    /// at once if none of its flows is open, else by a later change once none is.
    public func removeBackend(_ endpoint: IPv4Endpoint) throws -> LBBackendChange {
        let current = try maps.readBackends()
        guard let entry = current.first(where: { $0.backend.endpoint == endpoint && $0.backend.flags.contains(.active) }) else {
            if current.contains(where: { $0.backend.endpoint == endpoint }) {
                throw LBError(.other("\(endpoint) is already draining"))
            }
            throw LBError(.unknownBackend(endpoint))
        }
        let moved = try refillMaglev(excluding: entry.id)
        try maps.writeBackend(id: entry.id, LBBackend(endpoint: endpoint, flags: .draining))
        let freed = try freeDrainedBackends()
        return LBBackendChange(id: entry.id, flags: freed.contains(endpoint) ? [] : .draining,
                               slotsMoved: moved, freed: freed)
    }

    /// Rebuilds the service's Maglev table from the ACTIVE backends (minus `excluded`) and
    /// writes the slots that changed. Returns how many.
    @discardableResult
    public func refillMaglev(excluding excluded: UInt32? = nil) throws -> Int {
        let active = try maps.readBackends().filter { $0.backend.flags.contains(.active) && $0.id != excluded }
        let table = MaglevTable.build(active.map { MaglevBackend(id: $0.id, name: $0.backend.endpoint.description) })
        let previous = try maps.readMaglev(serviceID: Self.serviceID)
        return try maps.writeMaglev(serviceID: Self.serviceID, table: table, previous: previous)
    }

    /// Sets the flags of DRAINING backends that no open flow names any more (no `flows`
    /// entry, or only entries whose connection ended: ``flowStates(lbIP:backends:)``) to 0 ("slot
    /// unused"), so their ids can be reused. Returns their endpoints.
    @discardableResult
    public func freeDrainedBackends() throws -> [IPv4Endpoint] {
        let backends = try maps.readBackends()
        let draining = backends.filter { $0.backend.flags == .draining }
        guard !draining.isEmpty else { return [] }
        let states = try flowStates(lbIP: try maps.readConfig().lbIP, backends: backends)
        let inUse = Set(states.filter(\.isOpen).map(\.flow.backendID))
        var freed: [IPv4Endpoint] = []
        for entry in draining where !inUse.contains(entry.id) {
            try maps.writeBackend(id: entry.id, LBBackend(endpoint: entry.backend.endpoint, flags: []))
            freed.append(entry.backend.endpoint)
        }
        return freed
    }
}
