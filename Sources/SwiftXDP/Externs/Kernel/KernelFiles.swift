#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the kernel's pseudo-files with plain `open`/`read` (their `stat` size is often 0 or
/// wrong, so they are read until end of file), in chunks, with a size limit.
enum KernelFiles {
    /// The largest file read whole: vmlinux BTF is about 6 MiB; 256 MiB leaves room.
    static let defaultLimit = 256 << 20

    /// The whole contents of `path`, at most `limit` bytes.
    static func read(_ path: String, limit: Int = defaultLimit) throws(KernelFileError) -> [UInt8] {
        var bytes: [UInt8] = []
        try forEachChunk(path) { (chunk: ArraySlice<UInt8>) throws(KernelFileError) in
            guard bytes.count + chunk.count <= limit else { throw .tooLarge(path: path, limit: limit) }
            bytes += chunk
        }
        return bytes
    }

    /// Calls `body` with each chunk read from `path`, in order, until end of file.
    static func forEachChunk(_ path: String, chunkSize: Int = 256 * 1024,
                             _ body: (ArraySlice<UInt8>) throws(KernelFileError) -> Void) throws(KernelFileError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(path: path, errno: .current) }
        defer { _ = close(fd) }
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, errno: .current)
            }
            if count == 0 { return }
            try body(chunk[..<count])
        }
    }
}

#if canImport(Glibc)
private let systemRead = Glibc.read
#elseif canImport(Darwin)
private let systemRead = Darwin.read
#endif
