#if canImport(Glibc)
import Glibc
#endif

/// Finds `xdp_lb.bpf.o`, the compiled BPF side, for ``LoadBalancer/start(_:)``.
public enum LBObjectLocator {
    /// The environment variable that names the object.
    public static let environmentVariable = "XDP_LB_OBJECT"

    /// The places looked at, in order: `explicit`, `$XDP_LB_OBJECT`, `Fixtures/xdp_lb.bpf.o`
    /// under the working directory, the same relative to the executable's package checkout
    /// (`.build/<config>/xdp-lb` → `Fixtures/`), and `/usr/local/lib/xdp-lb/xdp_lb.bpf.o`.
    public static func candidates(explicit: String?) -> [String] {
        var paths: [String] = []
        if let explicit { return [explicit] }
        if let fromEnvironment = getenv(environmentVariable).map({ String(cString: $0) }), !fromEnvironment.isEmpty {
            paths.append(fromEnvironment)
        }
        paths.append("Fixtures/xdp_lb.bpf.o")
        if let executable = executablePath() {
            // <checkout>/.build[-x]/<triple>/<config>/xdp-lb
            var parts = executable.split(separator: "/").map(String.init)
            if parts.count > 4 {
                parts.removeLast(4)
                paths.append("/" + (parts + ["Fixtures", "xdp_lb.bpf.o"]).joined(separator: "/"))
            }
        }
        paths.append("/usr/local/lib/xdp-lb/xdp_lb.bpf.o")
        return paths
    }

    /// The first candidate that exists, or ``LBError/Kind/objectNotFound(searched:)``.
    public static func locate(explicit: String?) throws -> String {
        let paths = candidates(explicit: explicit)
        guard let found = paths.first(where: { access($0, R_OK) == 0 }) else {
            throw LBError(.objectNotFound(searched: paths))
        }
        return found
    }

    private static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
