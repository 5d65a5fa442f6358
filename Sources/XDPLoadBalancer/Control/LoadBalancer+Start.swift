#if canImport(Glibc)
import Glibc
#endif

/// What ``LoadBalancer/start(_:)`` needs.
public struct LBStartOptions: Sendable {
    /// The interface to attach to.
    public var interface: String
    /// The service's VIP and port.
    public var vip: IPv4Endpoint
    /// The service's protocol.
    public var proto: LBProtocol = .tcp
    /// The backends (at least one is not required: with none, new flows are dropped).
    public var backends: [IPv4Endpoint]
    /// XDP mode; generic works on every interface.
    public var mode: XDPMode = .generic
    /// The LB's address (`config.lb_ip`); nil takes the interface's first IPv4 address.
    public var lbIP: IPv4Address?
    /// The source ports the LB allocates towards backends.
    public var portRange: ClosedRange<UInt16> = 20000...59999
    /// The flow-hash seed; nil picks a random one.
    public var hashSeed: UInt32?
    /// Where pins go.
    public var pinRoot: String = LoadBalancer.defaultPinRoot
    /// The object file; nil searches ``LBObjectLocator/candidates(explicit:)``.
    public var objectPath: String?
    /// Write the sysctls of ``HostSettings/required(for:)`` (and record the ones changed in a
    /// ``HostSettingsRecord`` for ``LoadBalancer/restoreHostSettings(interface:stateRoot:)``).
    public var applyHostSettings: Bool = true
    /// Where the ``HostSettingsRecord`` goes (``HostSettingsRecord/path(interface:root:)``).
    public var stateRoot: String = HostSettingsRecord.defaultRoot
    /// Attach the program (tests may load without attaching).
    public var attach: Bool = true

    /// Options with the defaults above.
    public init(interface: String, vip: IPv4Endpoint, proto: LBProtocol = .tcp, backends: [IPv4Endpoint]) {
        self.interface = interface
        self.vip = vip
        self.proto = proto
        self.backends = backends
    }
}

/// What ``LoadBalancer/start(_:)`` did.
public struct LBStartReport: Sendable {
    /// The config written.
    public var config: LBConfig
    /// The backend ids given to the backends.
    public var backendIDs: [IPv4Endpoint: UInt32]
    /// The sysctls written, with their previous values.
    public var hostSettings: [AppliedHostSetting]
    /// The file recording the values `stop` puts back, or nil if nothing needed recording.
    public var hostSettingsRecord: String?
    /// The object file loaded.
    public var objectPath: String
    /// True when the program and maps were pinned (false without bpffs, e.g. under
    /// `ip netns exec`; the attached program then keeps them and xdp-lb finds them through it).
    public var pinned: Bool
}

