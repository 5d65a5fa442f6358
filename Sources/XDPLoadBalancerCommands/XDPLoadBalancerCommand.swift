import ArgumentParser
import XDPLoadBalancer

/// The `xdp-lb` command line: run the project's XDP load balancer (bpf/xdp_lb.bpf.c).
public struct XDPLoadBalancerCommand: ParsableCommand {
    /// The subcommands: start, service add|remove, backend add|remove, status, stop.
    public static let configuration = CommandConfiguration(
        commandName: "xdp-lb",
        abstract: "An XDP layer-4 load balancer with per-flow backends, built on swift-xdp.",
        subcommands: [StartCommand.self, ServiceCommand.self, BackendCommand.self, StatusCommand.self, StopCommand.self]
    )
    /// Creates the command (ArgumentParser fills it).
    public init() {}
}

/// Options every subcommand that talks to a running load balancer has.
struct InterfaceOptions: ParsableArguments {
    @Option(name: .long, help: "The interface the load balancer runs on.")
    var dev: String

    @Option(name: .long, help: ArgumentHelp("Where load balancers are pinned.", visibility: .hidden))
    var pinRoot: String = LoadBalancer.defaultPinRoot

    /// Opens the load balancer on `dev`.
    func open() throws -> LoadBalancer {
        try LBCommandFailure.wrap { try LoadBalancer.open(interface: dev, pinRoot: pinRoot) }
    }
}
