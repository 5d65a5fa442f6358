/// What the loader reports as it goes, for `--explain` and for tests: the start of each step,
/// each kernel call made inside it (from ``KernelTrace``), and each object it created.
public enum LoadEvent: Sendable {
    /// A step starts; `detail` says what it will do.
    case step(LoadStep, detail: String)
    /// A `bpf()` or netlink call was made.
    case kernelCall(KernelCall)
    /// A note from the loader (a fallback taken, a pin reused, …).
    case note(String)
}

/// Receives ``LoadEvent``s.
public typealias LoadObserver = @Sendable (LoadEvent) -> Void
