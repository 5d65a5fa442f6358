import Foundation

/// Locates the repository's committed test inputs, independent of the working directory.
enum Fixtures {
    /// The repository root (three levels above this file: Tests/BPFObjectTests/Support).
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `Fixtures/` in the repository.
    static let directory = root.appendingPathComponent("Fixtures")

    /// Every committed `Fixtures/*.o`, sorted by name.
    static var objects: [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".o") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// Objects shipped by Debian's libxdp1 / xdp-tools (extra real-world inputs), if installed.
    static var systemXDPObjects: [URL] {
        let dir = "/usr/lib/x86_64-linux-gnu/bpf"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasSuffix(".o") }.sorted().map { URL(fileURLWithPath: dir).appendingPathComponent($0) }
    }

    /// The bytes of `Fixtures/<name>`.
    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// Runs an external tool and returns its standard output (used to compare with references).
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
