/// The steps of ``ObjectLoader``, one method each, sharing the object being filled.
struct LoadSteps {
    let loaded: LoadedObject
    let options: LoadOptions
    var object: BPFObjectFile { loaded.object }

    func announce(_ step: LoadStep, _ detail: String) { options.observer?(.step(step, detail: detail)) }
    func note(_ text: String) { options.observer?(.note(text)) }

    func run() throws(LoadError) {
        guard object.order == .host else {
            throw LoadError(.readObject, object.name, ForeignByteOrder(object: object.order))
        }
        let programs = try selectedPrograms()
        try loadBTF()
        let externs = try resolveExterns(programs)
        try createMaps()
        let code = try relocate(programs, externs: externs)
        try loadPrograms(code)
        try fillSlots()
    }

    /// The programs to load, checked: each must have a known type.
    func selectedPrograms() throws(LoadError) -> [ProgramSpec] {
        var programs = object.programs
        if let names = options.programs {
            for name in names where object.program(named: name) == nil {
                throw LoadError(.readObject, name, UnknownProgram(name: name, available: object.programs.map(\.name)))
            }
            programs = programs.filter { names.contains($0.name) }
        }
        for program in programs where program.kind == nil {
            throw LoadError(.readObject, program.name, UnknownSection(section: program.sectionName))
        }
        return programs
    }

    // MARK: BTF

    func loadBTF() throws(LoadError) {
        guard options.useBTF, object.btf != nil else { return }
        announce(.loadBTF, "fix DATASEC sizes and offsets from the ELF, then BPF_BTF_LOAD")
        let prepared: BTF?
        do {
            prepared = try KernelBTF.prepare(object)
        } catch {
            throw LoadError(.loadBTF, object.name, error)
        }
        guard let prepared else { return }
        do {
            loaded.btf = try BTFHandle(loading: prepared.encoded(), label: object.name)
        } catch {
            // Like libbpf: a kernel that refuses the BTF still gets the programs, without
            // func_info/line_info and map types.
            note("the kernel refused the object's BTF (\(error)); continuing without BTF")
        }
    }

    // MARK: Externs

    /// Extern resolution (kconfig, ksym, kfunc). Objects that use none skip it.
    func resolveExterns(_ programs: [ProgramSpec]) throws(LoadError) -> [String: (map: String, offset: Int)] {
        let used = object.externs.filter(\.isUsed)
        guard !used.isEmpty else { return [:] }
        announce(.resolveExterns, used.map(\.name).joined(separator: ", "))
        throw LoadError(.resolveExterns, used[0].name, UnsupportedExtern(name: used[0].name, kind: used[0].kind))
    }

    // MARK: Maps

    func createMaps() throws(LoadError) {
        guard !object.maps.isEmpty else { return }
        announce(.createMaps, object.maps.map(\.name).joined(separator: ", "))
        for spec in object.maps {
            do {
                loaded.maps.append((spec, try MapCreation(spec: spec, loaded: loaded, options: options).make()))
            } catch {
                throw LoadError(.createMaps, spec.name, error)
            }
        }
    }

    // MARK: Relocation

    func relocate(_ programs: [ProgramSpec], externs: [String: (map: String, offset: Int)])
        throws(LoadError) -> [(ProgramSpec, LinkedProgram, [Instruction])] {
        announce(.relocate, "link subprograms, patch map references with descriptors")
        let descriptors = Dictionary(loaded.maps.map { ($0.spec.name, $0.map.fd.rawValue) }, uniquingKeysWith: { a, _ in a })
        var result: [(ProgramSpec, LinkedProgram, [Instruction])] = []
        for program in programs {
            do {
                let linked = try object.link(program)
                let instructions = try MapRelocator.apply(linked, mapFDs: descriptors, externs: externs)
                result.append((program, linked, instructions))
            } catch {
                throw LoadError(.relocate, program.name, error)
            }
        }
        return result
    }

    // MARK: Programs

    func loadPrograms(_ code: [(ProgramSpec, LinkedProgram, [Instruction])]) throws(LoadError) {
        guard !code.isEmpty else { return }
        announce(.loadPrograms, code.map(\.0.name).joined(separator: ", "))
        for (spec, linked, instructions) in code {
            do {
                let program = try BPFProgram(definition(spec, linked, instructions), logOptions: options.verifierLog)
                loaded.programs.append((spec, program))
            } catch {
                throw LoadError(.loadPrograms, spec.name, error)
            }
        }
    }

    func definition(_ spec: ProgramSpec, _ linked: LinkedProgram, _ instructions: [Instruction]) -> BPFProgramDefinition {
        let kind = spec.kind!
        var definition = BPFProgramDefinition(
            type: kind.programType,
            expectedAttachType: kind.expectedAttachType,
            instructions: Instruction.encodeAll(instructions, order: .host),
            license: object.license ?? "",
            name: spec.name,
            flags: kind.programFlags)
        definition.kernelVersion = object.kernelVersion ?? 0
        definition.ifindex = options.offloadInterfaceIndex
        if let btf = loaded.btf, !linked.funcInfo.isEmpty {
            definition.btf = btf
            definition.funcInfo = BTFExtRecords(recordSize: UInt32(BPFFuncInfo.size), bytes: BPFFuncInfo.encode(linked.funcInfo))
            definition.lineInfo = BTFExtRecords(recordSize: UInt32(BPFLineInfo.size), bytes: BPFLineInfo.encode(linked.lineInfo))
        }
        return definition
    }

    // MARK: Slots

    func fillSlots() throws(LoadError) {
        let maps = loaded.maps.filter { !$0.spec.initialSlots.isEmpty }
        guard !maps.isEmpty else { return }
        announce(.fillSlots, maps.map(\.spec.name).joined(separator: ", "))
        for (spec, map) in maps {
            for slot in spec.initialSlots {
                let fd: Int32
                switch slot.target {
                case let .program(name):
                    guard let program = loaded.program(named: name) else {
                        note("\(spec.name)[\(slot.index)]: program \(name) was not loaded; slot left empty")
                        continue
                    }
                    fd = program.fd.rawValue
                case let .map(name):
                    guard let inner = loaded.map(named: name) else {
                        throw LoadError(.fillSlots, spec.name, MissingSlotTarget(slot: slot.index, target: name))
                    }
                    fd = inner.fd.rawValue
                }
                do {
                    try map.update(key: ByteOrder.host.bytes(of: UInt32(slot.index)), value: ByteOrder.host.bytes(of: fd))
                } catch {
                    throw LoadError(.fillSlots, "\(spec.name)[\(slot.index)]", error)
                }
            }
        }
    }
}
