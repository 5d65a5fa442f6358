#if canImport(Glibc)
import Glibc
#endif

/// Whole-file reads and writes for the CLI, with errors that name the file.
public enum FileWriting {
    /// A file that could not be read or written.
    public struct Failure: Error, CustomStringConvertible {
        /// The path.
        public var path: String
        /// `errno`.
        public var code: Int32
        public var description: String { "\(path): \(String(cString: strerror(code)))" }
    }

    /// The bytes of the file at `path`.
    public static func read(_ path: String) throws(Failure) -> [UInt8] {
        do {
            return try FileBytes.read(path)
        } catch {
            throw Failure(path: path, code: error.code)
        }
    }

    /// Replaces the file at `path` with `bytes`.
    public static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(path: path, code: errno) }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, code: errno)
            }
            written += count
        }
    }
}
