import ArgumentParser
import SwiftXDP

/// The `swift-xdp` command line: load, attach, inspect and query XDP programs without libbpf.
public struct SwiftXDPCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "swift-xdp",
        abstract: "Load clang-compiled XDP programs into Linux without libbpf.",
        subcommands: [InspectCommand.self, LoadCommand.self, UnloadCommand.self, StatusCommand.self, MapCommand.self, RunCommand.self]
    )
    public init() {}
}
