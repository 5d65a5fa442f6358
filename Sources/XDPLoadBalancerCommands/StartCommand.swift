import ArgumentParser
import XDPLoadBalancer

/// `xdp-lb start`: load, configure, pin and attach a load balancer.
struct StartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start a load balancer on an interface.",
        discussion: """
            Loads xdp_lb.bpf.o, writes the LB address, source-port range and a random hash seed, \
            adds the service and its backends, fills the Maglev table, sets the host sysctls the \
            load balancer needs on the interface (recording the ones it changed, which xdp-lb \
            stop puts back), pins everything under /sys/fs/bpf/xdp-lb/IF/ and attaches the \
            program. The VIP's packets must reach IF (route the VIP to this host, or add it: \
            ip addr add VIP/32 dev IF).
            """)

    @Option(name: .long, help: "The interface to attach to.")
    var dev: String

    @Option(name: .long, help: "The service's virtual IP and port, ADDR:PORT.")
    var vip: String

    @Option(name: .long, help: "tcp or udp.")
    var proto: String = "tcp"

    @Option(name: .long, help: "A backend, ADDR:PORT (repeat for more).")
    var backend: [String] = []

    @Option(name: .long, help: "XDP mode: generic (works everywhere) or native (driver support needed).")
    var mode: String = "generic"

    @Option(name: .long, help: "The LB's own address (default: the interface's first IPv4 address).")
    var lbIP: String?

    @Option(name: .long, help: "Source ports towards the backends, MIN-MAX (keep it out of ip_local_port_range).")
    var ports: String = "20000-59999"

    @Option(name: .long, help: "The flow-hash seed (default: random). LBs sharing a VIP should use the same.")
    var seed: UInt32?

    @Option(name: .long, help: "The xdp_lb.bpf.o to load (default: $XDP_LB_OBJECT, ./Fixtures/, the checkout).")
    var object: String?

    @Flag(name: .long, help: "Do not change host sysctls (and keep no record for stop to put back).")
    var noSysctl = false

    @Option(name: .long, help: ArgumentHelp("Where the records of changed sysctls are kept.", visibility: .hidden))
    var stateRoot: String = HostSettingsRecord.defaultRoot

    @Option(name: .long, help: ArgumentHelp("Where load balancers are pinned.", visibility: .hidden))
    var pinRoot: String = LoadBalancer.defaultPinRoot

    /// The options, validated.
    func startOptions() throws -> LBStartOptions {
        var options = LBStartOptions(interface: dev, vip: try LBArguments.endpoint(vip), proto: try LBArguments.proto(proto),
                                     backends: try backend.map(LBArguments.endpoint))
        options.mode = try LBArguments.mode(mode)
        options.lbIP = try lbIP.map(LBArguments.address)
        options.portRange = try LBArguments.portRange(ports)
        options.hashSeed = seed
        options.objectPath = object
        options.applyHostSettings = !noSysctl
        options.pinRoot = pinRoot
        options.stateRoot = stateRoot
        return options
    }

    func validate() throws { _ = try startOptions() }

    func run() throws {
        let options = try startOptions()
        let (balancer, report) = try LBCommandFailure.wrap { try LoadBalancer.start(options) }
        print("xdp-lb started on \(dev) (\(options.mode)): service \(LBServiceKey(vip: options.vip, proto: options.proto))")
        print("  LB address \(report.config.lbIP), source ports \(report.config.portMin)-\(report.config.portMax), hash seed 0x\(String(report.config.hashSeed, radix: 16))")
        for (endpoint, id) in report.backendIDs.sorted(by: { $0.value < $1.value }) {
            print("  backend \(id): \(endpoint)")
        }
        if report.backendIDs.isEmpty { print("  no backends yet: new flows are dropped until xdp-lb backend add") }
        for applied in report.hostSettings {
            let was = applied.previous.map { " (was \($0))" } ?? ""
            print("  set \(applied.setting.name)=\(applied.setting.value)\(was): \(applied.setting.reason)")
        }
        if let record = report.hostSettingsRecord { print("  previous sysctl values kept in \(record) for xdp-lb stop") }
        print(report.pinned ? "  pinned under \(balancer.pinDirectory)"
                            : "  not pinned (no bpffs here): found again through the program attached to \(balancer.interface)")
        print("  note: senders with TX checksum offload on a veth need it off (ethtool -K DEV tx off): XDP cannot complete their partial checksums")
    }
}
