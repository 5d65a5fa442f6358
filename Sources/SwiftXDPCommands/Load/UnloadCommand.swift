import ArgumentParser

/// `swift-xdp unload`: detach the XDP program of an interface. The options are declared here
/// (help, errors); the work is done by ``UnloadRequest``.
struct UnloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unload",
        abstract: "Detach the XDP program attached to an interface.",
        discussion: "A program attached with --link is detached by removing its pin: give the same --link PIN.")

    @Option(name: .customLong("dev"), help: "The interface.")
    var device: String

    @Option(help: "Detach only the program of this mode: auto (any), native, generic or offload.")
    var mode: AttachModeArgument = .auto

    @Option(help: "Remove the bpf_link pinned at this path (detaches a --link attachment).")
    var link: String?

    @Flag(help: "Print every netlink call as it happens.")
    var explain = false

    /// The parsed options as plain values (see ``UnloadRequest``).
    var request: UnloadRequest { UnloadRequest(device: device, mode: mode, link: link, explain: explain) }

    func run() throws { try request.run() }
}
