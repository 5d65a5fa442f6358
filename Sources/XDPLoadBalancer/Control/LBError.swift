/// A control-plane failure with a message a person can act on.
public struct LBError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a closed set so callers and tests can match on it.
    public enum Kind: Sendable, Equatable {
        /// No xdp-lb pins for the interface.
        case notRunning(interface: String)
        /// xdp-lb pins already exist for the interface.
        case alreadyRunning(interface: String)
        /// `remove` named a backend the LB does not have.
        case unknownBackend(IPv4Endpoint)
        /// `add` named a backend that is already active.
        case duplicateBackend(IPv4Endpoint)
        /// All backend ids 1 ..< `XDP_LB_MAX_BACKENDS` are in use.
        case tooManyBackends
        /// The LB has no service with this VIP, port and protocol.
        case unknownService(LBServiceKey)
        /// `add` named a service the LB already has.
        case duplicateService(LBServiceKey)
        /// All service ids 0 ..< `XDP_LB_MAX_SERVICES` are in use.
        case tooManyServices
        /// The command must name a service (`--vip`): the LB has `count` of them.
        case serviceRequired(count: Int)
        /// The interface has no IPv4 address to use as `lb_ip`.
        case noAddress(interface: String)
        /// The file recording the sysctls `start` changed (``HostSettingsRecord``) cannot be
        /// read or is not in its format.
        case badHostSettingsRecord(path: String, reason: String)
        /// The object file could not be found.
        case objectNotFound(searched: [String])
        /// Anything else: `message` says what.
        case other(String)
    }

    /// The kind of failure.
    public var kind: Kind

    /// A failure of `kind`.
    public init(_ kind: Kind) { self.kind = kind }

    /// The one-line message.
    public var description: String {
        switch kind {
        case let .notRunning(name): "no xdp-lb on \(name): start one with xdp-lb start"
        case let .alreadyRunning(name): "xdp-lb is already running on \(name): stop it first with xdp-lb stop --dev \(name)"
        case let .unknownBackend(endpoint): "\(endpoint) is not a backend of this load balancer"
        case let .duplicateBackend(endpoint): "\(endpoint) is already an active backend"
        case .tooManyBackends: "no free backend id (at most \(LBConstants.maxBackends - 1) backends)"
        case let .unknownService(key): "\(key) is not a service of this load balancer"
        case let .duplicateService(key): "\(key) is already a service of this load balancer"
        case .tooManyServices: "no free service id (at most \(LBConstants.maxServices) services)"
        case let .serviceRequired(count):
            count == 0 ? "this load balancer has no service: add one with xdp-lb service add"
                       : "this load balancer has \(count) services: say which with --vip ADDR:PORT (and --proto)"
        case let .noAddress(name): "\(name) has no IPv4 address to use as the LB address: pass --lb-ip"
        case let .badHostSettingsRecord(path, reason):
            "\(path) (the sysctl values xdp-lb stop puts back): \(reason)"
        case let .objectNotFound(paths):
            "cannot find xdp_lb.bpf.o (looked at \(paths.joined(separator: ", "))): pass --object or set XDP_LB_OBJECT"
        case let .other(message): message
        }
    }
}
