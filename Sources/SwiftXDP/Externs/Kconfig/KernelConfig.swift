/// The running kernel's build configuration: the `CONFIG_*=value` lines of
/// `/boot/config-$(uname -r)` or `/proc/config.gz`, which libbpf reads to fill `__kconfig`
/// externs (`bpf_object__read_kconfig_file`).
///
/// Values are kept as written (`y`, `m`, `250`, `0x10`, `"string"`); ``KconfigValue`` turns
/// one into the bytes of an extern of a given type. `# CONFIG_X is not set` lines are
/// comments: such options are simply absent.
public struct KernelConfig: Sendable, Equatable {
    /// Option name (`CONFIG_HZ`) → value text (`250`). The first line naming an option wins.
    public var values: [String: String]

    /// Wraps already parsed values.
    public init(values: [String: String]) {
        self.values = values
    }

    /// The value text of option `name`, if set.
    public subscript(name: String) -> String? { values[name] }

    /// Parses config text. Lines that do not start with `CONFIG_` are ignored; a `CONFIG_`
    /// line without `=` or without a value is an error (as in libbpf), reported with its
    /// byte offset in `text`.
    public static func parse(_ text: ArraySlice<UInt8>, context: String = "kernel config") throws(ParseError) -> KernelConfig {
        var values: [String: String] = [:]
        let prefix = Array("CONFIG_".utf8)
        var lineStart = text.startIndex
        var lineNumber = 1
        while lineStart < text.endIndex {
            let lineEnd = text[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? text.endIndex
            let line = text[lineStart..<lineEnd]
            if line.starts(with: prefix) {
                guard let equals = line.firstIndex(of: UInt8(ascii: "=")) else {
                    throw ParseError(.invalid("line \(lineNumber): no '=' in '\(String(decoding: line, as: UTF8.self))'"),
                                     context: context, offset: lineStart - text.startIndex)
                }
                guard equals + 1 < lineEnd else {
                    throw ParseError(.invalid("line \(lineNumber): no value in '\(String(decoding: line, as: UTF8.self))'"),
                                     context: context, offset: equals - text.startIndex)
                }
                let name = String(decoding: text[lineStart..<equals], as: UTF8.self)
                if values[name] == nil {
                    values[name] = String(decoding: text[(equals + 1)..<lineEnd], as: UTF8.self)
                }
            }
            lineStart = lineEnd + 1
            lineNumber += 1
        }
        return KernelConfig(values: values)
    }

    /// Parses the bytes of a config file, gzip-compressed (`/proc/config.gz`) or plain
    /// (`/boot/config-*`): like zlib's `gzopen`, compression is recognised by its magic.
    public static func parse(fileBytes bytes: [UInt8], context: String = "kernel config") throws(ParseError) -> KernelConfig {
        if Gzip.hasMagic(bytes) {
            return try parse(try Gzip.decompress(bytes)[...], context: context)
        }
        return try parse(bytes[...], context: context)
    }

    /// Where libbpf looks for the config, in order: `/boot/config-<release>`, then
    /// `/proc/config.gz`.
    public static func defaultPaths(release: String) -> [String] {
        ["/boot/config-\(release)", "/proc/config.gz"]
    }

    /// Reads the running kernel's config from the first of `paths` that can be read (by
    /// default ``defaultPaths(release:)`` for the running kernel's release). When none can,
    /// the error is the first that is not "no such file", else `.notFound`.
    public static func load(paths: [String]? = nil) throws(KernelFileError) -> KernelConfig {
        let candidates = paths ?? defaultPaths(release: KernelRelease.running())
        var firstFailure: KernelFileError?
        for path in candidates {
            let bytes: [UInt8]
            do {
                bytes = try KernelFiles.read(path)
            } catch {
                if error.errno != .ENOENT, firstFailure == nil { firstFailure = error }
                continue
            }
            do {
                return try parse(fileBytes: bytes, context: path)
            } catch {
                throw .malformed(path: path, error)
            }
        }
        throw firstFailure ?? .notFound(what: "kernel config", tried: candidates)
    }
}
