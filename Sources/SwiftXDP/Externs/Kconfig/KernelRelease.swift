#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The running kernel's release string (`uname -r`, e.g. `6.18.44-fc-v595`) and the
/// `LINUX_KERNEL_VERSION` code libbpf derives from it (`get_kernel_version`).
public enum KernelRelease {
    /// `utsname.release` of the running kernel (`uname(2)`).
    public static func running() -> String {
        var names = utsname()
        guard uname(&names) == 0 else { return "" }
        return withUnsafeBytes(of: &names.release) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// The release to compute `LINUX_KERNEL_VERSION` from. Ubuntu kernels report
    /// `x.y.0-abi-flavour` in `uname` and the upstream version in `/proc/version_signature`
    /// (`Ubuntu 5.15.0-91.101-generic 5.15.131`), which libbpf prefers; elsewhere this is
    /// ``running()``.
    public static func forVersionCode() -> String {
        if let signature = try? KernelFiles.read("/proc/version_signature"),
           let upstream = String(decoding: signature, as: UTF8.self)
               .split(whereSeparator: { $0 == " " || $0 == "\n" }).dropFirst(2).first {
            return String(upstream)
        }
        return running()
    }

    /// `KERNEL_VERSION(major, minor, patch)` = `major << 16 | minor << 8 | min(patch, 255)`
    /// for a release starting `major.minor.patch`, or nil when it does not start with three
    /// dot-separated numbers (libbpf then refuses `LINUX_KERNEL_VERSION`).
    public static func versionCode(_ release: String) -> UInt32? {
        var numbers: [UInt32] = []
        var current: UInt32?
        for byte in release.utf8 {
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                let (times10, overflow1) = (current ?? 0).multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(UInt32(byte - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { return nil }
                current = sum
                continue
            }
            guard let value = current else { return nil }
            numbers.append(value)
            current = nil
            if numbers.count == 3 { break }
            guard byte == UInt8(ascii: ".") else { return nil }
        }
        if let current, numbers.count < 3 { numbers.append(current) }
        guard numbers.count == 3 else { return nil }
        return (numbers[0] &<< 16) &+ (numbers[1] &<< 8) &+ min(numbers[2], 255)
    }
}
