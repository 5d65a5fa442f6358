/// The steps of ``ObjectLoader``, one method each, sharing the object being filled.
struct LoadSteps {
    let loaded: LoadedObject
    let options: LoadOptions
    var object: BPFObjectFile { loaded.object }

    /// Tells the observer a step starts. `detail` is built only when someone observes (it
    /// joins names, which costs more than the rest of a small load's user-space work).
    func announce(_ step: LoadStep, _ detail: @autoclosure () -> String) {
        guard let observer = options.observer else { return }
        observer(.step(step, detail: detail()))
    }
    func note(_ text: @autoclosure () -> String) {
        guard let observer = options.observer else { return }
        observer(.note(text()))
    }

    func run() throws(LoadError) {
        guard object.order == .host else {
            throw LoadError(.readObject, object.name, ForeignByteOrder(object: object.order))
        }
        let programs = try selectedPrograms()
        let externs = try resolveExterns()
        // Kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK: raise it there (probed once).
        if case let .failed(errno) = MemlockLimit.raiseIfNeeded() {
            note("this kernel charges BPF memory to RLIMIT_MEMLOCK and raising it failed (\(errno)); loads may fail with EPERM")
        }
        try loadBTF(externs)
        try createMaps(externs)
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

    func loadBTF(_ externs: ExternResolution?) throws(LoadError) {
        guard options.useBTF, object.btf != nil else { return }
        announce(.loadBTF, "fix DATASEC sizes and offsets from the ELF, then BPF_BTF_LOAD")
        var prepared: BTF?
        do {
            prepared = try KernelBTF.prepare(object)
            if let externs, prepared != nil { try ExternBTFFixup.apply(to: &prepared!, layout: externs.layout) }
        } catch {
            throw LoadError(.loadBTF, object.name, error)
        }
        guard let prepared else { return }
        do {
            loaded.btf = try BTFHandle(loading: prepared.encoded(), label: object.name)
        } catch where error.errno == .EPERM {  // `error` is the BPFError BTFHandle throws
            // Missing privileges, not a BTF the kernel dislikes: every later step would be
            // refused the same way, so say it here, about the first call that needed them.
            throw LoadError(.loadBTF, object.name, error)
        } catch {
            // Like libbpf: a kernel that refuses the BTF still gets the programs, without
            // func_info/line_info and map types.
            note("the kernel refused the object's BTF (\(error)); continuing without BTF")
        }
    }

    // MARK: Externs

    /// Resolves the externs the object declares from the running kernel: kconfig values from
    /// its config, kernel symbols from kallsyms, kfuncs and typed ksyms from vmlinux BTF.
    func resolveExterns() throws(LoadError) -> ExternResolution? {
        guard !object.externs.isEmpty else { return nil }
        announce(.resolveExterns, object.externs.map(\.name).joined(separator: ", "))
        do {
            return try ExternResolver.resolveForRunningKernel(object)
        } catch {
            throw LoadError(.resolveExterns, object.name, error)
        }
    }

    // MARK: Maps

    func createMaps(_ externs: ExternResolution?) throws(LoadError) {
        let specs = object.maps + (externs?.kconfigMap.map { [$0] } ?? [])
        guard !specs.isEmpty else { return }
        announce(.createMaps, specs.map(\.name).joined(separator: ", "))
        for spec in specs {
            do {
                loaded.maps.append((spec, try MapCreation(spec: spec, loaded: loaded, options: options).make()))
            } catch {
                throw LoadError(.createMaps, spec.name, error)
            }
        }
    }

    // MARK: Relocation

    func relocate(_ programs: [ProgramSpec], externs: ExternResolution?)
        throws(LoadError) -> [(ProgramSpec, LinkedProgram, [Instruction])] {
        announce(.relocate, "link subprograms, patch map references with descriptors")
        let descriptors = Dictionary(loaded.maps.map { ($0.spec.name, $0.map.fd.rawValue) }, uniquingKeysWith: { a, _ in a })
        var result: [(ProgramSpec, LinkedProgram, [Instruction])] = []
        for program in programs {
            do {
                let linked = try object.link(program)
                var instructions = try MapRelocator.apply(linked, mapFDs: descriptors)
                if let externs {
                    instructions = try ExternRelocator.apply(linked, to: instructions, resolution: externs,
                                                             kconfigMapFD: descriptors[".kconfig"])
                }
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
                // Like libbpf: bind .rodata to every program, used or not, so its metadata stays
                // reachable from the program (bpftool prog show).
                if let rodata = loaded.map(named: ".rodata") { try program.bind(rodata) }
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
