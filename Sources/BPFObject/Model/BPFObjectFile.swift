/// A BPF object file read into plain values: its programs, subprograms, maps, global data,
/// externs, license and type information. Reading touches no kernel: the same bytes give the
/// same model on every machine.
///
/// This is the top of the object layer; ``Linker`` and ``MapRelocator`` take it from here.
public struct BPFObjectFile: Sendable {
    /// The object's name (the file name without `.o`/`.bpf.o`), used to name internal maps.
    public var name: String
    /// The underlying ELF file.
    public let elf: ELFFile
    /// `.BTF`, when present.
    public let btf: BTF?
    /// `.BTF.ext` (func_info, line_info, CO-RE records), when present.
    public let btfExt: BTFExt?
    /// The `license` section's string (`"GPL"`, `"Dual BSD/GPL"`, …), if present.
    public let license: String?
    /// The `version` section's value (`LINUX_VERSION_CODE` for old kprobes), if present.
    public let kernelVersion: UInt32?
    /// Entry programs, in section then address order.
    public let programs: [ProgramSpec]
    /// Every function of every executable section (programs and `.text` subprograms).
    public let functions: [FunctionSpec]
    /// Maps: BTF-defined, legacy, and one per global-data section.
    public let maps: [MapSpec]
    /// Undefined symbols the loader must resolve.
    public let externs: [ExternSpec]
    /// Sections no loader step uses (kept for `inspect`), by name. Computed on each call.
    public var ignoredSections: [String] {
        elf.headers.filter { $0.index != 0 && SectionRole($0, in: elf) == .ignored }.map(elf.name(of:))
    }

    /// The byte order of the object.
    public var order: ByteOrder { elf.order }
    /// The `.text` functions (subprograms).
    public var subprograms: [FunctionSpec] { functions.filter { $0.sectionName == ".text" } }

    /// Reads an object from its bytes. `name` names the object (see ``name``).
    public init(bytes: [UInt8], name: String = "object") throws(ParseError) {
        let elf = try ELFFile(bytes: bytes)
        let roles = elf.headers.map { SectionRole($0, in: elf) }
        var btf: BTF?
        var btfExt: BTFExt?
        var license: String?
        var version: UInt32?
        for (section, role) in zip(elf.headers, roles) {
            switch role {
            case .btf:
                btf = try BTF(bytes: elf.data(of: section), context: ".BTF", base: section.offset)
            case .license:
                license = String(decoding: elf.data(of: section).prefix { $0 != 0 }, as: UTF8.self)
            case .version:
                let reader = elf.reader(for: elf.section(for: section))
                version = try reader.u32(at: 0)
            default:
                break
            }
        }
        if let btf, let index = roles.firstIndex(of: .btfExt) {
            let section = elf.headers[index]
            btfExt = try BTFExt(bytes: elf.data(of: section), btf: btf, context: ".BTF.ext", base: section.offset)
        }

        var maps: [MapSpec] = []
        // The section each map comes from, so relocations find their map by section number.
        var mapSections: [Int] = []
        for (section, role) in zip(elf.headers, roles) {
            switch role {
            case .btfMaps:
                guard let btf else {
                    throw ParseError(.invalid("BTF-defined maps need a .BTF section"), context: "section .maps",
                                     offset: section.offset)
                }
                try BTFMapReader.read(elf, section: section, btf: btf, into: &maps)
            case .legacyMaps:
                maps += try LegacyMapReader.read(elf, section: elf.section(for: section))
            case .data, .rodata, .bss:
                if let map = DataMapReader.read(elf, section: section, role: role) { maps.append(map) }
            default:
                break
            }
            // Only for sections that added maps: appending nothing still cost a uniqueness
            // check and, to an empty array, a new buffer.
            if maps.count > mapSections.count {
                mapSections += repeatElement(section.index, count: maps.count - mapSections.count)
            }
        }
        if let btf {
            try BTFMapReader.attachDataTypes(&maps, btf: btf)
        }
        let functions = try FunctionReader.read(elf, roles: roles, maps: maps, mapSections: mapSections)
        var programs: [ProgramSpec] = []
        for function in functions where roles[function.sectionIndex] == .programs {
            programs.append(ProgramSpec(function: function, kind: ProgramKind.forSection(function.sectionName)))
        }
        let externs = ExternReader.read(elf, btf: btf, functions: functions)
        // Every stored property at once, at the end: assigning them one by one as they were
        // ready made the compiler copy the finished value out whole.
        self.init(name: name, elf: elf, btf: btf, btfExt: btfExt, license: license, kernelVersion: version,
                  programs: programs, functions: functions, maps: maps, externs: externs)
    }

    /// Creates an object from its parts.
    private init(name: String, elf: ELFFile, btf: BTF?, btfExt: BTFExt?, license: String?, kernelVersion: UInt32?,
                 programs: [ProgramSpec], functions: [FunctionSpec], maps: [MapSpec], externs: [ExternSpec]) {
        self.name = name
        self.elf = elf
        self.btf = btf
        self.btfExt = btfExt
        self.license = license
        self.kernelVersion = kernelVersion
        self.programs = programs
        self.functions = functions
        self.maps = maps
        self.externs = externs
    }

    /// The program called `name`, if any.
    public func program(named name: String) -> ProgramSpec? { programs.first { $0.name == name } }
    /// The map called `name`, if any.
    public func map(named name: String) -> MapSpec? { maps.first { $0.name == name } }

    /// Links the program called `name` (see ``Linker``).
    public func link(_ program: ProgramSpec) throws(LinkError) -> LinkedProgram {
        try Linker.link(program, functions: functions, btfExt: btfExt)
    }
}
