import Glibc

/// Small, read-only files of the running system (`/proc`, `/sys`), read without Foundation.
enum SystemFiles {
    /// The contents of a small file, or the errno that stopped the read. At most `limit` bytes.
    static func read(_ path: String, limit: Int = 64 * 1024) -> Result<[UInt8], Errno> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(.current) }
        defer { _ = close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if Errno.current == .EINTR { continue }
                return .failure(.current)
            }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return .success(Array(bytes.prefix(limit)))
    }
}
