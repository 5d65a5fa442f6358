// parse-bench: times swift-xdp's object layer on each file named on the command line and
// prints one machine-readable `result` line per file (format in Options.usage and README.md).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a line to standard error.
func printError(_ message: String) {
    let line = message + "\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
}

/// Reads a whole file (sysfs files such as /sys/kernel/btf/vmlinux included) or returns nil.
func readFile(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if count == 0 { break }
        bytes += chunk[..<count]
    }
    return ferror(file) == 0 ? bytes : nil
}

/// The object's name as the loader would derive it: the base name without `.bpf.o`/`.o`.
func objectName(_ path: String) -> String {
    var name = String(path.split(separator: "/").last ?? Substring(path))
    for suffix in [".bpf.o", ".o"] where name.hasSuffix(suffix) {
        name.removeLast(suffix.count)
        break
    }
    return name
}

guard let options = Options(arguments: Array(CommandLine.arguments.dropFirst())) else { exit(2) }
let modeName = options.mode == .btf ? "btf" : (options.parseOnly ? "object-parse" : "object")
var failures = 0
for path in options.files {
    let head = "result tool=swift mode=\(modeName)"
    guard let bytes = readFile(path) else {
        print("\(head) status=error file=\(path) size=0 message=cannot read file")
        failures += 1
        continue
    }
    let name = objectName(path)
    do {
        let result: Measurement
        let countName: String
        switch options.mode {
        case .object:
            countName = "programs"
            result = try measure(iterations: options.iterations, minimumSeconds: options.minimumSeconds) {
                try parseObject(bytes, name: name, parseOnly: options.parseOnly)
            }
        case .btf:
            countName = "types"
            result = try measure(iterations: options.iterations, minimumSeconds: options.minimumSeconds) {
                try parseBTF(bytes, name: name)
            }
        }
        print("\(head) status=ok file=\(path) size=\(bytes.count) iterations=\(result.iterations)"
            + " median_ns=\(result.medianNanoseconds) mean_ns=\(result.meanNanoseconds) min_ns=\(result.minimumNanoseconds)"
            + " \(countName)=\(result.check)")
    } catch {
        print("\(head) status=error file=\(path) size=\(bytes.count) message=\(error)")
        failures += 1
    }
    fflush(nil)  // all streams: one line per file as soon as it is measured
}
if workSink == 42 { printError("") }  // reads the sink so the linked results stay live
exit(failures == 0 ? 0 : 1)
