import ArgumentParser
import XDPLoadBalancer

/// `xdp-lb stop --dev IF`.
struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Detach the load balancer, remove its pins and put back the host sysctls start changed.",
        discussion: """
            xdp-lb start records the sysctls it changed on IF, with their previous values, in \
            /run/xdp-lb/netns-N/IF.sysctl (N: the network namespace's inode). stop writes each \
            previous value back if the sysctl still holds the value start wrote (one someone \
            changed since is left alone, and stop says so), then removes the file. Nothing is \
            restored for a load balancer started with --no-sysctl or by an xdp-lb that kept \
            no record.
            """)

    @OptionGroup var interface: InterfaceOptions

    @Flag(name: .long, help: "Leave the host sysctls as they are (and forget their previous values).")
    var keepSysctl = false

    @Option(name: .long, help: ArgumentHelp("Where the records of changed sysctls are kept.", visibility: .hidden))
    var stateRoot: String = HostSettingsRecord.defaultRoot

    func run() throws {
        let balancer = try interface.open()
        let detached = try LBCommandFailure.wrap { try balancer.stop() }
        print("xdp-lb stopped on \(interface.dev)" + (detached ? "" : " (its program was no longer attached)"))
        if keepSysctl {
            LoadBalancer.forgetHostSettings(interface: interface.dev, stateRoot: stateRoot)
            print("  host sysctls left as they are (--keep-sysctl)")
            return
        }
        let restorations: [HostSettingRestoration]?
        do {
            restorations = try LoadBalancer.restoreHostSettings(interface: interface.dev, stateRoot: stateRoot)
        } catch {
            throw LBCommandFailure("\(error); the load balancer is stopped, its host sysctls were left as they are")
        }
        for line in Self.lines(restorations) { print(line) }
    }

    /// What `stop` prints about the sysctls.
    static func lines(_ restorations: [HostSettingRestoration]?) -> [String] {
        guard let restorations else { return ["  no record of changed host sysctls: nothing to put back"] }
        if restorations.isEmpty { return ["  no host sysctls to put back"] }
        return restorations.map { item in
            switch item.outcome {
            case .restored:
                "  restored \(item.name)=\(item.previous) (xdp-lb had set \(item.written))"
            case let .changedSince(current):
                "  left \(item.name)=\(current ?? "?"): changed since xdp-lb set \(item.written), so not put back to \(item.previous)"
            case let .failed(message):
                "  could not restore \(item.name)=\(item.previous): \(message)"
            }
        }
    }
}
