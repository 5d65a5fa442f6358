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

/// The slots in use of the `backends` map, by id, as ``LBMaps/readBackends()`` lists them.
typealias LBBackendSlots = [(id: UInt32, backend: LBBackend)]

extension LoadBalancer {
    /// Adds a backend to `service` (nil: the only service; see ``service(_:)``) (duty 3):
    /// frees drained ids, writes `backends[id]` ACTIVE with the service's id (a draining
    /// backend of that service with this address is re-activated under its old id), then
    /// rewrites the service's Maglev slots that move to it.
    ///
    /// The `backends` map is read once: each step writes the map and the list read from it
    /// alike, so the later steps see the earlier steps' writes without reading it again.
    public func addBackend(_ endpoint: IPv4Endpoint, to service: LBServiceKey? = nil) throws -> LBBackendChange {
        let serviceID = try self.service(service).service.id
        var slots = try maps.readBackends()
        let freed = try freeDrainedBackends(in: &slots)
        let ofService = slots.filter { $0.backend.serviceID == serviceID }
        if ofService.contains(where: { $0.backend.endpoint == endpoint && $0.backend.flags.contains(.active) }) {
            throw LBError(.duplicateBackend(endpoint))
        }
        let id: UInt32
        if let draining = ofService.first(where: { $0.backend.endpoint == endpoint }) {
            id = draining.id
        } else {
            guard let free = Self.freeBackendIDs(besides: slots, count: 1).first else { throw LBError(.tooManyBackends) }
            id = free
            try maps.resetBackendCounters(id: id)
        }
        try writeBackend(id: id, LBBackend(endpoint: endpoint, flags: .active, serviceID: serviceID), in: &slots)
        let moved = try refillMaglev(serviceID: serviceID, excluding: nil, slots: slots)
        return LBBackendChange(id: id, flags: .active, slotsMoved: moved, freed: freed)
    }

    /// Removes a backend of `service` (nil: the only service) (duty 4): rewrites the
    /// service's Maglev slots without it FIRST, then marks it DRAINING, so its established
    /// flows continue and no new flow picks it. Its id is freed at once if none of its flows
    /// is open, else by a later change once none is.
    ///
    /// The `backends` map is read once, as in ``addBackend(_:to:)``.
    public func removeBackend(_ endpoint: IPv4Endpoint, from service: LBServiceKey? = nil) throws -> LBBackendChange {
        let serviceID = try self.service(service).service.id
        var slots = try maps.readBackends()
        let matching = slots.filter { $0.backend.serviceID == serviceID && $0.backend.endpoint == endpoint }
        guard let entry = matching.first(where: { $0.backend.flags.contains(.active) }) else {
            if !matching.isEmpty { throw LBError(.other("\(endpoint) is already draining")) }
            throw LBError(.unknownBackend(endpoint))
        }
        let moved = try refillMaglev(serviceID: serviceID, excluding: entry.id, slots: slots)
        try writeBackend(id: entry.id, LBBackend(endpoint: endpoint, flags: .draining, serviceID: serviceID), in: &slots)
        let freed = try freeDrainedBackends(in: &slots)
        return LBBackendChange(id: entry.id, flags: freed.contains(endpoint) ? [] : .draining,
                               slotsMoved: moved, freed: freed)
    }

    /// Rebuilds service `serviceID`'s Maglev table from its ACTIVE backends (minus `excluded`)
    /// and writes the slots that changed. Returns how many.
    @discardableResult
    public func refillMaglev(serviceID: UInt32 = LoadBalancer.serviceID, excluding excluded: UInt32? = nil) throws -> Int {
        try refillMaglev(serviceID: serviceID, excluding: excluded, slots: try maps.readBackends())
    }

    /// ``refillMaglev(serviceID:excluding:)`` with the `backends` map as `slots` says it is.
    func refillMaglev(serviceID: UInt32, excluding excluded: UInt32?, slots: LBBackendSlots) throws -> Int {
        let active = slots.filter {
            $0.backend.serviceID == serviceID && $0.backend.flags.contains(.active) && $0.id != excluded
        }
        let table = MaglevTable.build(active.map { MaglevBackend(id: $0.id, name: $0.backend.endpoint.description) })
        let previous = try maps.readMaglev(serviceID: serviceID)
        return try maps.writeMaglev(serviceID: serviceID, table: table, previous: previous)
    }

    /// The lowest `count` backend ids (1 ..< `XDP_LB_MAX_BACKENDS`) that `used` does not hold;
    /// fewer when there are not that many.
    static func freeBackendIDs(besides used: LBBackendSlots, count: Int) -> [UInt32] {
        let taken = Set(used.map(\.id))
        return Array((1..<UInt32(LBConstants.maxBackends)).lazy.filter { !taken.contains($0) }.prefix(count))
    }

    /// Sets the flags of DRAINING backends that no open flow names any more (no `flows`
    /// entry, or only entries whose connection ended: ``flowStates(lbIP:backends:)``) to 0 ("slot
    /// unused"), so their ids can be reused. Returns their endpoints.
    @discardableResult
    public func freeDrainedBackends() throws -> [IPv4Endpoint] {
        var slots = try maps.readBackends()
        return try freeDrainedBackends(in: &slots)
    }

    /// ``freeDrainedBackends()`` with the `backends` map as `slots` says it is; the freed
    /// backends leave `slots` as they leave the map.
    func freeDrainedBackends(in slots: inout LBBackendSlots) throws -> [IPv4Endpoint] {
        let draining = slots.filter { $0.backend.flags == .draining }
        guard !draining.isEmpty else { return [] }
        let states = try flowStates(lbIP: try maps.readConfig().lbIP, backends: slots)
        let inUse = Set(states.filter(\.isOpen).map(\.flow.backendID))
        var freed: [IPv4Endpoint] = []
        for entry in draining where !inUse.contains(entry.id) {
            try writeBackend(id: entry.id, LBBackend(endpoint: entry.backend.endpoint, flags: []), in: &slots)
            freed.append(entry.backend.endpoint)
        }
        return freed
    }

    /// Writes `backends[id]` and makes the same change to `slots`, which lists the map as
    /// ``LBMaps/readBackends()`` would read it now: slots in use (flags not 0), by id.
    func writeBackend(id: UInt32, _ backend: LBBackend, in slots: inout LBBackendSlots) throws {
        try maps.writeBackend(id: id, backend)
        slots.removeAll { $0.id == id }
        guard !backend.flags.isEmpty else { return }
        slots.insert((id, backend), at: slots.firstIndex { $0.id > id } ?? slots.endIndex)
    }
}
