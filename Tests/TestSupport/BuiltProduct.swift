import Foundation

/// The package's executables as `swift test` builds them: next to the test bundle in the
/// build directory (`.build/debug/swift-xdp`), or where an environment variable says.
public enum BuiltProduct {
    /// The path of executable `product`: `$variable` if set, else the first match in the test
    /// binary's directory or up to two directories above it.
    public static func path(_ product: String, environment variable: String) throws -> String {
        if let path = ProcessInfo.processInfo.environment[variable], !path.isEmpty { return path }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent(product).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw CommandError.missing("\(product): build it (swift build --product \(product)) or set \(variable)")
    }
}
