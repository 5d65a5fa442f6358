import SwiftXDP

/// Turns loader and attach failures into one clear line plus detail: what failed, the plain
/// reason (missing privileges, verifier rejection, unknown interface, …), and the evidence
/// (the verifier log, the kernel's own message).
enum LoadFailureReport {
    static func wrap<T>(_ body: () throws(LoadError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw describe(error)
        }
    }

    static func describe(_ error: LoadError) -> CommandFailure {
        if let bpf = error.underlying as? BPFError {
            if let log = bpf.verifierLog, !log.isEmpty {
                return CommandFailure("the verifier rejected program '\(error.subject ?? "?")' (\(bpf.errno.name))",
                                      detail: "verifier log:\n" + log.trimmingTrailingNewlines())
            }
            if bpf.errno == .EPERM || bpf.errno == .EACCES {
                return CommandFailure("\(error.step): \(error.subject.map { "\($0): " } ?? "")permission denied (\(bpf.command))",
                                      detail: "swift-xdp needs CAP_BPF and CAP_NET_ADMIN (or root): run it with sudo")
            }
        }
        return CommandFailure("\(error)")
    }
}

/// Attach failures in plain words, with the kernel's extended-ack text.
enum AttachFailure {
    static func describe(_ error: any Error, device: String) -> CommandFailure {
        if let netlink = error as? NetlinkError {
            if netlink.isUnknownInterface {
                return CommandFailure("no interface named '\(device)' (in this network namespace)")
            }
            var detail: [String] = []
            if let message = netlink.kernelMessage { detail.append("kernel: \(message)") }
            if let hint = netlink.hint { detail.append("hint: \(hint)") }
            let reason = netlink.errno.map { " (\($0.name))" } ?? ""
            return CommandFailure("cannot attach to \(device)\(reason): \(netlink.kernelMessage ?? "\(netlink)")",
                                  detail: detail.isEmpty ? nil : detail.joined(separator: "\n"))
        }
        return CommandFailure("cannot attach to \(device): \(error)")
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.last == "\n" { text.removeLast() }
        return text
    }
}
