/// The named steps of loading an object, in order. Every failure says which step it was in.
public enum LoadStep: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Read and parse the ELF file (pure).
    case readObject = "read object"
    /// Fix up the object's BTF and load it (`BPF_BTF_LOAD`); retried without BTF if refused.
    case loadBTF = "load BTF"
    /// Resolve externs (kconfig values, kernel symbols, kfuncs) from the running kernel.
    case resolveExterns = "resolve externs"
    /// Create every map (`BPF_MAP_CREATE`), fill global data, freeze `.rodata`.
    case createMaps = "create maps"
    /// Link subprograms and patch map references with the new descriptors (pure).
    case relocate = "relocate"
    /// Load each program (`BPF_PROG_LOAD`), with the verifier log on failure.
    case loadPrograms = "load programs"
    /// Put programs and inner maps into the `.values` slots of prog arrays and map-in-maps.
    case fillSlots = "fill slots"
    /// Pin programs and maps in bpffs.
    case pin = "pin"
    /// Attach a program to an interface (netlink `IFLA_XDP` or `BPF_LINK_CREATE`).
    case attach = "attach"

    public var description: String { rawValue }
}

/// A failure while loading an object: the step, the map or program it concerned, and the
/// underlying error (a ``BPFError`` with errno and verifier log, a ``NetlinkError`` with the
/// kernel's message, a parse or relocation error).
///
/// Reads like `create maps: lb_map: BPF_MAP_CREATE: EPERM (Operation not permitted)`.
public struct LoadError: Error, CustomStringConvertible, @unchecked Sendable {
    /// The step that failed.
    public var step: LoadStep
    /// The map, program or file concerned, if any.
    public var subject: String?
    /// The underlying error.
    public var underlying: any Error

    /// Creates a load error.
    public init(_ step: LoadStep, _ subject: String?, _ underlying: any Error) {
        self.step = step
        self.subject = subject
        self.underlying = underlying
    }

    /// The verifier log, when a program was rejected.
    public var verifierLog: String? { (underlying as? BPFError)?.verifierLog }

    public var description: String {
        "\(step): " + (subject.map { "\($0): " } ?? "") + "\(underlying)"
    }
}
