import Glibc

/// `RLIMIT_MEMLOCK` and BPF: kernels before 5.11 charge map and program memory against the
/// locked-memory limit (often 64 KiB), kernels since 5.11 charge it to the memory cgroup and
/// ignore the limit.
///
/// How we tell them apart: a kernel whose release (`uname -r`) is 5.11 or later has memcg
/// accounting (nobody removes it). An older release number may still have it backported
/// (distribution kernels), so there we ask the kernel with a feature probe: the helper
/// `bpf_ktime_get_coarse_ns` (id 160) arrived in the same release (5.11) as memcg accounting,
/// so a kernel that loads a tiny program calling it does not need the limit raised. The
/// release check costs one `uname(2)`; the probe (a program load and close) is skipped on
/// every current kernel. Decided once per process.
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

    /// True if the kernel charges BPF memory to the memory cgroup (decided once).
    public static let kernelUsesMemcgAccounting: Bool = releaseHasMemcgAccounting(runningRelease()) || probeMemcgAccounting()

    /// True if `release` (`uname -r`, e.g. `6.18.44-fc`) is 5.11 or later; false when older or
    /// unreadable.
    static func releaseHasMemcgAccounting(_ release: String) -> Bool {
        // A byte loop rather than split/map: this runs in every process's start-up.
        var major = 0, minor = 0, digits = 0, field = 0
        for byte in release.utf8 {
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 6 {
                let digit = Int(byte - UInt8(ascii: "0"))
                if field == 0 { major = major * 10 + digit } else { minor = minor * 10 + digit }
                digits += 1
            } else if byte == UInt8(ascii: "."), field == 0, digits > 0 {
                field = 1
                digits = 0
            } else {
                break
            }
        }
        guard field == 1, digits > 0 else { return false }
        return major > 5 || (major == 5 && minor >= 11)
    }

    /// `utsname.release` of the running kernel (`uname(2)`), or "" if it cannot be read.
    static func runningRelease() -> String {
        var names = utsname()
        guard uname(&names) == 0 else { return "" }
        return withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// Asks the kernel: loads a tiny socket filter calling `bpf_ktime_get_coarse_ns`, which
    /// only kernels with memcg accounting have (5.11, or a backport of both).
    public static func probeMemcgAccounting() -> Bool {
        let program = InstructionBytes.callHelper(coarseClockHelper)
            + InstructionBytes.moveImmediate(0, 0)
            + InstructionBytes.exit
        let definition = BPFProgramDefinition(type: .socketFilter, instructions: program, name: "memcg_probe")
        // No log: a failure is the answer, not a problem.
        guard let probe = try? BPFProgram(definition, logOptions: .disabled) else { return false }
        probe.close()
        return true
    }

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