extension LoadBalancer {
    /// Starts xdp_lb on `options.interface`: loads the object, writes config (duty 1), the
    /// backends, the Maglev table and the service (duties 2-3), applies the host settings
    /// (duty 6) and records the ones it changed (``HostSettingsRecord``, for ``restoreHostSettings(interface:stateRoot:)``),
    /// pins program and maps, and attaches. Anything that fails undoes the pins and the sysctls.
    public static func start(_ options: LBStartOptions) throws -> (LoadBalancer, LBStartReport) {
        let name = options.interface
        guard !isRunning(on: name, pinRoot: options.pinRoot) else { throw LBError(.alreadyRunning(interface: name)) }
        guard Set(options.backends).count == options.backends.count else {
            throw LBError(.other("a backend is listed twice"))
        }
        guard options.backends.count < LBConstants.maxBackends else { throw LBError(.tooManyBackends) }
        guard options.portRange.lowerBound > 0 else { throw LBError(.other("source ports start at 1")) }

        let attachment = try XDPAttachment()
        _ = try attachment.interfaceIndex(name)   // unknown interface: fail before loading
        let lbIP = try options.lbIP ?? {
            // Prefer an address other than the VIP; a VIP on the LB's own address (as in the
            // seeds) works too, since replies are told apart by the LB's source port.
            let addresses = try InterfaceAddresses.of(name)
            guard let address = addresses.first(where: { $0 != options.vip.address }) ?? addresses.first else {
                throw LBError(.noAddress(interface: name))
            }
            return address
        }()

        let objectPath = try LBObjectLocator.locate(explicit: options.objectPath)
        let object = try BPFObjectFile.read(path: objectPath)
        let loaded = try ObjectLoader.load(object)
        defer { loaded.close() }
        guard let program = loaded.program(named: LBMapName.program) else {
            throw LBError(.other("\(objectPath) has no program \(LBMapName.program)"))
        }
        let maps = try LBMaps(loaded)

        let config = LBConfig(lbIP: lbIP, portMin: options.portRange.lowerBound, portMax: options.portRange.upperBound,
                              hashSeed: options.hashSeed ?? UInt32.random(in: .min ... .max))
        try maps.writeConfig(config)
        var ids: [IPv4Endpoint: UInt32] = [:]
        for (index, endpoint) in options.backends.enumerated() {
            let id = UInt32(index + 1)
            try maps.writeBackend(id: id, LBBackend(endpoint: endpoint, flags: .active))
            ids[endpoint] = id
        }
        let table = MaglevTable.build(ids.map { MaglevBackend(id: $0.value, name: $0.key.description) })
        try maps.writeMaglev(serviceID: serviceID, table: table)
        try maps.writeService(LBServiceKey(vip: options.vip, proto: options.proto), LBService(id: serviceID))

        let applied = options.applyHostSettings ? try HostSettings.apply(HostSettings.required(for: name)) : []
        // What stop puts back. A record left by a start that was never stopped knows older
        // previous values for the settings that still hold ours.
        let recordPath = HostSettingsRecord.path(interface: name, root: options.stateRoot)
        let changes = HostSettingsRecord.changes(
            applied, interface: name,
            stale: options.applyHostSettings ? try? HostSettingsRecord.read(from: recordPath, interface: name) : nil)

        let balancer: LoadBalancer
        let pinned: Bool
        do {
            if options.applyHostSettings {
                if changes.entries.isEmpty { HostSettingsRecord.remove(at: recordPath) } else { try changes.write(to: recordPath) }
            }
            // Pins are a convenience (other tools find the maps there); without bpffs (e.g. in the
            // private /sys of `ip netns exec`) the attached program is how xdp-lb finds itself.
            let directory = pinDirectory(for: name, pinRoot: options.pinRoot)
            pinned = (try? makeDirectory(options.pinRoot)) != nil && (try? loaded.pin(in: directory)) != nil
            if !pinned && !options.attach {
                throw LBError(.other("cannot pin under \(options.pinRoot) (no bpffs there?) and not attaching: nothing would keep the load balancer"))
            }
            do {
                // The balancer's own handles on the program and its maps (`loaded` closes its
                // own), taken before attaching: attaching is the last step that can fail, so a
                // failed start never leaves the program on the interface.
                balancer = LoadBalancer(interface: name, pinDirectory: directory,
                                        program: try BPFProgram(adopting: BPFObjectKind.program.open(
                                            id: program.info(details: false).id)),
                                        maps: try LBMaps(usedBy: program))
                if options.attach {
                    try attachment.attach(program, to: name, mode: options.mode, policy: .ifNotExists)
                }
            } catch {
                removePins(in: directory)
                throw error
            }
        } catch {
            // No load balancer: put the sysctls back as stop would.
            if options.applyHostSettings {
                _ = HostSettings.restore(changes)
                HostSettingsRecord.remove(at: recordPath)
            }
            throw error
        }
        return (balancer, LBStartReport(config: config, backendIDs: ids, hostSettings: applied,
                                       hostSettingsRecord: options.applyHostSettings && !changes.entries.isEmpty ? recordPath : nil,
                                       objectPath: objectPath, pinned: pinned))
    }

    /// Creates `path` (and bpffs' mount point parents are assumed) unless it exists.
    static func makeDirectory(_ path: String) throws {
        guard access(path, F_OK) != 0 else { return }
        guard mkdir(path, 0o755) == 0 else {
            throw LBError(.other("cannot create \(path): \(Errno.current) (is bpffs mounted at /sys/fs/bpf?)"))
        }
    }

    /// Removes the program and map pins in `directory`, the directories, and the pin root
    /// above it when no other load balancer is left there; errors ignored.
    static func removePins(in directory: String) {
        for name in LBMapName.all { unlink(directory + "/maps/" + name) }
        unlink(directory + "/" + LBMapName.program)
        rmdir(directory + "/maps")
        rmdir(directory)
        if let slash = directory.lastIndex(of: "/"), slash != directory.startIndex {
            rmdir(String(directory[..<slash]))   // fails harmlessly while not empty
        }
    }
}
