import CBPF
import Glibc

/// Runs code with the calling thread inside a named network namespace, then moves it back.
///
/// Named namespaces are the bind mounts `ip netns add NAME` makes under `/var/run/netns/`.
/// Entering one is `setns(fd, CLONE_NEWNET)` (setns(2)), which affects only the calling
/// thread; the thread's own namespace is saved first from `/proc/thread-self/ns/net` and
/// restored with another `setns`, whether the body succeeds or throws. The body runs
/// synchronously on this thread, so everything it creates (sockets, and `bpf()` links that
/// resolve an ifindex) belongs to the named namespace. Needs `CAP_SYS_ADMIN`.
public enum NetworkNamespace {
    /// Where `ip netns` keeps named namespaces.
    public static let directory = "/var/run/netns"
    /// `CLONE_NEWNET` (linux/sched.h): the namespace type passed to `setns`.
    public static let cloneNewNet: Int32 = 0x4000_0000

    /// The path of the namespace called `name`.
    public static func path(of name: String) -> String { "\(directory)/\(name)" }

    /// Runs `body` inside the namespace `name` and returns its result.
    ///
    /// Errors entering or leaving the namespace are ``NetlinkError``s with the operation
    /// ``NetlinkError/Operation/enterNamespace(_:)``; errors from `body` pass through.
    public static func run<R>(in name: String, _ body: () throws -> R) throws -> R {
        let outcome: Result<R, any Error> = try perform(in: name) { () throws(NetlinkError) in
            Result { try body() }
        }
        return try outcome.get()
    }

    /// The typed-throws core of ``run(in:_:)``.
    static func perform<R>(in name: String, _ body: () throws(NetlinkError) -> R) throws(NetlinkError) -> R {
        let operation = NetlinkError.Operation.enterNamespace(name)
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
            throw NetlinkError(operation, .system(call: "open \(path(of: name))", .EINVAL))
        }
        let original = try openNamespace(currentThreadPath, operation: operation)
        let target = try openNamespace(path(of: name), operation: operation)
        guard setNamespace(target.rawValue) == 0 else {
            throw NetlinkError(operation, .system(call: "setns(\(path(of: name)), CLONE_NEWNET)", .current))
        }
        // Run the body, then always go back before reporting its outcome.
        let outcome: Result<R, NetlinkError>
        do { outcome = .success(try body()) } catch { outcome = .failure(error) }
        guard setNamespace(original.rawValue) == 0 else {
            let errno = Errno.current
            throw NetlinkError(operation, .system(
                call: "setns back to the original namespace (this thread is still in \(name))", errno))
        }
        return try outcome.get()
    }

    /// `/proc/thread-self/ns/net` (Linux 3.17+), the namespace of the calling thread.
    static let currentThreadPath = "/proc/thread-self/ns/net"

    private static func openNamespace(_ path: String, operation: NetlinkError.Operation) throws(NetlinkError) -> FileDescriptor {
        let raw = open(path, O_RDONLY | O_CLOEXEC)
        guard raw >= 0 else { throw NetlinkError(operation, .system(call: "open \(path)", .current)) }
        do { return try FileDescriptor(adopting: raw) } catch {
            throw NetlinkError(operation, .system(call: "open \(path)", error))
        }
    }

    /// `setns(fd, CLONE_NEWNET)` through the C shim (`cbpf_setns`: Glibc's Swift module hides
    /// `setns`); returns 0 or −1 with `errno` set. A direct system call: no `dlopen`/`dlsym`
    /// lookup, which also works in a fully static executable (`-static-executable`).
    private static func setNamespace(_ fd: Int32) -> Int32 {
        let result = cbpf_setns(fd, cloneNewNet)
        guard result == 0 else {
            Glibc.errno = -result
            return -1
        }
        return 0
    }
}
