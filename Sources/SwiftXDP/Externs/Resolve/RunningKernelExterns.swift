/// A failure to resolve an object's externs against the running kernel: reading what the
/// kernel publishes failed, or an extern cannot be satisfied.
public enum ExternLoadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Reading the kernel config, `/proc/kallsyms` or the kernel BTF failed.
    case kernelFile(KernelFileError)
    /// An extern cannot be resolved (the error names it).
    case extern(ExternError)

    /// `resolve externs: ` and the underlying error.
    public var description: String {
        switch self {
        case let .kernelFile(error): "resolve externs: \(error)"
        case let .extern(error): "resolve externs: \(error)"
        }
    }
}

extension ExternResolver {
    /// Resolves the externs of `object` against the running kernel, reading only what they
    /// need (``ExternRequirements``): the config (``KernelConfig/load(paths:)``), the release
    /// (``KernelRelease/forVersionCode()``), the needed `/proc/kallsyms` entries and the
    /// kernel BTF. Pass `kernelBTF` to reuse one already read.
    public static func resolveForRunningKernel(_ object: BPFObjectFile,
                                               kernelBTF: BTF? = nil) throws(ExternLoadError) -> ExternResolution {
        let needs = requirements(of: object)
        var config: [String: String] = [:]
        var symbols: [String: UInt64] = [:]
        var btf = kernelBTF
        do {
            if needs.needsConfig { config = try KernelConfig.load().values }
            if !needs.symbolNames.isEmpty { symbols = try KernelSymbols.load(names: needs.symbolNames) }
            if needs.needsKernelBTF, btf == nil { btf = try VmlinuxBTF.load() }
        } catch {
            throw .kernelFile(error)
        }
        let release = needs.needsRelease ? KernelRelease.forVersionCode() : KernelRelease.running()
        do {
            return try resolve(object, config: config, release: release, symbols: symbols, kernelBTF: btf)
        } catch {
            throw .extern(error)
        }
    }
}
