/// What ``LoadBalancer/addService(_:backends:)`` did.
public struct LBServiceAddition: Sendable, Equatable {
    /// The service's id (`struct xdp_lb_service` id: which Maglev table is its own).
    public var id: UInt32
    /// The id each backend got.
    public var backendIDs: [IPv4Endpoint: UInt32]
    /// Draining backends (of any service) whose flows had all ended and whose ids were freed
    /// on the way.
    public var freed: [IPv4Endpoint]
}

/// What ``LoadBalancer/removeService(_:)`` did.
public struct LBServiceRemoval: Sendable, Equatable {
    /// The id the service had (free again now).
    public var id: UInt32
    /// `flows` entries deleted: the service's connections, which end here.
    public var flowsDeleted: Int
    /// `reverse` entries deleted: their source ports are free again.
    public var portsFreed: Int
    /// The service's backends, whose ids are free again.
    public var backendsFreed: [IPv4Endpoint]
}

extension LoadBalancer {
    /// Adds a service (duty 2 of bpf/xdp_lb.h): takes the lowest free service id, writes its
    /// backends ACTIVE under new ids and its Maglev table, and only then the `services` entry,
    /// so the first packet that finds the service finds its table filled. With no backends the
    /// service drops its new flows (`no_backend`) until ``addBackend(_:to:)``.
    public func addService(_ key: LBServiceKey, backends: [IPv4Endpoint]) throws -> LBServiceAddition {
        guard Set(backends).count == backends.count else { throw LBError(.other("a backend is listed twice")) }
        let services = try maps.readServices()
        if services.contains(where: { $0.key == key }) { throw LBError(.duplicateService(key)) }
        let usedIDs = Set(services.map(\.service.id))
        guard let id = (0..<UInt32(LBConstants.maxServices)).first(where: { !usedIDs.contains($0) }) else {
            throw LBError(.tooManyServices)
        }
        var slots = try maps.readBackends()
        let freed = try freeDrainedBackends(in: &slots)
        let ids = Self.freeBackendIDs(besides: slots, count: backends.count)
        guard ids.count == backends.count else { throw LBError(.tooManyBackends) }
        var backendIDs: [IPv4Endpoint: UInt32] = [:]
        do {
            for (endpoint, backendID) in zip(backends, ids) {
                try maps.resetBackendCounters(id: backendID)
                try maps.writeBackend(id: backendID, LBBackend(endpoint: endpoint, flags: .active, serviceID: id))
                backendIDs[endpoint] = backendID
            }
            let table = MaglevTable.build(backendIDs.map { MaglevBackend(id: $0.value, name: $0.key.description) })
            try maps.writeMaglev(serviceID: id, table: table, previous: try maps.readMaglev(serviceID: id))
            try maps.writeService(key, LBService(id: id))
        } catch {
            // No services entry was written, so no packet saw the service: free what was
            // written for it (best effort) so its ids stay free for the next attempt.
            for backendID in backendIDs.values {
                try? maps.writeBackend(id: backendID, LBBackend(endpoint: IPv4Endpoint(IPv4Address(0), 0), flags: []))
            }
            if let table = try? maps.readMaglev(serviceID: id) {
                _ = try? maps.writeMaglev(serviceID: id, table: [UInt32](repeating: 0, count: LBConstants.maglevSize), previous: table)
            }
            throw error
        }
        return LBServiceAddition(id: id, backendIDs: backendIDs, freed: freed)
    }

    /// Removes a service (duty 5 of bpf/xdp_lb.h): deletes its `services` entry first (new
    /// flows to it then pass to the host's stack), then its `flows` entries (its connections
    /// end: their packets pass too), the `reverse` entries of those flows (freeing their
    /// source ports), its backends and its Maglev slots, so the id can serve another service.
    public func removeService(_ key: LBServiceKey) throws -> LBServiceRemoval {
        let id = try service(key).service.id
        try maps.deleteService(key)
        let isServiceFlow = { (tuple: LBTuple) in tuple.destination == key.vip && tuple.proto == key.proto }
        let flowsDeleted = try maps.deleteFlows(where: isServiceFlow)
        let portsFreed = try maps.deleteReverseEntries(where: { isServiceFlow($0.client) })
        var backendsFreed: [IPv4Endpoint] = []
        for entry in try maps.readBackends() where entry.backend.serviceID == id {
            try maps.writeBackend(id: entry.id, LBBackend(endpoint: entry.backend.endpoint, flags: []))
            backendsFreed.append(entry.backend.endpoint)
        }
        let empty = [UInt32](repeating: 0, count: LBConstants.maglevSize)
        try maps.writeMaglev(serviceID: id, table: empty, previous: try maps.readMaglev(serviceID: id))
        return LBServiceRemoval(id: id, flowsDeleted: flowsDeleted, portsFreed: portsFreed, backendsFreed: backendsFreed)
    }
}
