#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure to read an object file from disk: the file could not be read, or its bytes are
/// not a valid BPF object.
public enum ObjectReadError: Error, Sendable, CustomStringConvertible {
    /// `open(2)`/`read(2)` failed with `errno`.
    case unreadable(path: String, errno: Int32)
    /// The bytes were read but are malformed (the parse error says where).
    case malformed(path: String, ParseError)

    public var description: String {
        switch self {
        case let .unreadable(path, code):
            "cannot read \(path): \(String(cString: strerror(code)))"
        case let .malformed(path, error):
            "\(path): \(error)"
        }
    }
}

extension BPFObjectFile {
    /// Reads and parses the object at `path`. The object is named after the file, without
    /// its `.o` / `.bpf.o` suffix (libbpf's convention, used to name internal maps).
    public static func read(path: String) throws(ObjectReadError) -> BPFObjectFile {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(path)
        } catch {
            throw .unreadable(path: path, errno: error.code)
        }
        do {
            return try BPFObjectFile(bytes: bytes, name: objectName(forPath: path))
        } catch {
            throw .malformed(path: path, error)
        }
    }

    /// `dir/xdp-proxy.bpf.o` → `xdp-proxy` (libbpf strips the directory and everything from
    /// the first `.`).
    public static func objectName(forPath path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return String(file.prefix { $0 != "." })
    }
}

#if canImport(Glibc)
private let systemRead = Glibc.read
#elseif canImport(Darwin)
private let systemRead = Darwin.read
#endif

/// Whole-file reads with plain `open`/`read` (no Foundation: the binary stays small).
enum FileBytes {
    struct Failure: Error { var code: Int32 }

    static func read(_ path: String) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(code: errno) }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(code: errno)
            }
            if count == 0 { return result }
            result += chunk[..<count]
        }
    }
}
