import Foundation

/// Counts of what this process holds, to prove that loads leave nothing behind.
enum KernelObjects {
    /// Open file descriptors of this process, counted without opening anything but the listing.
    static func openFDs() throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
    }
}

enum CommandLine {
    /// Runs a tool and returns its standard output; throws when it exits non-zero.
    static func output(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ToolFailure(command: ([tool] + arguments).joined(separator: " "), status: process.terminationStatus,
                              stderr: String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self)
    }

    struct ToolFailure: Error, CustomStringConvertible {
        var command: String, status: Int32, stderr: String
        var description: String { "\(command) exited \(status): \(stderr)" }
    }
}

/// A uniquely named directory in bpffs, removed (with everything pinned in it) on `remove()`.
struct BPFFSDirectory {
    let path: String

    init(_ label: String) throws {
        path = "/sys/fs/bpf/swxdp-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
