import ArgumentParser
import XDPLoadBalancer

/// `xdp-lb backend add|remove`.
struct BackendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backend",
        abstract: "Add or remove a backend of a running load balancer.",
        subcommands: [Add.self, Remove.self])

    /// `xdp-lb backend add ADDR:PORT [--vip ADDR:PORT [--proto P]] --dev IF`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a backend: it takes over its share of the Maglev slots for new flows.")

        @OptionGroup var selection: BackendSelection

        func run() throws {
            let (endpoint, service, balancer) = try selection.open()
            let change = try LBCommandFailure.wrap { try balancer.addBackend(endpoint, to: service) }
            print("backend \(change.id): \(endpoint) active, \(change.slotsMoved) Maglev slots moved to it")
            for freed in change.freed { print("  \(freed) finished draining: its id is free") }
        }
    }

    /// `xdp-lb backend remove ADDR:PORT [--vip ADDR:PORT [--proto P]] --dev IF`.
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a backend: no new flows go to it; its established flows continue (draining).")

        @OptionGroup var selection: BackendSelection

        func run() throws {
            let (endpoint, service, balancer) = try selection.open()
            let change = try LBCommandFailure.wrap { try balancer.removeBackend(endpoint, from: service) }
            let state = change.flags.isEmpty ? "removed (no flows left)" : "draining (established flows continue)"
            print("backend \(change.id): \(endpoint) \(state), \(change.slotsMoved) Maglev slots moved away")
        }
    }
}

/// The arguments `backend add` and `backend remove` share: the backend, its service and the
/// interface.
struct BackendSelection: ParsableArguments {
    @Argument(help: "The backend, ADDR:PORT.")
    var backend: String

    @Option(name: .long, help: "The service, ADDR:PORT (needed when the load balancer has more than one).")
    var vip: String?

    @Option(name: .long, help: "The service's protocol, tcp or udp (with --vip).")
    var proto: String = "tcp"

    @OptionGroup var interface: InterfaceOptions

    func validate() throws {
        _ = try LBArguments.endpoint(backend)
        if vip == nil && proto != "tcp" { throw ValidationError("--proto names a service together with --vip") }
        _ = try service()
    }

    /// The `services` key named by --vip and --proto, or nil (the only service).
    func service() throws -> LBServiceKey? {
        try vip.map { LBServiceKey(vip: try LBArguments.endpoint($0), proto: try LBArguments.proto(proto)) }
    }

    /// The backend's address, the service and the load balancer running on the interface.
    func open() throws -> (IPv4Endpoint, LBServiceKey?, LoadBalancer) {
        (try LBArguments.endpoint(backend), try service(), try interface.open())
    }
}
