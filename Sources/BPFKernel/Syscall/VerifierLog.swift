/// How to collect the kernel's log for `BPF_PROG_LOAD` (the verifier log: `log_level`,
/// `log_size`, `log_buf`, `log_true_size`) and `BPF_BTF_LOAD` (`btf_log_*`).
///
/// The default policy: load once without a log; only if that fails, load again with
/// `log_level` 1 and a buffer of ``initialSize`` bytes; when the kernel answers `ENOSPC` the
/// log did not fit, so grow the buffer to the `log_true_size` the kernel reports (kernels
/// ≥ 6.4) or double it, up to ``maximumSize``, and try again. The failed load's errno and the
/// whole log end up in the ``BPFError``.
public struct VerifierLogOptions: Sendable, Equatable {
    /// `log_level` of the logged load: 1 (`BPF_LOG_LEVEL1`), 2 (`BPF_LOG_LEVEL2`, every
    /// instruction state), 4 (`BPF_LOG_STATS`), or a combination; 0 never collects a log.
    public var level: UInt32
    /// Collect the log on the first load, even when it succeeds (for `--verbose` output).
    public var always: Bool
    /// First buffer size in bytes (the kernel wants at least 128).
    public var initialSize: Int
    /// Largest buffer tried; a longer log is truncated (the kernel keeps its end).
    public var maximumSize: Int

    /// Creates a policy.
    public init(level: UInt32 = 1, always: Bool = false, initialSize: Int = 64 * 1024, maximumSize: Int = 16 * 1024 * 1024) {
        self.level = level
        self.always = always
        self.initialSize = max(initialSize, VerifierLogOptions.kernelMinimumSize)
        self.maximumSize = max(maximumSize, self.initialSize)
    }

    /// Log only on failure, level 1, 64 KiB growing to 16 MiB.
    public static let onFailure = VerifierLogOptions()

    /// Never collect a log (a single load attempt; for feature probes).
    public static let disabled = VerifierLogOptions(level: 0)

    /// The kernel refuses `log_size` below 128 bytes when a log is requested (since 6.4).
    public static let kernelMinimumSize = 128
    /// The kernel refuses `log_size` above `UINT_MAX >> 2`.
    public static let kernelMaximumSize = Int(UInt32.max >> 2)
}

/// A log buffer handed to one load attempt: where the kernel writes, and how large it is.
struct LogRequest {
    /// `log_level`.
    var level: UInt32
    /// `log_buf`.
    var buffer: UnsafeMutableRawBufferPointer
}

/// What one load attempt returned: the result and the kernel's `log_true_size` (0 if the
/// kernel is older than 6.4 or no log was requested).
struct LoadAttempt {
    /// The fd or errno.
    var result: Result<Int32, Errno>
    /// Bytes the whole log needs, including its NUL.
    var logTrueSize: UInt32
}

/// The collection loop shared by program and BTF loading; see ``VerifierLogOptions``.
enum VerifierLogCollector {
    /// Runs `attempt` per the policy. Returns the final result, the errno of the first
    /// failure (the real reason; a later `ENOSPC` only means the log overflowed), and the log.
    static func load(_ options: VerifierLogOptions, attempt: (LogRequest?) -> LoadAttempt)
        -> (result: Result<Int32, Errno>, log: String?)
    {
        var firstFailure: Errno?
        if options.level == 0 { return (attempt(nil).result, nil) }
        if !options.always {
            let plain = attempt(nil)
            guard case .failure(let errno) = plain.result else { return (plain.result, nil) }
            firstFailure = errno
        }
        var size = options.initialSize
        while true {
            var buffer = [UInt8](repeating: 0, count: size)
            let outcome = buffer.withUnsafeMutableBytes { attempt(LogRequest(level: options.level, buffer: $0)) }
            let log = String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
            if case .failure(.ENOSPC) = outcome.result, size < options.maximumSize {
                let needed = Int(outcome.logTrueSize)
                size = min(options.maximumSize, needed > size ? needed : size * 2)
                continue
            }
            switch outcome.result {
            case .success:
                return (outcome.result, log)
            case .failure(let errno):
                let truncated = errno == .ENOSPC ? "\n(log truncated at \(size) bytes)" : ""
                return (.failure(firstFailure ?? errno), log + truncated)
            }
        }
    }
}
