/// One call into the kernel (a `bpf(2)` command or a netlink request), as recorded for
/// `--explain` and for tests.
///
/// `fields` are the decoded attributes that were sent (e.g. `map_type=HASH`, `key_size=4`),
/// `result` is what came back (`fd 7`, `ack`, `EPERM: Operation not permitted`).
public struct KernelCall: Sendable, Equatable {
    /// Which interface was used: `"bpf"` or `"netlink"`.
    public var interface: String
    /// The command, e.g. `"BPF_MAP_CREATE"` or `"RTM_SETLINK"`.
    public var command: String
    /// Decoded request attributes, in the order they were set.
    public var fields: [Field]
    /// The outcome as text (`"fd 5"`, `"ok"`, `"ack"`, `"EEXIST: File exists"`).
    public var result: String
    /// True when the call failed.
    public var failed: Bool

    /// A named request attribute (`name=value`).
    public struct Field: Sendable, Equatable {
        /// Attribute name as in the kernel header (e.g. `map_type`, `IFLA_XDP_FD`).
        public var name: String
        /// Its value, formatted for people.
        public var value: String
        /// Creates a field.
        public init(_ name: String, _ value: String) { self.name = name; self.value = value }
    }

    /// Creates a record.
    public init(interface: String, command: String, fields: [Field], result: String, failed: Bool) {
        self.interface = interface
        self.command = command
        self.fields = fields
        self.result = result
        self.failed = failed
    }
}

/// The test and `--explain` seam of the kernel layer: every `bpf()` and netlink call reports
/// a ``KernelCall`` to the observer bound on the calling thread, if any.
///
/// ```swift
/// KernelTrace.withObserver({ call in print(call) }) { try load() }
/// ```
///
/// The binding is per thread (a pthread key), so parallel tests each see only their own calls,
/// and it needs no Swift concurrency runtime: the CLI calls it from plain synchronous code.
public enum KernelTrace {
    /// Receives kernel calls.
    public typealias Observer = @Sendable (KernelCall) -> Void

    /// Holds an observer and the binding it replaced, as one pthread-specific value.
    private final class Binding {
        let observer: Observer
        let previous: UnsafeMutableRawPointer?
        init(observer: @escaping Observer, previous: UnsafeMutableRawPointer?) {
            self.observer = observer
            self.previous = previous
        }
    }

    /// The thread-specific slot.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// The observer bound on this thread (nil: calls are not recorded, at no cost).
    public static var observer: Observer? {
        guard let raw = pthread_getspecific(key) else { return nil }
        return Unmanaged<Binding>.fromOpaque(raw).takeUnretainedValue().observer
    }

    /// Runs `body` with `observer` bound on this thread (nil unbinds), then restores the
    /// previous binding, also when `body` throws.
    public static func withObserver<R, E: Error>(_ observer: Observer?, _ body: () throws(E) -> R) throws(E) -> R {
        let previous = pthread_getspecific(key)
        var binding: Unmanaged<Binding>?
        if let observer {
            binding = Unmanaged.passRetained(Binding(observer: observer, previous: previous))
            pthread_setspecific(key, binding!.toOpaque())
        } else {
            pthread_setspecific(key, nil)
        }
        defer {
            pthread_setspecific(key, previous)
            binding?.release()
        }
        return try body()
    }

    /// True when someone is listening (callers skip formatting fields otherwise).
    @inline(__always)
    public static var isRecording: Bool { pthread_getspecific(key) != nil }

    /// Reports a call to the current observer.
    public static func record(_ call: @autoclosure () -> KernelCall) {
        if let observer { observer(call()) }
    }
}

#if canImport(Glibc)
import Glibc
#endif
