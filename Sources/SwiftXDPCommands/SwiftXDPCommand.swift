import ArgumentParser
import SwiftXDP

/// The `swift-xdp` command line: load, attach, inspect and query XDP programs without libbpf.
public struct SwiftXDPCommand: ParsableCommand {
    /// The subcommands and help text (swift-argument-parser's `CommandConfiguration`).
    public static let configuration = CommandConfiguration(
        commandName: "swift-xdp",
        abstract: "Load clang-compiled XDP programs into Linux without libbpf.",
        subcommands: [InspectCommand.self, LoadCommand.self, UnloadCommand.self, StatusCommand.self, MapCommand.self,
                      RunCommand.self]
    )
    /// Creates the root command (swift-argument-parser fills it from the command line).
    public init() {}
}
