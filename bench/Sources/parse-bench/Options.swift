// Command-line options of parse-bench. Kept in step with libbpf_open.c, which takes the same
// flags so parse.sh can drive both the same way.

/// What each input file is.
enum InputMode: String {
    /// A BPF ELF object: parse it with `BPFObjectFile` and link every program.
    case object
    /// A raw BTF blob such as `/sys/kernel/btf/vmlinux`: parse it with `BTF(bytes:)`.
    case btf
}

/// Parsed command line.
struct Options {
    /// How to read the inputs.
    var mode: InputMode = .object
    /// In object mode, stop after `BPFObjectFile(bytes:name:)` (no `link`).
    var parseOnly = false
    /// A fixed iteration count, or nil to calibrate on `minimumSeconds`.
    var iterations: Int?
    /// With calibration: keep iterating until this much time has been measured.
    var minimumSeconds = 0.5
    /// The input files, in order.
    var files: [String] = []

    static let usage = """
        usage: parse-bench [--btf] [--parse-only] [--iterations N] [--min-time SECONDS] FILE...

        Reads each FILE once, then times iterations of
          (default)  BPFObjectFile(bytes:name:) + link of every program
          --parse-only  BPFObjectFile(bytes:name:) only
          --btf         BTF(bytes:) on a raw BTF blob (e.g. /sys/kernel/btf/vmlinux)
        and prints one line per file:
          result tool=swift mode=object status=ok file=F size=B iterations=N median_ns=M mean_ns=A min_ns=L programs=P
          result tool=swift mode=object status=error file=F size=B message=TEXT
        Without --iterations, iterates until --min-time seconds (default 0.5) are measured.
        """

    /// Parses `arguments` (without the program name); returns nil and prints why on error.
    init?(arguments: [String]) {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--btf":
                mode = .btf
            case "--parse-only":
                parseOnly = true
            case "--iterations", "-n":
                guard let value = rest.popFirst(), let count = Int(value), count > 0 else {
                    printError("--iterations needs a positive integer")
                    return nil
                }
                iterations = count
            case "--min-time":
                guard let value = rest.popFirst(), let seconds = Double(value), seconds > 0 else {
                    printError("--min-time needs a positive number of seconds")
                    return nil
                }
                minimumSeconds = seconds
            case "-h", "--help":
                print(Self.usage)
                return nil
            default:
                if argument.hasPrefix("-") {
                    printError("unknown option \(argument)")
                    return nil
                }
                files.append(argument)
            }
        }
        if files.isEmpty {
            printError(Self.usage)
            return nil
        }
    }
}
