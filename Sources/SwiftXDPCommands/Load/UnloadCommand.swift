import ArgumentParser
import SwiftXDP

#if canImport(Glibc)
import Glibc
#endif

/// `swift-xdp unload`: detach the XDP program of an interface.
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

    func run() throws {
        let attachment = try CommandFailure.wrap { () throws(NetlinkError) in try XDPAttachment() }
        try ExplainPrinter.tracing(explain) {
            if let link {
                guard unlink(link) == 0 else {
                    throw CommandFailure("cannot remove the bpf_link pin \(link): \(Errno(rawValue: errno))")
                }
                print("removed the bpf_link pinned at \(link); its program is detached from \(device) once nothing else holds the link")
                return
            }
            let status: XDPStatus
            do {
                status = try attachment.detach(from: device, mode: mode.mode)
            } catch {
                throw AttachFailure.describe(error, device: device)
            }
            guard status.isAttached else {
                throw CommandFailure("no XDP program is attached to \(device)")
            }
            let after = try? attachment.query(device)
            if let after, after.isAttached, after.programID == status.programID {
                throw CommandFailure("the program on \(device) is still attached",
                                     detail: "hint: it was probably attached with a bpf_link; remove its pin (unload --link PIN)")
            }
            print("detached the XDP program (id \(status.programID ?? 0)) from \(device)")
        }
    }
}
