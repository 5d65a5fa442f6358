import ArgumentParser
import XDPLoadBalancer

/// `xdp-lb stop --dev IF`.
struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Detach the load balancer and remove its pins (host sysctls are left as they are).")

    @OptionGroup var interface: InterfaceOptions

    func run() throws {
        let balancer = try interface.open()
        let detached = try LBCommandFailure.wrap { try balancer.stop() }
        print("xdp-lb stopped on \(interface.dev)" + (detached ? "" : " (its program was no longer attached)"))
    }
}
