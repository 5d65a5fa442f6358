import Foundation

/// What one command printed and how it ended.
struct LabCommandResult: Sendable, Equatable {
    /// The exit status; for a command killed by a signal, 128 + the signal number.
    var status: Int32
    /// Everything the command wrote to standard output.
    var stdout: String
    /// Everything the command wrote to standard error.
    var stderr: String

    /// True when the command exited with status 0.
    var succeeded: Bool { status == 0 }
}

/// Why a lab command could not give a result.
enum LabError: Error, CustomStringConvertible {
    /// The command ran and exited non-zero where success was required.
    case commandFailed(command: [String], result: LabCommandResult)
    /// The command ran longer than allowed and was stopped.
    case timedOut(command: [String], seconds: Double)
    /// The command could not be started at all.
    case couldNotStart(command: [String], reason: String)

    var description: String {
        switch self {
        case let .commandFailed(command, result):
            return "\(command.joined(separator: " ")) exited with status \(result.status): \(result.stderr)\(result.stdout)"
        case let .timedOut(command, seconds):
            return "\(command.joined(separator: " ")) did not finish within \(seconds) s"
        case let .couldNotStart(command, reason):
            return "could not start \(command.joined(separator: " ")): \(reason)"
        }
    }
}

/// Runs external commands for the lab tests (`posix_spawn` and `waitpid`).
///
/// Output goes to temporary files rather than pipes: nothing can dead-lock on a full pipe,
/// and a daemon the command leaves running (a lab's web servers) cannot keep a pipe open.
/// Not Foundation's `Process`: on Linux its child monitoring missed the exit of a
/// `lab.sh up` (the test waited on a zombie forever), while `waitpid` on our own pid is plain.
enum LabShell {
    /// Runs `arguments` (the first is looked up in `PATH`), waiting at most `timeout` seconds;
    /// a command still running then gets SIGTERM, and SIGKILL a second later.
    static func run(_ arguments: [String], timeout: Double = 60) throws -> LabCommandResult {
        precondition(!arguments.isEmpty, "a command needs at least a name")
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("swift-xdp-lab-shell-\(getpid())-\(UInt32.random(in: 0 ... .max))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outPath = scratch.appendingPathComponent("stdout").path
        let errPath = scratch.appendingPathComponent("stderr").path

        let pid = try spawn(arguments, stdout: outPath, stderr: errPath)
        var waitStatus: Int32 = 0
        let deadline = Date().addingTimeInterval(timeout)
        var killDeadline: Date?
        while true {
            let reaped = waitpid(pid, &waitStatus, WNOHANG)
            if reaped == pid { break }
            if reaped == -1 && errno != EINTR {
                throw LabError.couldNotStart(command: arguments, reason: "waitpid: errno \(errno)")
            }
            let now = Date()
            if let killAt = killDeadline {
                if now > killAt { kill(pid, SIGKILL) }
            } else if now > deadline {
                kill(pid, SIGTERM)
                killDeadline = now.addingTimeInterval(1)
            }
            usleep(2_000)
        }
        if killDeadline != nil {
            throw LabError.timedOut(command: arguments, seconds: timeout)
        }

        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        let signal = waitStatus & 0x7f
        let status = signal == 0 ? (waitStatus >> 8) & 0xff : 128 + signal
        return LabCommandResult(
            status: status,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        )
    }

    /// Starts `/usr/bin/env arguments…` with stdin from /dev/null, stdout and stderr into
    /// the given files, default signal handling and an empty signal mask.
    private static func spawn(_ arguments: [String], stdout: String, stderr: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/usr/bin/env", &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw LabError.couldNotStart(command: arguments, reason: "posix_spawn: errno \(result)")
        }
        return pid
    }

    /// Runs `arguments` like ``run(_:timeout:)`` and throws unless it exits with status 0.
    @discardableResult
    static func runChecked(_ arguments: [String], timeout: Double = 60) throws -> LabCommandResult {
        let result = try run(arguments, timeout: timeout)
        guard result.succeeded else { throw LabError.commandFailed(command: arguments, result: result) }
        return result
    }

    /// Whether an executable named `name` is in `PATH`.
    static func hasTool(_ name: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"
        return path.split(separator: ":").contains { directory in
            FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)")
        }
    }
}
