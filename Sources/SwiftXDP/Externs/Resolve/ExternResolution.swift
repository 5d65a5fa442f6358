/// What one extern resolved to, ready to be patched into the instructions that use it (see
/// ``ExternRelocator``).
public enum ExternValue: Sendable, Equatable, CustomStringConvertible {
    /// A `__kconfig` value at `offset` in the `.kconfig` map's value:
    /// `ld_imm64` → `src_reg = BPF_PSEUDO_MAP_VALUE`, `imm = map fd`, second `imm = offset`.
    case mapValue(offset: Int)
    /// A typeless `__ksym` found in `/proc/kallsyms`: `ld_imm64` of the address itself
    /// (`src_reg = 0`, low 32 bits in `imm`, high 32 bits in the second `imm`).
    case address(UInt64)
    /// A typed `__ksym` found as a `VAR` in vmlinux BTF: `ld_imm64` →
    /// `src_reg = BPF_PSEUDO_BTF_ID`, `imm = BTF id`, second `imm = 0` (vmlinux, no module fd).
    case btfID(BTFTypeID)
    /// A kfunc found as a `FUNC` in vmlinux BTF: `call` → `src_reg = BPF_PSEUDO_KFUNC_CALL`,
    /// `imm = BTF id`, `off = 0`; an `ld_imm64` of it (`bpf_ksym_exists`) becomes
    /// `src_reg = BPF_PSEUDO_BTF_ID` like a typed ksym.
    case kfunc(btfID: BTFTypeID)
    /// A `__weak` extern the kernel does not provide: `ld_imm64` of 0; a `call` keeps
    /// `src_reg = BPF_PSEUDO_KFUNC_CALL` with `imm = 0`, which the verifier accepts only in
    /// code it can prove dead (guard such calls with `bpf_ksym_exists`), as libbpf does.
    case zero

    /// A short form for messages and `inspect` (`.kconfig+8`, `0xffffffff81000000`, …).
    public var description: String {
        switch self {
        case let .mapValue(offset): ".kconfig+\(offset)"
        case let .address(address): "0x" + String(address, radix: 16)
        case let .btfID(id): "vmlinux BTF id \(id)"
        case let .kfunc(id): "kfunc, vmlinux BTF id \(id)"
        case .zero: "0 (weak, not found)"
        }
    }
}

/// Every extern of an object resolved against one kernel: the `.kconfig` map to create (if
/// the object has kconfig externs) and the value of each extern.
public struct ExternResolution: Sendable, Equatable {
    /// The internal `.kconfig` map: ARRAY, key 4 bytes, value = ``KconfigLayout/size``, one
    /// entry, `BPF_F_RDONLY_PROG | BPF_F_MMAPABLE`, value type the `.kconfig` DATASEC, and
    /// ``MapSpec/initialData`` holding the values. Create it, fill it, then freeze it
    /// (`BPF_MAP_FREEZE`), as libbpf does. Nil when the object has no kconfig externs.
    public var kconfigMap: MapSpec?
    /// Where each kconfig extern lives in that map.
    public var layout: KconfigLayout
    /// Extern name → value. Unused externs that no BTF describes are left out.
    public var values: [String: ExternValue]

    /// Creates a resolution (normally done by ``ExternResolver``).
    public init(kconfigMap: MapSpec?, layout: KconfigLayout, values: [String: ExternValue]) {
        self.kconfigMap = kconfigMap
        self.layout = layout
        self.values = values
    }

    /// The value of extern `name`.
    public subscript(name: String) -> ExternValue? { values[name] }
}

/// What the running kernel must provide to resolve an object's externs, so that the loader
/// reads only what it needs (libbpf's `need_config`, `need_kallsyms`, `need_vmlinux_btf`).
public struct ExternRequirements: Sendable, Equatable {
    /// True when some `CONFIG_*` extern needs the kernel config.
    public var needsConfig: Bool
    /// True when some `LINUX_KERNEL_VERSION` extern needs the kernel release.
    public var needsRelease: Bool
    /// Names of typeless ksyms to look up in `/proc/kallsyms`.
    public var symbolNames: Set<String>
    /// True when typed ksyms or kfuncs need the kernel BTF.
    public var needsKernelBTF: Bool

    /// True when nothing is needed (no externs, or only ones that resolve without the kernel).
    public var isEmpty: Bool { !needsConfig && !needsRelease && symbolNames.isEmpty && !needsKernelBTF }
}
