import Foundation

/// What one command printed and how it ended.
public struct CommandResult: Sendable, Equatable {
    /// The exit status; for a command killed by a signal, 128 + the signal number.
    public var status: Int32
    /// Everything the command wrote to standard output.
    public var stdout: String
    /// Everything the command wrote to standard error.
    public var stderr: String

    /// True when the command exited with status 0.
    public var succeeded: Bool { status == 0 }

    /// A result with the given status and output.
    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Why a lab command could not give a result.
public enum CommandError: Error, CustomStringConvertible {
    /// The command ran and exited non-zero where success was required.
    case commandFailed(command: [String], result: CommandResult)
    /// The command ran longer than allowed and was stopped.
    case timedOut(command: [String], seconds: Double)
    /// The command could not be started at all.
    case couldNotStart(command: [String], reason: String)
    /// A tool or binary the test needs is not there.
    case missing(String)

    public var description: String {
        switch self {
        case let .commandFailed(command, result):
            "\(command.joined(separator: " ")) exited with status \(result.status): \(result.stderr)\(result.stdout)"
        case let .timedOut(command, seconds):
            "\(command.joined(separator: " ")) did not finish within \(seconds) s"
        case let .couldNotStart(command, reason):
            "could not start \(command.joined(separator: " ")): \(reason)"
        case let .missing(what):
            "missing: \(what)"
        }
    }
}

/// An external command run by the tests (`posix_spawn` and `waitpid`), possibly in the
/// background (wrk under load while the test changes backends); ``wait(timeout:)`` collects
/// it. Output goes to temporary files, so no pipe can fill up and a daemon the command leaves
/// behind (a lab's web servers) cannot hold one open. Not Foundation's `Process`: on Linux its
/// child monitoring missed the exit of a `lab.sh up` that left daemons, and waited forever.
public final class SpawnedCommand {
    /// The command line, as given.
    public let arguments: [String]
    private let pid: pid_t
    private let scratch: URL
    private var finished: CommandResult?

    /// Starts `/usr/bin/env arguments…` with stdin from /dev/null.
    public init(_ arguments: [String]) throws {
        precondition(!arguments.isEmpty, "a command needs at least a name")
        self.arguments = arguments
        scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("xdp-lb-e2e-\(getpid())-\(UInt32.random(in: 0 ... .max))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: false)
        pid = try Self.spawn(arguments, stdout: scratch.appendingPathComponent("stdout").path,
                             stderr: scratch.appendingPathComponent("stderr").path)
    }

    deinit {
        if finished == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        try? FileManager.default.removeItem(at: scratch)
    }

    /// Waits at most `timeout` seconds (then SIGTERM, and SIGKILL a second later).
    public func wait(timeout: Double) throws -> CommandResult {
        if let finished { return finished }
        var waitStatus: Int32 = 0
        let deadline = Date().addingTimeInterval(timeout)
        var killDeadline: Date?
        while true {
            let reaped = waitpid(pid, &waitStatus, WNOHANG)
            if reaped == pid { break }
            if reaped == -1 && errno != EINTR {
                throw CommandError.couldNotStart(command: arguments, reason: "waitpid: errno \(errno)")
            }
            let now = Date()
            if let killAt = killDeadline {
                if now > killAt { kill(pid, SIGKILL) }
            } else if now > deadline {
                kill(pid, SIGTERM)
                killDeadline = now.addingTimeInterval(1)
            }
            usleep(5_000)
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        let signal = waitStatus & 0x7f
        let result = CommandResult(
            status: signal == 0 ? (waitStatus >> 8) & 0xff : 128 + signal,
            stdout: (try? String(contentsOfFile: scratch.appendingPathComponent("stdout").path, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: scratch.appendingPathComponent("stderr").path, encoding: .utf8)) ?? ""
        )
        finished = result
        if killDeadline != nil { throw CommandError.timedOut(command: arguments, seconds: timeout) }
        return result
    }

    /// Runs `arguments` to the end (at most `timeout` seconds).
    public static func run(_ arguments: [String], timeout: Double = 60) throws -> CommandResult {
        try SpawnedCommand(arguments).wait(timeout: timeout)
    }

    /// Runs `arguments` and throws unless it exits with status 0.
    @discardableResult
    public static func runChecked(_ arguments: [String], timeout: Double = 60) throws -> CommandResult {
        let result = try run(arguments, timeout: timeout)
        guard result.succeeded else { throw CommandError.commandFailed(command: arguments, result: result) }
        return result
    }

    /// Whether an executable named `name` is in `PATH`.
    public static func hasTool(_ name: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
    }

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
        guard result == 0 else { throw CommandError.couldNotStart(command: arguments, reason: "posix_spawn: errno \(result)") }
        return pid
    }
}
