import ArgumentParser
import SwiftXDP

/// `swift-xdp inspect`: what an object holds and what a loader will do with it. Pure: reads
/// the file, never the kernel.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show the programs, maps, global data, externs and relocations of a BPF object.",
        discussion: """
            Reads the object like the loader does, without touching the kernel. --disasm prints each \
            program linked with its subprograms, relocations annotated and C source lines from \
            .BTF.ext line_info. --json prints a stable document (see README.md, "inspect --json").
            """)

    @Argument(help: "The BPF object file (clang -target bpf -c).")
    var object: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Flag(help: "Disassemble each program after linking.")
    var disasm = false

    @Option(help: "Show only this program.")
    var program: String?

    func run() throws {
        let file = try CommandFailure.wrap { () throws(ObjectReadError) in try BPFObjectFile.read(path: object) }
        var programs = file.programs
        if let program {
            programs = programs.filter { $0.name == program }
            guard !programs.isEmpty else {
                throw CommandFailure("no program named '\(program)' in \(object)",
                                     detail: "programs: " + file.programs.map(\.name).joined(separator: ", "))
            }
        }
        if json {
            print(try InspectJSON.document(file, path: object, programs: programs, disassembly: disasm).serialized())
        } else {
            print(try InspectText.render(file, path: object, programs: programs, disassembly: disasm), terminator: "")
        }
    }
}
