import SwiftXDP

/// Words for the object model, shared by the text and JSON views of `inspect`.
enum ObjectDescription {
    /// `struct flow_key (16)`-style name of a BTF type, or nil without BTF or for id 0.
    static func typeName(_ id: UInt32, in object: BPFObjectFile) -> String? {
        guard id != 0, let btf = object.btf else { return nil }
        return btf.typeDescription(id)
    }

    /// The program type as bpftool names it (`xdp`, `sched_cls`, …), or `unknown`.
    static func programType(_ program: ProgramSpec) -> String {
        program.kind.map { $0.programType.name.lowercased() } ?? "unknown"
    }

    /// The expected attach type (`xdp`, `xdp_devmap`, …) or nil.
    static func attachType(_ program: ProgramSpec) -> String? {
        program.kind?.expectedAttachType.map { $0.name.lowercased() }
    }

    /// The target a relocation names, for people: `lb_map`, `.rodata+16`, `clamp_len`.
    static func target(_ relocation: Relocation, in object: BPFObjectFile) -> String {
        switch relocation.kind {
        case let .mapReference(map): map
        case let .mapValue(map, offset): offset == 0 ? map : "\(map)+\(offset)"
        case let .subprogramCall(section, instruction), let .functionAddress(section, instruction):
            functionName(section: section, instruction: instruction, in: object)
        case let .externVariable(name), let .externCall(name): name
        }
    }

    /// The kind of a relocation as one word: `map`, `map_value`, `call`, `func_addr`, `extern`, `kfunc`.
    static func kindWord(_ kind: Relocation.Kind) -> String {
        switch kind {
        case .mapReference: "map"
        case .mapValue: "map_value"
        case .subprogramCall: "call"
        case .functionAddress: "func_addr"
        case .externVariable: "extern"
        case .externCall: "kfunc"
        }
    }

    /// The function starting at (or containing) an instruction of a section.
    static func functionName(section: Int, instruction: Int, in object: BPFObjectFile) -> String {
        guard let function = object.functions.first(where: {
            $0.sectionIndex == section && $0.rangeInSection.contains(instruction)
        }) else {
            return "section \(section) insn \(instruction)"
        }
        let delta = instruction - function.startInSection
        return delta == 0 ? function.name : "\(function.name)+\(delta)"
    }

    /// Variables of a global-data section, from the ELF symbols defined in it.
    static func variables(ofSection name: String, in object: BPFObjectFile) -> [(name: String, offset: UInt64, size: UInt64)] {
        guard let section = object.elf.section(named: name) else { return [] }
        return object.elf.symbols
            .filter { $0.sectionIndex == section.index && $0.kind == .object && !$0.name.isEmpty }
            .sorted { $0.value < $1.value }
            .map { ($0.name, $0.value, $0.size) }
    }
}
