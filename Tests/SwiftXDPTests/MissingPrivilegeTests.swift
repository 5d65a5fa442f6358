import Foundation
import Testing

/// Run as an unprivileged user (`setpriv` to nobody with no capabilities), the real
/// `swift-xdp` binary fails with one line naming the refused call and a line naming the
/// capabilities it needs, exit status 1, and leaves nothing behind.
@Suite struct MissingPrivilegeTests {
    /// `swift-xdp ARGUMENTS…` as uid/gid 65534 with every capability dropped. The binary and
    /// `files` are copied into a fresh world-readable directory first (the checkout may not
    /// be readable by nobody); `$DIR` in an argument stands for that directory.
    static func runUnprivileged(_ arguments: [String], files: [String] = []) throws -> CommandResult {
        let binary = try BuiltProduct.path("swift-xdp", environment: "SWIFT_XDP")
        guard SpawnedCommand.hasTool("setpriv") else { throw CommandError.missing("setpriv (util-linux)") }
        let directory = "/tmp/swift-xdp-unprivileged-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        defer { try? manager.removeItem(atPath: directory) }
        for file in [binary] + files {
            let copy = directory + "/" + URL(fileURLWithPath: file).lastPathComponent
            try manager.copyItem(atPath: file, toPath: copy)
            try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy)
        }
        let command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", directory + "/swift-xdp"]
            + arguments.map { $0.replacingOccurrences(of: "$DIR", with: directory) }
        // A child another test forks at the moment of the copy may inherit its write
        // descriptor for an instant: exec then fails with ETXTBSY. Try again.
        for _ in 0..<10 {
            let result = try SpawnedCommand.run(command)
            guard result.status == 126 && result.stderr.contains("Text file busy") else { return result }
            usleep(100_000)
        }
        return try SpawnedCommand.run(command)
    }

    @Test(.privileged) func loadWithoutCapabilitiesSaysWhichAreNeeded() throws {
        let result = try Self.runUnprivileged(["load", "$DIR/xdp_pass.bpf.o", "--pin", "$DIR/pins"],
                                              files: [CommandRunner.fixture("xdp_pass.bpf.o")])
        #expect(result.status == 1, "\(result)")
        // the first privileged call is BPF_BTF_LOAD: refused for privileges, not retried without BTF
        #expect(result.stderr.contains("permission denied (BPF_BTF_LOAD)") && !result.stderr.contains("without BTF"),
                "\(result.stderr)")
        #expect(result.stderr.contains("CAP_BPF"), "names the capability: \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error") && result.stdout.isEmpty)
    }

    @Test(.privileged) func mapByIDWithoutCapabilitiesSaysWhichAreNeeded() throws {
        let result = try Self.runUnprivileged(["map", "dump", "--id", "1"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("EPERM") && result.stderr.contains("CAP_BPF"), "\(result.stderr)")
    }
}
