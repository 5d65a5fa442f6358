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
/// a ``KernelCall`` to the observer bound for the current task, if any.
///
/// ```swift
/// KernelTrace.$observer.withValue({ call in print(call) }) { try load() }
/// ```
public enum KernelTrace {
    /// The observer for the current task (nil: calls are not recorded, at no cost).
    @TaskLocal public static var observer: (@Sendable (KernelCall) -> Void)?

    /// True when someone is listening (callers skip formatting fields otherwise).
    @inline(__always)
    public static var isRecording: Bool { observer != nil }

    /// Reports a call to the current observer.
    public static func record(_ call: @autoclosure () -> KernelCall) {
        if let observer { observer(call()) }
    }
}
