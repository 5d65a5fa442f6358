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

/// Runs external commands for the lab tests through Foundation's `Process`.
///
/// Output goes to temporary files rather than pipes: nothing can dead-lock on a full pipe,
/// and a daemon the command leaves running (a lab's web servers) cannot keep a pipe open.
enum LabShell {
    /// Runs `arguments` (the first is looked up in `PATH`), waiting at most `timeout` seconds;
    /// a command still running then gets SIGTERM, and SIGKILL a second later.
    static func run(_ arguments: [String], timeout: Double = 60) throws -> LabCommandResult {
        precondition(!arguments.isEmpty, "a command needs at least a name")
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("swift-xdp-lab-shell-\(getpid())-\(UInt32.random(in: 0 ... .max))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        guard FileManager.default.createFile(atPath: outURL.path, contents: nil),
              FileManager.default.createFile(atPath: errURL.path, contents: nil)
        else {
            throw LabError.couldNotStart(command: arguments, reason: "cannot create output files in \(scratch.path)")
        }
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            throw LabError.couldNotStart(command: arguments, reason: "\(error)")
        }

        let deadline = Date().addingTimeInterval(timeout)
        var killDeadline: Date?
        while process.isRunning {
            let now = Date()
            if let killAt = killDeadline {
                if now > killAt { kill(process.processIdentifier, SIGKILL) }
            } else if now > deadline {
                process.terminate()
                killDeadline = now.addingTimeInterval(1)
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        if killDeadline != nil {
            throw LabError.timedOut(command: arguments, seconds: timeout)
        }

        let status = process.terminationReason == .uncaughtSignal
            ? 128 + process.terminationStatus
            : process.terminationStatus
        return LabCommandResult(
            status: status,
            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        )
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
