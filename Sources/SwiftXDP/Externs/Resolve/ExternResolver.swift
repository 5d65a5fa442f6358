/// Resolves an object's extern symbols against a kernel described by plain values: its config
/// options, its release string, the addresses of some symbols, and its BTF. A pure function
/// (libbpf's `bpf_object__resolve_externs` without the file reading): the readers at the edge
/// are ``KernelConfig/load(paths:)``, ``KernelRelease/running()``,
/// ``KernelSymbols/load(names:path:)`` and ``VmlinuxBTF/load(path:)``, tied together by
/// ``resolveForRunningKernel(_:)``.
///
/// - `__kconfig`: `CONFIG_*` from the config (missing: 0 if `__weak`, else an error);
///   `LINUX_KERNEL_VERSION` from the release; other `LINUX_*` are 0 if `__weak`, else an
///   error. The values fill the `.kconfig` map laid out by ``KconfigLayout``.
/// - typeless `__ksym` (`const void`): its address from kallsyms.
/// - typed `__ksym`: a `VAR` of that name in the kernel BTF, with a compatible type.
/// - kfunc: a `FUNC` of that name (a `___flavour` suffix is dropped) in the kernel BTF, with a
///   compatible prototype. Only vmlinux is searched: kfuncs and variables of kernel modules
///   (module BTF passed through `fd_array`) are not supported.
/// - Missing `__weak` ksyms and kfuncs resolve to ``ExternValue/zero``.
public enum ExternResolver {
    /// Resolves every extern of `object`. `kernelBTF` may be nil when the object has no typed
    /// ksym and no kfunc.
    public static func resolve(_ object: BPFObjectFile, config: [String: String], release: String,
                               symbols: [String: UInt64], kernelBTF: BTF?) throws(ExternError) -> ExternResolution {
        let layout = try KconfigLayout(object: object)
        var values: [String: ExternValue] = [:]
        var data = [UInt8](repeating: 0, count: layout.size)
        for slot in layout.slots {
            if let bytes = try kconfigBytes(slot, config: config, release: release, order: object.order) {
                data.replaceSubrange(slot.offset..<(slot.offset + slot.size), with: bytes)
            }
            values[slot.name] = .mapValue(offset: slot.offset)
        }
        for extern in object.externs {
            switch extern.kind {
            case .kconfig:
                continue
            case .ksym:
                values[extern.name] = try resolveVariable(extern, object: object, symbols: symbols, kernelBTF: kernelBTF)
            case .kfunc:
                values[extern.name] = try resolveFunction(extern, object: object, kernelBTF: kernelBTF)
            case .unknown:
                if extern.isUsed { throw ExternError(name: extern.name, kind: .unknown, reason: .unknownKind) }
            }
        }
        return ExternResolution(kconfigMap: kconfigMap(layout, data: data), layout: layout, values: values)
    }

    /// What `object` needs from the running kernel (see ``ExternRequirements``).
    public static func requirements(of object: BPFObjectFile) -> ExternRequirements {
        var needs = ExternRequirements(needsConfig: false, needsRelease: false, symbolNames: [], needsKernelBTF: false)
        for extern in object.externs {
            switch extern.kind {
            case .kconfig:
                if extern.name.hasPrefix("CONFIG_") { needs.needsConfig = true }
                if extern.name == "LINUX_KERNEL_VERSION" { needs.needsRelease = true }
            case .ksym:
                if isTypeless(extern, object: object) {
                    needs.symbolNames.insert(extern.name)
                } else {
                    needs.needsKernelBTF = true
                }
            case .kfunc:
                needs.needsKernelBTF = true
            case .unknown:
                break
            }
        }
        return needs
    }

    // MARK: - kconfig

    /// The bytes of one kconfig extern, or nil to leave it 0 (weak and not provided).
    private static func kconfigBytes(_ slot: KconfigLayout.Slot, config: [String: String], release: String,
                                     order: ByteOrder) throws(ExternError) -> [UInt8]? {
        func fail(_ reason: ExternError.Reason) -> ExternError { ExternError(name: slot.name, kind: .kconfig, reason: reason) }
        if slot.name.hasPrefix("CONFIG_") {
            guard let text = config[slot.name] else {
                if slot.isWeak { return nil }
                throw fail(.notFound(source: "the kernel config"))
            }
            do {
                return try KconfigValue.encode(text, as: slot.type, size: slot.size, order: order)
            } catch {
                throw fail(error)
            }
        }
        if slot.name == "LINUX_KERNEL_VERSION" {
            guard let code = KernelRelease.versionCode(release) else { throw fail(.badRelease(release)) }
            do {
                return try KconfigValue.encode(number: UInt64(code), as: slot.type, size: slot.size, order: order)
            } catch {
                throw fail(error)
            }
        }
        if slot.name.hasPrefix("LINUX_") {
            if slot.isWeak { return nil }
            throw fail(.unknownVirtual)
        }
        throw fail(.unrecognizedName)
    }

