import Foundation
import Testing
@testable import SwiftXDP

/// Helpers shared by the Extern*Tests: fixtures, and running reference tools (gzip, zcat,
/// bpftool) on bytes through temporary files.
enum ExternTestSupport {
    /// The repository root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `Fixtures/externs.bpf.o`, parsed.
    static func externsObject() throws -> BPFObjectFile {
        try BPFObjectFile.read(path: root.appendingPathComponent("Fixtures/externs.bpf.o").path)
    }

    /// A committed fixture, parsed.
    static func fixture(_ name: String) throws -> BPFObjectFile {
        try BPFObjectFile.read(path: root.appendingPathComponent("Fixtures/\(name)").path)
    }

    struct ToolFailure: Error, CustomStringConvertible {
        var command: String
        var status: Int32
        var stderr: String
        var description: String { "\(command) exited with \(status): \(stderr)" }
    }

    /// Runs the shell command `command` with `input` as standard input and returns its
    /// standard output. `$IN` in the command names a file holding `input` (for tools that
    /// record the file name).
    static func run(_ command: String, input: [UInt8] = []) throws -> [UInt8] {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("swift-xdp-externs-\(getpid())-\(UInt32.random(in: 0 ... .max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: dir) }
        let inURL = dir.appendingPathComponent("input.txt")
        let outURL = dir.appendingPathComponent("stdout")
        let errURL = dir.appendingPathComponent("stderr")
        try Data(input).write(to: inURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "IN='\(inURL.path)'; { " + command + "; } < \"$IN\" > '\(outURL.path)' 2> '\(errURL.path)'"]
        try process.run()
        process.waitUntilExit()
        let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            throw ToolFailure(command: command, status: process.terminationStatus, stderr: stderr)
        }
        return [UInt8](try Data(contentsOf: outURL))
    }

    /// Deterministic pseudo-random bytes (xorshift), for incompressible input.
    static func noise(count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }

    /// Compressible text: numbered lines of a few words.
    static func text(lines: Int) -> [UInt8] {
        let words = ["CONFIG_BPF", "xdp", "kernel", "swift", "=y", "map", "program", "verifier", "#", "btf"]
        var result = ""
        for line in 0..<lines {
            result += "\(line): " + (0..<(line % 7 + 2)).map { words[($0 * 3 + line) % words.count] }.joined(separator: " ") + "\n"
        }
        return Array(result.utf8)
    }
}
