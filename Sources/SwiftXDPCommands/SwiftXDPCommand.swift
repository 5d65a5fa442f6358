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

    /// Runs the command line of this process: plain `load` and `unload` command lines through
    /// ``QuickCommandLine`` (a fraction of swift-argument-parser's start-up cost), everything
    /// else through swift-argument-parser. Errors are reported by swift-argument-parser either way.
    public static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let parsed = QuickCommandLine.parse(arguments) else {
            main(arguments)
            return
        }
        do {
            switch parsed {
            case let .load(request): try request.run()
            case let .unload(request): try request.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
