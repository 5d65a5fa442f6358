import ArgumentParser
import SwiftXDP

/// `swift-xdp load`: load an object (BTF, maps, programs) and attach one XDP program to an
/// interface, and/or pin the whole object in bpffs. The options are declared here (help,
/// errors); the work is done by ``LoadRequest``.
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load a BPF object and attach its XDP program to an interface, or pin it.",
        discussion: """
            With --dev the program stays attached after swift-xdp exits (netlink IFLA_XDP), or as \
            long as the pinned bpf_link exists (--link PIN). With --pin DIR (and no --dev) every \
            program is pinned at DIR/<name> and every map at DIR/maps/<name>, like \
            `bpftool prog loadall OBJ DIR pinmaps DIR/maps`.
            """)

    @Argument(help: "The BPF object file.")
    var object: String

    @Option(name: .customLong("dev"), help: "Attach to this interface.")
    var device: String?

    @Option(help: "Attach mode: auto, native (driver), generic (skb) or offload (hardware).")
    var mode: AttachModeArgument = .auto

    @Option(help: "The program to attach (needed when the object has several XDP programs).")
    var program: String?

    @Flag(help: "Replace whatever XDP program is attached.")
    var force = false

    @Flag(help: "Swap the attached program atomically (fails if it changed meanwhile).")
    var replace = false

    @Option(help: "Attach with a bpf_link pinned at this bpffs path instead of netlink.")
    var link: String?

    @Option(help: "Pin the programs at DIR/<name> and the maps at DIR/maps/<name>.")
    var pin: String?

    @Flag(help: "Print every step and every bpf()/netlink call as it happens.")
    var explain = false

    /// The parsed options as plain values (see ``LoadRequest``).
    var request: LoadRequest {
        LoadRequest(object: object, device: device, mode: mode, program: program, force: force, replace: replace,
                    link: link, pin: pin, explain: explain)
    }

    func validate() throws { try request.validate() }

    func run() throws { try request.run() }
}

/// `--mode` values.
enum AttachModeArgument: String, ExpressibleByArgument, CaseIterable {
    case auto, native, generic, offload

    /// The netlink mode.
    var mode: XDPMode {
        switch self {
        case .auto: .auto
        case .native: .native
        case .generic: .generic
        case .offload: .offload
        }
    }
}

