import Glibc

/// The CPUs the kernel may ever bring online: `/sys/devices/system/cpu/possible`
/// (the kernel's `cpu_possible_mask`).
///
/// Per-CPU maps hold one value slot per possible CPU, so user space reads and writes
/// `count × roundUp(valueSize, 8)` bytes per key.
public enum PossibleCPUs {
    /// The sysfs file listing possible CPUs, e.g. `0-3` or `0,2-5`.
    public static let path = "/sys/devices/system/cpu/possible"

    /// How many CPUs are possible, read once per process. Falls back to
    /// `sysconf(_SC_NPROCESSORS_CONF)` if the file cannot be read or parsed.
    public static let count: Int = {
        if case .success(let bytes) = SystemFiles.read(path),
           let count = parse(String(decoding: bytes, as: UTF8.self)) {
            return count
        }
        return max(1, sysconf(Int32(_SC_NPROCESSORS_CONF)))
    }()

    /// Counts the CPUs in a kernel CPU list (`0-3,8,10-11` → 7), or nil if it is malformed.
    public static func parse(_ list: String) -> Int? {
        let trimmed = list.split(whereSeparator: { $0 == "\n" || $0 == " " }).first ?? ""
        guard !trimmed.isEmpty else { return nil }
        var total = 0
        for range in trimmed.split(separator: ",") {
            let bounds = range.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 1 || bounds.count == 2,
                  let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]),
                  low >= 0, high >= low else { return nil }
            total += high - low + 1
        }
        return total
    }
}
