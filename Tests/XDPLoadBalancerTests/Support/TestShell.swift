import Foundation

/// Runs short external commands (`ip`, `sysctl`) for the namespace tests with `posix_spawn`,
/// capturing standard error in a temporary file.
enum TestShell {
    struct Failure: Error, CustomStringConvertible {
        var command: [String]
        var status: Int32
        var stderr: String
        var description: String { "\(command.joined(separator: " ")) exited \(status): \(stderr)" }
    }

    /// Runs `arguments` (looked up in PATH) and throws unless it exits 0. Returns its stdout.
    @discardableResult
    static func run(_ arguments: [String], check: Bool = true) throws -> String {
        let base = NSTemporaryDirectory() + "xdp-lb-test-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        let outPath = base + ".out", errPath = base + ".err"
        defer { unlink(outPath); unlink(errPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, environ) == 0 else {
            throw Failure(command: arguments, status: -1, stderr: "posix_spawn failed")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        if check && exit != 0 {
            throw Failure(command: arguments, status: exit, stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
        }
        return out
    }
}

/// The repository's `Fixtures/` directory.
enum LBFixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    /// `Fixtures/xdp_lb.bpf.o`.
    static let object = root.appendingPathComponent("Fixtures/xdp_lb.bpf.o").path
}
