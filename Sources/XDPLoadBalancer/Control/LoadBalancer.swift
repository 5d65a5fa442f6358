#if canImport(Glibc)
import Glibc
#endif

/// A running xdp_lb on one interface: its program and maps, found through their pins under
/// `<pinRoot>/<interface>/` (`xdp_lb` and `maps/<name>`), so every invocation of `xdp-lb`
/// works on the same load balancer.
///
/// One load balancer balances one service (service id 0) over its backends.
public final class LoadBalancer: @unchecked Sendable {
    /// Where load balancers are pinned by default: `/sys/fs/bpf/xdp-lb`.
    public static let defaultPinRoot = "/sys/fs/bpf/xdp-lb"
    /// The service id xdp-lb uses.
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

    /// True when pins for `interface` exist.
    public static func isRunning(on interface: String, pinRoot: String = defaultPinRoot) -> Bool {
        access(pinDirectory(for: interface, pinRoot: pinRoot) + "/" + LBMapName.program, F_OK) == 0
    }

    /// Opens the load balancer running on `interface` (its pins), or throws
    /// ``LBError/Kind/notRunning(interface:)``.
    public static func open(interface: String, pinRoot: String = defaultPinRoot) throws -> LoadBalancer {
        let directory = pinDirectory(for: interface, pinRoot: pinRoot)
        guard isRunning(on: interface, pinRoot: pinRoot) else { throw LBError(.notRunning(interface: interface)) }
        let program = try BPFProgram(pinnedAt: directory + "/" + LBMapName.program)
        let maps = try LBMaps(pinnedIn: directory + "/maps")
        return LoadBalancer(interface: interface, pinDirectory: directory, program: program, maps: maps)
    }

    /// The service this load balancer balances.
    public func service() throws -> LBServiceKey {
        guard let entry = try maps.readServices().first(where: { $0.service.id == Self.serviceID }) else {
            throw LBError(.other("the load balancer on \(interface) has no service"))
        }
        return entry.key
    }
}
