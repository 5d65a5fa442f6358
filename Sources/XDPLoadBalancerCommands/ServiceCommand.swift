import ArgumentParser
import XDPLoadBalancer

/// `xdp-lb service add|remove`: more services (VIP, port, protocol) on a running load balancer.
struct ServiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "Add or remove a service of a running load balancer (up to \(LBConstants.maxServices)).",
        subcommands: [Add.self, Remove.self])

    /// `xdp-lb service add --vip ADDR:PORT [--proto P] [--backend ADDR:PORT …] --dev IF`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a service with its own backends and Maglev table.",
            discussion: """
                The VIP's packets must reach the interface (route the VIP to this host, or add it: \
                ip addr add VIP/32 dev IF). Without --backend the service drops new flows until \
                xdp-lb backend add ... --vip VIP adds one.
                """)

        @OptionGroup var service: ServiceOptions

        @Option(name: .long, help: "A backend, ADDR:PORT (repeat for more).")
        var backend: [String] = []

        @OptionGroup var interface: InterfaceOptions

        func validate() throws {
            _ = try service.key()
            _ = try backend.map(LBArguments.endpoint)
        }

        func run() throws {
            let key = try service.key()
            let backends = try backend.map(LBArguments.endpoint)
            let balancer = try interface.open()
            let added = try LBCommandFailure.wrap { try balancer.addService(key, backends: backends) }
            print("service \(added.id): \(key) added")
            for (endpoint, id) in added.backendIDs.sorted(by: { $0.value < $1.value }) {
                print("  backend \(id): \(endpoint)")
            }
            if backends.isEmpty { print("  no backends yet: new flows are dropped until xdp-lb backend add --vip \(key.vip)") }
            for freed in added.freed { print("  \(freed) finished draining: its id is free") }
        }
    }

    /// `xdp-lb service remove --vip ADDR:PORT [--proto P] --dev IF`.
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a service: its connections end, its backends and ports are freed.",
            discussion: """
                New and established flows to the VIP then pass to the host's stack. To let \
                connections finish first, remove the service's backends (they drain) and remove \
                the service once xdp-lb status shows no open flows on them.
                """)

        @OptionGroup var service: ServiceOptions

        @OptionGroup var interface: InterfaceOptions

        func validate() throws { _ = try service.key() }

        func run() throws {
            let key = try service.key()
            let balancer = try interface.open()
            let removed = try LBCommandFailure.wrap { try balancer.removeService(key) }
            print("service \(removed.id): \(key) removed, \(removed.flowsDeleted) flows ended, \(removed.portsFreed) source ports freed")
            for endpoint in removed.backendsFreed { print("  backend \(endpoint) freed") }
        }
    }
}

/// `--vip ADDR:PORT --proto tcp|udp`: which service.
struct ServiceOptions: ParsableArguments {
    @Option(name: .long, help: "The service's virtual IP and port, ADDR:PORT.")
    var vip: String

    @Option(name: .long, help: "tcp or udp.")
    var proto: String = "tcp"

    /// The `services` key.
    func key() throws -> LBServiceKey {
        LBServiceKey(vip: try LBArguments.endpoint(vip), proto: try LBArguments.proto(proto))
    }
}
