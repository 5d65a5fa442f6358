import ArgumentParser
import SwiftXDP

/// What `swift-xdp load` was asked to do, as plain values: filled by ``LoadCommand`` (through
/// swift-argument-parser) or by ``QuickCommandLine`` (the start-up fast path), and run the
/// same way whichever filled it.
struct LoadRequest: Equatable {
    /// The BPF object file.
    var object: String
    /// `--dev`: attach to this interface.
    var device: String?
    /// `--mode`.
    var mode: AttachModeArgument = .auto
    /// `--program`: the program to attach.
    var program: String?
    /// `--force`: replace whatever XDP program is attached.
    var force = false
    /// `--replace`: swap the attached program atomically.
    var replace = false
    /// `--link`: attach with a bpf_link pinned at this path.
    var link: String?
    /// `--pin`: pin programs and maps under this directory.
    var pin: String?
    /// `--explain`: print every step and kernel call.
    var explain = false

    /// The combinations of options that make no sense (swift-argument-parser reports these
    /// with the command's usage).
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

/// `1 program`, `2 programs`.
func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
