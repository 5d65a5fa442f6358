import Foundation
import SwiftXDPCommands

/// Runs `swift-xdp` subcommands in-process and captures what they print.
enum CommandRunner {
    /// The repository root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Path of a committed fixture.
    static func fixture(_ name: String) -> String { root.appendingPathComponent("Fixtures/\(name)").path }

    /// Every committed fixture and every Debian xdp-tools object, as paths.
    static var allObjects: [String] {
        let fixtures = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Fixtures").path)) ?? []
        let system = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/x86_64-linux-gnu/bpf")) ?? []
        return fixtures.filter { $0.hasSuffix(".o") }.sorted().map(fixture)
            + system.filter { $0.hasSuffix(".o") }.sorted().map { "/usr/lib/x86_64-linux-gnu/bpf/\($0)" }
    }

    /// Serialises captures: stdout is process-wide.
    private static let lock = NSLock()

    /// Parses `arguments` as a `swift-xdp` command line, runs it, and returns its standard
    /// output, or throws what the command threw.
    static func run(_ arguments: [String]) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        var command = try SwiftXDPCommand.parseAsRoot(arguments)
        // Point stdout at a temporary file while the command runs (no threads needed).
        let path = NSTemporaryDirectory() + "swift-xdp-output-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let file = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard file >= 0 else { throw POSIXError(.EIO) }
        defer { close(file); unlink(path) }
        fflush(nil)
        let saved = dup(STDOUT_FILENO)
        dup2(file, STDOUT_FILENO)
        var failure: Error?
        do { try command.run() } catch { failure = error }
        fflush(nil)
        dup2(saved, STDOUT_FILENO)
        close(saved)
        if let failure { throw failure }
        return String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }
}
