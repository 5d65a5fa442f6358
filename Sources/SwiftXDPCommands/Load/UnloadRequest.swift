import SwiftXDP

#if canImport(Glibc)
import Glibc
#endif

/// What `swift-xdp unload` was asked to do, as plain values: filled by ``UnloadCommand``
/// (through swift-argument-parser) or by ``QuickCommandLine`` (the start-up fast path).
struct UnloadRequest: Equatable {
    /// `--dev`: the interface.
    var device: String
    /// `--mode`: detach only the program of this mode.
    var mode: AttachModeArgument = .auto
    /// `--link`: remove the bpf_link pinned at this path instead.
    var link: String?
    /// `--explain`: print every netlink call.
    var explain = false

    func run() throws {
        if let link {
            // A bpf_link detaches when its last reference goes: no netlink socket needed.
            try ExplainPrinter.tracing(explain) {
                guard unlink(link) == 0 else {
                    throw CommandFailure("cannot remove the bpf_link pin \(link): \(Errno(rawValue: errno))")
                }
                print("removed the bpf_link pinned at \(link); its program is detached from \(device) once nothing else holds the link")
            }
            return
        }
        let attachment = try CommandFailure.wrap { () throws(NetlinkError) in try XDPAttachment() }
        try ExplainPrinter.tracing(explain) {
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
