import ArgumentParser
import XDPLoadBalancer

/// The `xdp-lb` command line: run the project's XDP load balancer (bpf/xdp_lb.bpf.c).
public struct XDPLoadBalancerCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "xdp-lb",
        abstract: "An XDP layer-4 load balancer with per-flow backends, built on swift-xdp.",
        subcommands: []
    )
    public init() {}
}
