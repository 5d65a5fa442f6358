import Glibc

/// `RLIMIT_MEMLOCK` and BPF: kernels before 5.11 charge map and program memory against the
/// locked-memory limit (often 64 KiB), kernels since 5.11 charge it to the memory cgroup and
/// ignore the limit.
///
/// How we tell them apart: a feature probe. The helper `bpf_ktime_get_coarse_ns` (id 160)
/// arrived in the same release (5.11) as memcg accounting, so a kernel that loads a tiny
/// program calling it does not need the limit raised. Checking the version number instead
/// would be wrong on distribution kernels that backport either change; the probe asks the
/// kernel itself. The probe is run once per process.
public enum MemlockLimit {
    /// What ``raiseIfNeeded()`` did.
    public enum Outcome: Sendable, Equatable {
        /// The kernel uses memcg accounting; the limit was left alone.
        case notNeeded
        /// The limit was raised to unlimited.
        case raised
        /// The limit should be raised but `setrlimit` failed (no `CAP_SYS_RESOURCE`).
        case failed(Errno)
    }

    /// `BPF_FUNC_ktime_get_coarse_ns` in linux/bpf.h.
    static let coarseClockHelper: Int32 = 160

    /// True if the kernel charges BPF memory to the memory cgroup (probed once).
    public static let kernelUsesMemcgAccounting: Bool = {
        let program = InstructionBytes.callHelper(coarseClockHelper)
            + InstructionBytes.moveImmediate(0, 0)
            + InstructionBytes.exit
        let definition = BPFProgramDefinition(type: .socketFilter, instructions: program, name: "memcg_probe")
        // No log: a failure is the answer, not a problem.
        return (try? BPFProgram(definition, logOptions: .disabled)) != nil
    }()

    /// Raises `RLIMIT_MEMLOCK` to unlimited if this kernel still charges BPF memory to it.
    /// Call before creating maps; cheap after the first call.
    @discardableResult
    public static func raiseIfNeeded() -> Outcome {
        if kernelUsesMemcgAccounting { return .notNeeded }
        var unlimited = rlimit(rlim_cur: rlim_t.max, rlim_max: rlim_t.max)  // RLIM_INFINITY
        guard setrlimit(__rlimit_resource_t(__RLIMIT_MEMLOCK.rawValue), &unlimited) == 0 else {
            return .failed(.current)
        }
        return .raised
    }
}
