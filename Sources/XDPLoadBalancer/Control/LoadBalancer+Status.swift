/// One backend in ``LBStatus``.
public struct LBBackendStatus: Sendable, Equatable {
    /// The backend id.
    public var id: UInt32
    /// Where it listens.
    public var endpoint: IPv4Endpoint
    /// The id of the service it serves (``LBServiceStatus/id``).
    public var serviceID: UInt32
    /// ACTIVE or DRAINING.
    public var flags: LBBackendFlags
    /// Maglev slots it owns (0 when draining).
    public var maglevSlots: Int
    /// `flows` entries pinned to it.
    public var flows: Int
    /// Those of them whose connection is still open (``LBFlowState/isOpen``).
    public var openFlows: Int
    /// `backend_stats[id]` summed over CPUs.
    public var counters: LBBackendCounters
}

/// One service in ``LBStatus``.
public struct LBServiceStatus: Sendable, Equatable {
    /// VIP, port and protocol (the `services` key).
    public var key: LBServiceKey
    /// Its id: which Maglev table is its own.
    public var id: UInt32

    /// A service entry.
    public init(key: LBServiceKey, id: UInt32) {
        self.key = key
        self.id = id
    }
}

/// A snapshot of a running load balancer: what `xdp-lb status` prints.
public struct LBStatus: Sendable, Equatable {
    /// The interface.
    public var interface: String
    /// How the program is attached (none if it was detached behind xdp-lb's back).
    public var attachedMode: XDPAttachedMode
    /// The program's kernel id.
    public var programID: UInt32
    /// `config[0]`.
    public var config: LBConfig
    /// The first service (lowest id): the one `start` made, unless it was removed.
    public var service: LBServiceKey? { services.first?.key }
    /// Every service, by id.
    public var services: [LBServiceStatus]
    /// The backends in use, of every service.
    public var backends: [LBBackendStatus]
    /// `flows` entries.
    public var flowCount: Int
    /// Those of them whose connection is still open.
    public var openFlowCount: Int
    /// Every `stats` counter, summed over CPUs.
    public var stats: [LBStat: LBCounter]
}

extension LoadBalancer {
    /// Reads the maps and the interface's XDP state.
    public func status() throws -> LBStatus {
        let programID = try program.info(details: false).id
        let xdp = try XDPAttachment().query(interface)
        let attached: XDPAttachedMode = [xdp.programID, xdp.nativeProgramID, xdp.genericProgramID, xdp.offloadProgramID]
            .contains(programID) ? xdp.attachedMode : .none
        let config = try maps.readConfig()
        let backendEntries = try maps.readBackends()
        let flows = try flowStates(lbIP: config.lbIP, backends: backendEntries)
        var flowsPerBackend: [UInt32: Int] = [:], openPerBackend: [UInt32: Int] = [:]
        for entry in flows {
            flowsPerBackend[entry.flow.backendID, default: 0] += 1
            if entry.isOpen { openPerBackend[entry.flow.backendID, default: 0] += 1 }
        }
        let services = try maps.readServices()
        var slots: [UInt32: Int] = [:]
        for entry in services {
            for id in try maps.readMaglev(serviceID: entry.service.id) { slots[id, default: 0] += 1 }
        }
        let backends = try backendEntries.map { entry in
            LBBackendStatus(id: entry.id, endpoint: entry.backend.endpoint, serviceID: entry.backend.serviceID,
                            flags: entry.backend.flags,
                            maglevSlots: slots[entry.id] ?? 0, flows: flowsPerBackend[entry.id] ?? 0,
                            openFlows: openPerBackend[entry.id] ?? 0,
                            counters: try maps.readBackendCounters(id: entry.id))
        }
        return LBStatus(interface: interface, attachedMode: attached, programID: programID,
                        config: config,
                        services: services.map { LBServiceStatus(key: $0.key, id: $0.service.id) },
                        backends: backends, flowCount: flows.count,
                        openFlowCount: flows.filter(\.isOpen).count, stats: try maps.readStats())
    }
}
