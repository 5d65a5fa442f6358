import CBPF

/// The one entry point to `bpf(2)`: every command in swift-xdp goes through here.
///
/// The policy, in one place:
/// - `EINTR` is retried, always (the call did not happen);
/// - `EAGAIN` is retried for `BPF_PROG_LOAD` only, at most ``progLoadAttempts`` times in all
///   (the verifier can return it spuriously, e.g. when a signal arrives mid-verification);
/// - each attempt is reported to ``KernelTrace`` (fields are only formatted when someone
///   records);
/// - failure becomes a ``BPFError`` naming the command, errno and object.
///
/// `Attr` is one of the `cbpf_*_attr` structs of the C shim (the member of `union bpf_attr`
/// for the command); its size is passed as the `size` argument.
public enum BPFSyscall {
    /// Attempts for `BPF_PROG_LOAD` while the kernel answers `EAGAIN`.
    public static let progLoadAttempts = 5

    /// Runs `command` and returns its result (an fd or 0) or the errno, without throwing:
    /// for callers that are still inside `withUnsafeBytes` scopes holding attr pointers.
    ///
    /// - Parameters:
    ///   - fields: the request as `name=value` pairs for the trace, from the attr as sent.
    ///   - outcome: how to describe success for the trace (default: `fd N` for commands
    ///     returning a file descriptor, else `ok`), from the attr as the kernel left it.
    public static func perform<Attr>(
        _ command: BPFCommand,
        _ attr: inout Attr,
        fields: (Attr) -> [KernelCall.Field] = { _ in [] },
        outcome: ((Attr, Int32) -> String)? = nil
    ) -> Result<Int32, Errno> {
        retrying(command) {
            let raw = withUnsafeMutableBytes(of: &attr) { bytes in
                cbpf_bpf(Int32(command.rawValue), bytes.baseAddress, UInt32(bytes.count))
            }
            if KernelTrace.isRecording {
                let result: String
                if raw >= 0 {
                    result = outcome?(attr, raw) ?? (command.returnsFileDescriptor ? "fd \(raw)" : "ok")
                } else {
                    result = Errno(rawValue: -raw).description
                }
                KernelTrace.record(KernelCall(interface: "bpf", command: command.name,
                                              fields: fields(attr), result: result, failed: raw < 0))
            }
            return raw
        }
    }

    /// The retry policy on its own: calls `attempt` (which returns a result or `-errno`) again
    /// after `EINTR`, and after `EAGAIN` for `BPF_PROG_LOAD` up to ``progLoadAttempts`` times.
    static func retrying(_ command: BPFCommand, _ attempt: () -> Int32) -> Result<Int32, Errno> {
        var attempts = 1
        while true {
            let raw = attempt()
            if raw >= 0 { return .success(raw) }
            let errno = Errno(rawValue: -raw)
            if errno == .EINTR { continue }
            if errno == .EAGAIN, command == .progLoad, attempts < progLoadAttempts {
                attempts += 1
                continue
            }
            return .failure(errno)
        }
    }

    /// Runs `command`; throws ``BPFError`` (with `object` as its subject) on failure.
    @discardableResult
    public static func call<Attr>(
        _ command: BPFCommand,
        _ attr: inout Attr,
        object: String? = nil,
        fields: (Attr) -> [KernelCall.Field] = { _ in [] },
        outcome: ((Attr, Int32) -> String)? = nil
    ) throws(BPFError) -> Int32 {
        try perform(command, &attr, fields: fields, outcome: outcome).orThrow(command, object: object)
    }

    /// Runs a command that returns a new file descriptor and takes ownership of it.
    public static func callReturningFD<Attr>(
        _ command: BPFCommand,
        _ attr: inout Attr,
        object: String? = nil,
        fields: (Attr) -> [KernelCall.Field] = { _ in [] }
    ) throws(BPFError) -> FileDescriptor {
        let raw = try call(command, &attr, object: object, fields: fields)
        return try FileDescriptor.adopting(raw, from: command, object: object)
    }
}

extension Result where Success == Int32, Failure == Errno {
    /// The value, or a ``BPFError`` for `command` carrying the errno.
    @discardableResult
    public func orThrow(_ command: BPFCommand, object: String? = nil) throws(BPFError) -> Int32 {
        switch self {
        case .success(let value): return value
        case .failure(let errno): throw BPFError(command: command, errno: errno, object: object)
        }
    }
}

extension FileDescriptor {
    /// Takes ownership of a descriptor `command` just returned, reporting a failure to move it
    /// above 2 as a failure of that command.
    static func adopting(_ raw: Int32, from command: BPFCommand, object: String?) throws(BPFError) -> FileDescriptor {
        do {
            return try FileDescriptor(adopting: raw)
        } catch {
            throw BPFError(command: command, errno: error, object: object)
        }
    }
}

extension BPFCommand {
    /// True for the commands whose non-negative result is a new file descriptor.
    public var returnsFileDescriptor: Bool {
        switch self {
        case .mapCreate, .progLoad, .objGet, .progGetFDByID, .mapGetFDByID, .rawTracepointOpen,
             .btfLoad, .btfGetFDByID, .linkCreate, .linkGetFDByID, .enableStats, .iterCreate,
             .tokenCreate:
            return true
        default:
            return false
        }
    }
}

/// The address of a buffer as the kernel expects it in a `__u64` attr field (0 for nil).
@inline(__always)
func kernelAddress(_ pointer: UnsafeRawPointer?) -> UInt64 {
    UInt64(UInt(bitPattern: pointer))
}
