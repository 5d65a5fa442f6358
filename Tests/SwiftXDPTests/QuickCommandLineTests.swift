import ArgumentParser
import Testing
@testable import SwiftXDPCommands

/// The start-up fast path (`QuickCommandLine`) must agree with swift-argument-parser on every
/// command line it accepts, refuse everything unusual, and know exactly the options the
/// `load` and `unload` commands declare.
struct QuickCommandLineTests {
    /// What swift-argument-parser makes of `arguments`, as the same plain values.
    static func viaArgumentParser(_ arguments: [String]) throws -> QuickCommandLine.Parsed? {
        let command = try SwiftXDPCommand.parseAsRoot(arguments)
        if let load = command as? LoadCommand { return .load(load.request) }
        if let unload = command as? UnloadCommand { return .unload(unload.request) }
        return nil
    }

    static let accepted: [[String]] = [
        ["load", "x.o", "--pin", "/sys/fs/bpf/p"],
        ["load", "x.o", "--dev", "eth0"],
        ["load", "x.o", "--dev", "eth0", "--mode", "generic"],
        ["load", "--dev", "eth0", "x.o", "--mode=native"],
        ["load", "x.o", "--dev=eth0", "--pin=/p", "--program", "xdp_pass", "--explain"],
        ["load", "x.o", "--dev", "eth0", "--force"],
        ["load", "x.o", "--dev", "eth0", "--replace", "--mode", "offload"],
        ["load", "x.o", "--dev", "eth0", "--link", "/sys/fs/bpf/link"],
        ["load", "x.o", "--dev", "load", "--mode", "auto"],
        ["load", "unload", "--pin", "status"],
        ["unload", "--dev", "eth0"],
        ["unload", "--dev=eth0", "--mode", "generic", "--explain"],
        ["unload", "--link", "/sys/fs/bpf/link", "--dev", "eth0"],
    ]

    @Test(arguments: accepted)
    func agreesWithArgumentParser(_ arguments: [String]) throws {
        let quick = try #require(QuickCommandLine.parse(arguments), "refused \(arguments)")
        #expect(try Self.viaArgumentParser(arguments) == quick)
    }

    static let refused: [[String]] = [
        [], ["--help"], ["help", "load"], ["inspect", "x.o"], ["status"], ["map", "dump", "--dev", "eth0"],
        ["load"], ["load", "x.o"], ["load", "x.o", "y.o", "--pin", "/p"], ["load", "--help"],
        ["load", "x.o", "--pin", "/p", "-h"], ["load", "x.o", "--pin", "/p", "--help"],
        ["load", "x.o", "--pin", "/p", "--version"], ["load", "x.o", "--pin", "/p", "--unknown"],
        ["load", "x.o", "--pin", "/p", "--pin", "/q"], ["load", "x.o", "--pin"], ["load", "x.o", "--pin", "--dev"],
        ["load", "x.o", "--pin", "-p"], ["load", "x.o", "--pin="], ["load", "x.o", "--dev", "eth0", "--force=true"],
        ["load", "x.o", "--dev", "eth0", "--force", "--force"], ["load", "x.o", "--dev", "eth0", "--mode", "bogus"],
        ["load", "x.o", "--dev", "eth0", "--force", "--replace"], ["load", "x.o", "--pin", "/p", "--link", "/l"],
        ["load", "x.o", "--dev", "eth0", "--link", "/l", "--force"], ["load", "--", "x.o", "--pin", "/p"],
        ["load", "-", "--pin", "/p"], ["load", "help"], ["load", "x.o", "--dev", "help"],
        ["load", "x.o", "--pin", "/p", "--generate-completion-script", "bash"],
        ["load", "x.o", "--pin", "/p", "--experimental-dump-help"],
        ["unload"], ["unload", "eth0"], ["unload", "--dev", "eth0", "--mode", "bogus"], ["unload", "--dev", "eth0", "x"],
        ["unload", "--dev", "eth0", "--force"], ["unload", "--help"],
    ]

    @Test(arguments: refused)
    func leavesEverythingElseToArgumentParser(_ arguments: [String]) {
        #expect(QuickCommandLine.parse(arguments) == nil)
    }

    /// The `--name` options a command's help lists, with whether each takes a value.
    static func declaredOptions(_ help: String) -> [(name: String, takesValue: Bool)] {
        var options: [(name: String, takesValue: Bool)] = []
        for line in help.split(separator: "\n") where line.hasPrefix("  --") {
            let words = line.dropFirst(2).split(separator: " ", maxSplits: 2)
            let name = String(words[0].dropFirst(2))
            options.append((name, words.count > 1 && words[1].hasPrefix("<")))
        }
        return options
    }

    @Test func knowsEveryOptionOfLoad() throws {
        let options = Self.declaredOptions(LoadCommand.helpMessage(columns: 200))
        #expect(Set(options.map(\.name)) == ["dev", "mode", "program", "force", "replace", "link", "pin", "explain"])
        for option in options {
            let value = option.name == "mode" ? "generic" : "v"
            var arguments = ["load", "x.o"] + (option.name == "dev" ? ["--pin", "/p"] : ["--dev", "eth0"])
            arguments += option.takesValue ? ["--\(option.name)", value] : ["--\(option.name)"]
            let quick = try #require(QuickCommandLine.parse(arguments), "refused \(arguments)")
            #expect(try Self.viaArgumentParser(arguments) == quick)
        }
    }

    @Test func knowsEveryOptionOfUnload() throws {
        let options = Self.declaredOptions(UnloadCommand.helpMessage(columns: 200))
        #expect(Set(options.map(\.name)) == ["dev", "mode", "link", "explain"])
        for option in options where option.name != "dev" {
            let value = option.name == "mode" ? "native" : "v"
            let arguments = ["unload", "--dev", "eth0"] + (option.takesValue ? ["--\(option.name)", value] : ["--\(option.name)"])
            let quick = try #require(QuickCommandLine.parse(arguments), "refused \(arguments)")
            #expect(try Self.viaArgumentParser(arguments) == quick)
        }
    }
}
