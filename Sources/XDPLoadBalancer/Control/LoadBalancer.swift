#if canImport(Glibc)
import Glibc
#endif

/// A running xdp_lb on one interface: its program and maps, found through their pins under
/// `<pinRoot>/<interface>/` (`xdp_lb` and `maps/<name>`) or, without pins, through the program
/// attached to the interface, so every invocation of `xdp-lb` works on the same load balancer.
///
/// One load balancer balances up to `XDP_LB_MAX_SERVICES` services (VIP, port, protocol),
/// each over its own backends with its own Maglev table: `start` creates the first (id 0),
/// ``addService(_:backends:)`` more.
public final class LoadBalancer: @unchecked Sendable {
    /// Where load balancers are pinned by default: `/sys/fs/bpf/xdp-lb`.
    public static let defaultPinRoot = "/sys/fs/bpf/xdp-lb"
    /// The id of the service `start` creates.
    public static let serviceID: UInt32 = 0

    /// The interface it runs on.
    public let interface: String
    /// `<pinRoot>/<interface>`.
    public let pinDirectory: String
    /// The XDP program.
    public let program: BPFProgram
    /// The typed maps.
    public let maps: LBMaps

    /// Wraps an already open program and maps.
    public init(interface: String, pinDirectory: String, program: BPFProgram, maps: LBMaps) {
        self.interface = interface
        self.pinDirectory = pinDirectory
        self.program = program
        self.maps = maps
    }

    /// The pin directory of `interface` under `pinRoot`.
    public static func pinDirectory(for interface: String, pinRoot: String = defaultPinRoot) -> String {
        pinRoot + "/" + interface
    }

    /// True when pins for `interface` exist or an xdp_lb program is attached to it.
    public static func isRunning(on interface: String, pinRoot: String = defaultPinRoot) -> Bool {
        hasPins(on: interface, pinRoot: pinRoot) || (try? attachedProgram(on: interface)) != nil
    }

    /// True when pins for `interface` exist.
    static func hasPins(on interface: String, pinRoot: String) -> Bool {
        access(pinDirectory(for: interface, pinRoot: pinRoot) + "/" + LBMapName.program, F_OK) == 0
    }

    /// Opens the load balancer running on `interface`, or throws
    /// ``LBError/Kind/notRunning(interface:)``. Its pins are used when they exist; otherwise the
    /// xdp_lb program attached to the interface and its maps are found by id — pins can be
    /// missing, e.g. under `ip netns exec`, whose private `/sys` has no bpffs.
    public static func open(interface: String, pinRoot: String = defaultPinRoot) throws -> LoadBalancer {
        let directory = pinDirectory(for: interface, pinRoot: pinRoot)
        if hasPins(on: interface, pinRoot: pinRoot) {
            let program = try BPFProgram(pinnedAt: directory + "/" + LBMapName.program)
            let maps = try LBMaps(pinnedIn: directory + "/maps")
            return LoadBalancer(interface: interface, pinDirectory: directory, program: program, maps: maps)
        }
        guard let program = try? attachedProgram(on: interface) else { throw LBError(.notRunning(interface: interface)) }
        return LoadBalancer(interface: interface, pinDirectory: directory, program: program,
                            maps: try LBMaps(usedBy: program))
    }

    /// The xdp_lb program attached to `interface` (any mode), or nil.
    static func attachedProgram(on interface: String) throws -> BPFProgram? {
        let status = try XDPAttachment().query(interface)
        for mode in [XDPMode.native, .generic, .offload] {
            guard let id = status.programID(for: mode), id != 0 else { continue }
            let program = try BPFProgram(adopting: BPFObjectKind.program.open(id: id))
            if try program.info(details: false).name == LBMapName.program { return program }
            program.close()
        }
        return nil
    }

    /// The service a command means: `key` when given (it must exist), else the only one.
    /// Throws ``LBError/Kind/unknownService(_:)``, or ``LBError/Kind/serviceRequired(count:)``
    /// when `key` is nil and there is not exactly one service.
    public func service(_ key: LBServiceKey? = nil) throws -> (key: LBServiceKey, service: LBService) {
        let services = try maps.readServices()
        if let key {
            guard let entry = services.first(where: { $0.key == key }) else { throw LBError(.unknownService(key)) }
            return entry
        }
        guard services.count == 1, let only = services.first else {
            throw LBError(.serviceRequired(count: services.count))
        }
        return only
    }
}
