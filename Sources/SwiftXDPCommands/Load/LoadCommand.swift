import ArgumentParser
import SwiftXDP

/// `swift-xdp load`: load an object (BTF, maps, programs) and attach one XDP program to an
/// interface, and/or pin the whole object in bpffs.
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load a BPF object and attach its XDP program to an interface, or pin it.",
        discussion: """
            With --dev the program stays attached after swift-xdp exits (netlink IFLA_XDP), or as \
            long as the pinned bpf_link exists (--link PIN). With --pin DIR (and no --dev) every \
            program is pinned at DIR/<name> and every map at DIR/maps/<name>, like \
            `bpftool prog loadall OBJ DIR pinmaps DIR/maps`.
            """)

    @Argument(help: "The BPF object file.")
    var object: String

    @Option(name: .customLong("dev"), help: "Attach to this interface.")
    var device: String?

    @Option(help: "Attach mode: auto, native (driver), generic (skb) or offload (hardware).")
    var mode: AttachModeArgument = .auto

    @Option(help: "The program to attach (needed when the object has several XDP programs).")
    var program: String?

    @Flag(help: "Replace whatever XDP program is attached.")
    var force = false

    @Flag(help: "Swap the attached program atomically (fails if it changed meanwhile).")
    var replace = false

    @Option(help: "Attach with a bpf_link pinned at this bpffs path instead of netlink.")
    var link: String?

    @Option(help: "Pin the programs at DIR/<name> and the maps at DIR/maps/<name>.")
    var pin: String?

    @Flag(help: "Print every step and every bpf()/netlink call as it happens.")
    var explain = false

    func validate() throws {
        if device == nil && pin == nil {
            throw ValidationError("nothing to do: give --dev IF to attach, --pin DIR to pin, or both")
        }
        if force && replace { throw ValidationError("--force and --replace exclude each other") }
        if link != nil && device == nil { throw ValidationError("--link needs --dev") }
        if link != nil && (force || replace) {
            throw ValidationError("--force/--replace apply to netlink attachments, not to --link")
        }
    }

    func run() throws {
        let file = try CommandFailure.wrap { () throws(ObjectReadError) in try BPFObjectFile.read(path: object) }
        let attachment = try device.map { _ in try CommandFailure.wrap { () throws(NetlinkError) in try XDPAttachment() } }
        let chosen = try device.map { _ in try chooseProgram(in: file) }
        var options = LoadOptions(observer: explain ? ExplainPrinter.observer : nil)
        if explain {
            print("== read object: \(object): \(plural(file.programs.count, "program")), \(plural(file.maps.count, "map"))")
        }
        if mode == .offload, let device, let attachment {
            options.offloadInterfaceIndex = UInt32(try CommandFailure.wrap { () throws(NetlinkError) in
                try attachment.interfaceIndex(device) })
        }
        let loaded = try LoadFailureReport.wrap { () throws(LoadError) in try ObjectLoader.load(file, options: options) }
        defer { loaded.close() }
        if let pin {
            try LoadFailureReport.wrap { () throws(LoadError) in try loaded.pin(in: pin) }
            if explain { print("== pin: programs in \(pin), maps in \(pin)/maps") }
        }
        guard let device, let attachment, let chosen, let program = loaded.program(named: chosen.name) else {
            print("loaded \(object): \(plural(loaded.programs.count, "program")) and \(plural(loaded.maps.count, "map")) pinned under \(pin ?? "")")
            return
        }
        try attach(program, name: chosen.name, to: device, with: attachment)
    }

    /// The XDP program to attach: `--program`, or the only XDP program of the object.
    func chooseProgram(in file: BPFObjectFile) throws -> ProgramSpec {
        let xdp = file.programs.filter { $0.kind?.programType == .xdp }
        if let program {
            guard let found = file.program(named: program) else {
                throw CommandFailure("no program named '\(program)' in \(object)",
                                     detail: "programs: " + file.programs.map(\.name).joined(separator: ", "))
            }
            guard found.kind?.programType == .xdp else {
                throw CommandFailure("program '\(program)' is not an XDP program (section \(found.sectionName))")
            }
            return found
        }
        guard xdp.count == 1 else {
            throw CommandFailure(xdp.isEmpty ? "\(object) has no XDP program"
                                             : "\(object) has several XDP programs; choose one with --program",
                                 detail: xdp.isEmpty ? nil : "XDP programs: " + xdp.map(\.name).joined(separator: ", "))
        }
        return xdp[0]
    }

    func attach(_ program: BPFProgram, name: String, to device: String, with attachment: XDPAttachment) throws {
        if explain { print("== attach: \(name) to \(device), mode \(mode.mode)" + (link.map { " with a bpf_link pinned at \($0)" } ?? " through netlink")) }
        try ExplainPrinter.tracing(explain) {
            if let link {
                do {
                    let made = try attachment.attachWithLink(program, to: device, mode: mode.mode, pinPath: link)
                    made.close()
                } catch {
                    throw AttachFailure.describe(error, device: device)
                }
                print("attached \(name) to \(device) (\(mode.mode)) with a bpf_link pinned at \(link)")
                return
            }
            var policy = XDPReplacePolicy.ifNotExists
            if force { policy = .force }
            // With --replace, the attached program's descriptor must stay open until the swap.
            var expected: FileDescriptor?
            defer { expected?.close() }
            do {
                if replace {
                    let current = try attachment.query(device)
                    guard let id = current.programID(for: mode.mode) ?? current.programID, id != 0 else {
                        throw CommandFailure("--replace: no XDP program is attached to \(device) in \(mode.mode) mode")
                    }
                    let old = try BPFObjectKind.program.open(id: id)
                    expected = old
                    policy = .replace(expectedFD: old.rawValue)
                }
                try attachment.attach(program, to: device, mode: mode.mode, policy: policy)
            } catch let error as CommandFailure {
                throw error
            } catch {
                throw AttachFailure.describe(error, device: device)
            }
            print("attached \(name) to \(device) (\(mode.mode)\(force ? ", replacing" : replace ? ", swapped atomically" : ""))")
        }
    }
}

/// `--mode` values.
enum AttachModeArgument: String, ExpressibleByArgument, CaseIterable {
    case auto, native, generic, offload

    /// The netlink mode.
    var mode: XDPMode {
        switch self {
        case .auto: .auto
        case .native: .native
        case .generic: .generic
        case .offload: .offload
        }
    }
}

/// `1 program`, `2 programs`.
func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