    private static func kconfigMap(_ layout: KconfigLayout, data: [UInt8]) -> MapSpec? {
        guard !layout.slots.isEmpty else { return nil }
        var map = MapSpec(name: ".kconfig", origin: .kconfig, sectionName: ".kconfig", symbolOffset: 0, type: .array,
                          keySize: 4, valueSize: UInt32(layout.size), maxEntries: 1,
                          flags: [.readOnlyProgram, .mmapable])
        map.valueTypeID = layout.dataSectionID ?? 0
        map.initialData = data
        return map
    }

    // MARK: - ksym and kfunc

    /// True for a ksym declared without a type (`extern const void x __ksym`): its VAR's
    /// type is void once qualifiers and typedefs are looked through.
    static func isTypeless(_ extern: ExternSpec, object: BPFObjectFile) -> Bool {
        guard let btf = object.btf, let variable = btf.variable(extern.btfTypeID) else { return true }
        return btf.resolve(variable.type) == 0
    }

    private static func resolveVariable(_ extern: ExternSpec, object: BPFObjectFile, symbols: [String: UInt64],
                                        kernelBTF: BTF?) throws(ExternError) -> ExternValue {
        func fail(_ reason: ExternError.Reason) -> ExternError { ExternError(name: extern.name, kind: .ksym, reason: reason) }
        if isTypeless(extern, object: object) {
            if let address = symbols[extern.name] { return .address(address) }
            if extern.isWeak { return .zero }
            throw fail(.notFound(source: KernelSymbols.path))
        }
        guard let kernelBTF else { throw fail(.noKernelBTF) }
        guard let btf = object.btf, let variable = btf.variable(extern.btfTypeID) else {
            throw fail(.notDescribed("BTF type \(extern.btfTypeID) is not a VAR"))
        }
        guard let kernelID = kernelBTF.typeID(named: extern.name, kind: .variable),
              let kernelVariable = kernelBTF.variable(kernelID) else {
            if extern.isWeak { return .zero }
            throw fail(.notFound(source: "vmlinux BTF"))
        }
        guard BTFCompatibility.areCompatible(local: btf, variable.type, kernel: kernelBTF, kernelVariable.type) else {
            throw fail(.incompatibleType(local: BTFTypeNames.describe(btf, variable.type),
                                         kernel: BTFTypeNames.describe(kernelBTF, kernelVariable.type)))
        }
        return .btfID(kernelID)
    }

    private static func resolveFunction(_ extern: ExternSpec, object: BPFObjectFile,
                                        kernelBTF: BTF?) throws(ExternError) -> ExternValue {
        func fail(_ reason: ExternError.Reason) -> ExternError { ExternError(name: extern.name, kind: .kfunc, reason: reason) }
        guard let kernelBTF else { throw fail(.noKernelBTF) }
        guard let btf = object.btf, case let .function(function)? = btf.type(extern.btfTypeID) else {
            throw fail(.notDescribed("BTF type \(extern.btfTypeID) is not a FUNC"))
        }
        guard let kernelID = kernelBTF.typeID(named: essentialName(extern.name), kind: .function),
              case let .function(kernelFunction)? = kernelBTF.type(kernelID) else {
            if extern.isWeak { return .zero }
            throw fail(.notFound(source: "vmlinux BTF"))
        }
        guard BTFCompatibility.areCompatible(local: btf, function.prototype, kernel: kernelBTF, kernelFunction.prototype) else {
            if extern.isWeak { return .zero }
            throw fail(.incompatibleType(local: "the prototype #\(function.prototype)",
                                         kernel: "the prototype of \(kernelFunction.name) (#\(kernelFunction.prototype))"))
        }
        return .kfunc(btfID: kernelID)
    }

    /// `name` without a `___flavour` suffix (`bpf_foo___v2` → `bpf_foo`): the last `___`
    /// that has a non-underscore on both sides starts the suffix (libbpf's
    /// `bpf_core_essential_name_len`).
    static func essentialName(_ name: String) -> String {
        let bytes = Array(name.utf8)
        let underscore = UInt8(ascii: "_")
        var index = bytes.count - 5
        while index >= 0 {
            if bytes[index] != underscore, bytes[index + 1] == underscore, bytes[index + 2] == underscore,
               bytes[index + 3] == underscore, bytes[index + 4] != underscore {
                return String(decoding: bytes[...index], as: UTF8.self)
            }
            index -= 1
        }
        return name
    }
}
