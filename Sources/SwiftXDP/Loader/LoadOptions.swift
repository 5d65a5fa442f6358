/// Choices for ``ObjectLoader/load(_:options:)``.
public struct LoadOptions: Sendable {
    /// Load only these programs (by name); nil loads every program of the object.
    public var programs: [String]?
    /// Where maps with `pinning = LIBBPF_PIN_BY_NAME` are pinned and reused (libbpf's
    /// `pin_root_path`, default `/sys/fs/bpf`).
    public var pinRoot: String = "/sys/fs/bpf"
    /// Reuse the maps pinned in this directory (`DIR/<map name>`, dots as `_`, as
    /// ``LoadedObject/pin(in:)`` writes them under `maps/`) instead of creating new ones, so a
    /// program can run against maps filled beforehand. Maps not found there are created.
    public var reuseMapsFrom: String?
    /// Load the object's BTF (and with it func_info/line_info and map key/value types).
    public var useBTF: Bool = true
    /// Offload: load programs and maps for this interface's hardware (`prog_ifindex`).
    public var offloadInterfaceIndex: UInt32 = 0
    /// Verifier log policy for programs.
    public var verifierLog: VerifierLogOptions = .onFailure
    /// Receives every step and kernel call, or nil.
    public var observer: LoadObserver?

    /// Default options: every program, BTF, maps pinned by name under /sys/fs/bpf.
    public init(programs: [String]? = nil, observer: LoadObserver? = nil) {
        self.programs = programs
        self.observer = observer
    }
}
