/// The running kernel's own type information, `/sys/kernel/btf/vmlinux` (needs
/// `CONFIG_DEBUG_INFO_BTF`), where typed `__ksym` variables and kfuncs are looked up by name.
public enum VmlinuxBTF {
    /// The default path.
    public static let path = "/sys/kernel/btf/vmlinux"

    /// Reads and parses the kernel BTF at `path`.
    public static func load(path: String = VmlinuxBTF.path) throws(KernelFileError) -> BTF {
        let bytes: [UInt8]
        do {
            bytes = try KernelFiles.read(path)
        } catch {
            if error.errno == .ENOENT { throw .notFound(what: "kernel BTF", tried: [path]) }
            throw error
        }
        do {
            return try BTF(bytes: bytes, context: "vmlinux BTF")
        } catch {
            throw .malformed(path: path, error)
        }
    }
}
