/// A failed `bpf(2)` command: which command, the errno the kernel returned, the object it
/// concerned, a plain-words hint, and for `BPF_PROG_LOAD` / `BPF_BTF_LOAD` the kernel's whole
/// verifier log.
///
/// Also thrown, without a syscall, when an argument is refused before it reaches the kernel
/// (a key of the wrong size, for example): then `errno` is `EINVAL` and `hint` says why.
public struct BPFError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The command that failed.
    public var command: BPFCommand
    /// What the kernel returned.
    public var errno: Errno
    /// The map, program, link or path the command concerned, if known.
    public var object: String?
    /// A plain-words explanation (defaults to one chosen from command and errno).
    public var hint: String?
    /// The complete verifier (or BTF) log of a failed load, when one was collected.
    public var verifierLog: String?

    /// Creates an error; `hint` defaults to ``defaultHint(command:errno:hasLog:)``.
    public init(command: BPFCommand, errno: Errno, object: String? = nil, hint: String? = nil, verifierLog: String? = nil) {
        self.command = command
        self.errno = errno
        self.object = object
        self.verifierLog = verifierLog
        let hasLog = !(verifierLog ?? "").isEmpty
        self.hint = hint ?? BPFError.defaultHint(command: command, errno: errno, hasLog: hasLog)
    }

    /// `BPF_MAP_CREATE "lb_map": EPERM: Operation not permitted (needs CAP_BPF …)`, followed by
    /// the last lines of the verifier log if there is one.
    public var description: String {
        var text = command.name
        if let object { text += " \"\(object)\"" }
        text += ": \(errno)"
        if let hint { text += " (\(hint))" }
        if let verifierLog, !verifierLog.isEmpty {
            let lines = verifierLog.split(separator: "\n", omittingEmptySubsequences: false)
            let tail = lines.suffix(lastLogLines)
            text += "\nverifier log"
            text += lines.count > tail.count ? " (last \(tail.count) of \(lines.count) lines):\n" : ":\n"
            text += tail.joined(separator: "\n")
        }
        return text
    }

    /// How many trailing verifier log lines ``description`` shows.
    private var lastLogLines: Int { 20 }

    /// The hint for `errno` in the context of `command`: specific where the pair has a
    /// well-known meaning, otherwise ``Errno/hint``.
    public static func defaultHint(command: BPFCommand, errno: Errno, hasLog: Bool) -> String? {
        switch (command, errno) {
        case (.progLoad, .EACCES) where hasLog, (.progLoad, .EINVAL) where hasLog:
            return "the verifier rejected the program; its log says why"
        case (.btfLoad, _) where hasLog:
            return "the kernel rejected the BTF; its log says why"
        case (.progLoad, .ENOSPC), (.btfLoad, .ENOSPC):
            return "the log buffer was too small for the kernel's log"
        case (.mapUpdateElem, .EPERM), (.mapDeleteElem, .EPERM):
            return "the map is frozen or read-only for user space, or the caller lacks CAP_BPF"
        case (.mapUpdateElem, .EEXIST):
            return "the key already exists and BPF_NOEXIST was requested"
        case (.mapUpdateElem, .ENOENT):
            return "the key does not exist and BPF_EXIST was requested"
        case (.mapUpdateElem, .E2BIG):
            return "the map is full (max_entries reached)"
        case (.mapLookupElem, .ENOENT), (.mapDeleteElem, .ENOENT):
            return "no such key"
        case (.mapFreeze, .EPERM):
            return "the map is already frozen or read-only for user space, or the caller lacks CAP_BPF"
        case (.mapFreeze, .EBUSY):
            return "the map is mapped writable (mmap)"
        case (.progGetFDByID, .ENOENT), (.mapGetFDByID, .ENOENT),
             (.linkGetFDByID, .ENOENT), (.btfGetFDByID, .ENOENT):
            return "no object with this id (it was freed)"
        case (.objGet, .ENOENT):
            return "nothing is pinned at this path"
        case (.objPin, .EEXIST):
            return "something is already pinned at this path"
        case (.objPin, .EPERM), (.objGet, .EPERM):
            return "the path is not on a BPF file system (mount -t bpf bpf /sys/fs/bpf), or the caller lacks CAP_BPF"
        case (.linkCreate, .EBUSY), (.linkCreate, .EEXIST):
            return "another program is already attached there"
        case (.linkCreate, .ENODEV), (.linkCreate, .EINVAL):
            return "no network interface with this index, or the program does not fit the attach type or flags"
        default:
            return errno.hint
        }
    }
}
