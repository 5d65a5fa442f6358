import Foundation

/// What one `wrk --latency` run reported.
struct WrkReport: Sendable, Equatable, CustomStringConvertible {
    /// "Requests/sec:".
    var requestsPerSecond: Double = 0
    /// "N requests in …".
    var requests: Int = 0
    /// The 99th percentile latency in milliseconds (nil if wrk printed none).
    var p99Milliseconds: Double?
    /// "Socket errors: connect C, read R, write W, timeout T" (zeros when wrk printed no such line).
    var connectErrors = 0, readErrors = 0, writeErrors = 0, timeouts = 0
    /// "Non-2xx or 3xx responses: N".
    var non2xx = 0
    /// wrk's whole output, for failure messages.
    var text = ""

    /// Every error wrk counts: socket errors, timeouts and non-2xx answers.
    var errors: Int { connectErrors + readErrors + writeErrors + timeouts + non2xx }

    var description: String {
        let p99 = p99Milliseconds.map { String(format: "%.2f ms", $0) } ?? "?"
        return String(format: "%.0f req/s, %d requests, p99 ", requestsPerSecond, requests) + p99 +
            ", errors connect \(connectErrors) read \(readErrors) write \(writeErrors) timeout \(timeouts) non-2xx \(non2xx)"
    }

    /// Reads wrk 4's text output.
    init(parsing text: String) {
        self.text = text
        for rawLine in text.split(separator: "\n") {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            let words = line.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
            if line.hasPrefix("Requests/sec:"), words.count >= 2 {
                requestsPerSecond = Double(words[1]) ?? 0
            } else if line.contains(" requests in "), let count = words.first.flatMap({ Int($0) }) {
                requests = count
            } else if line.hasPrefix("99%"), words.count >= 2 {
                p99Milliseconds = Self.milliseconds(words[1])
            } else if line.hasPrefix("Socket errors:") {
                // Socket errors: connect 0, read 0, write 0, timeout 0
                func value(after key: String) -> Int {
                    guard let index = words.firstIndex(of: key), index + 1 < words.count else { return 0 }
                    return Int(words[index + 1]) ?? 0
                }
                connectErrors = value(after: "connect")
                readErrors = value(after: "read")
                writeErrors = value(after: "write")
                timeouts = value(after: "timeout")
            } else if line.hasPrefix("Non-2xx or 3xx responses:"), let count = words.last.flatMap({ Int($0) }) {
                non2xx = count
            }
        }
    }

    /// "812.00us", "3.25ms", "1.02s" in milliseconds.
    static func milliseconds(_ text: String) -> Double? {
        for (suffix, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * scale }
        }
        return nil
    }
}

extension LBLab {
    /// Starts `wrk -t2 -cN -dS --latency http://address/` on the client, in the background.
    func startWrk(_ address: String, connections: Int = 100, seconds: Int = 5) throws -> LBLabProcess {
        try LBLabProcess(inNamespace(.client, ["wrk", "-t2", "-c\(connections)", "-d\(seconds)s", "--timeout", "2s",
                                               "--latency", "http://\(address)/"]))
    }

    /// Runs wrk to the end and reads its report.
    func wrk(_ address: String, connections: Int = 100, seconds: Int = 5) throws -> WrkReport {
        try Self.report(of: startWrk(address, connections: connections, seconds: seconds), seconds: seconds)
    }

    /// Waits for a wrk started with ``startWrk(_:connections:seconds:)`` and reads its report.
    static func report(of wrk: LBLabProcess, seconds: Int) throws -> WrkReport {
        let result = try wrk.wait(timeout: Double(seconds) + 30)
        guard result.succeeded else { throw LBLabError.commandFailed(command: wrk.arguments, result: result) }
        return WrkReport(parsing: result.stdout)
    }
}

/// xdp-lb driven as its users drive it: the executable, run in the LB's namespace.
struct XDPLBCommandLine {
    /// The lab it runs in.
    let lab: LBLab
    /// The xdp-lb executable.
    let executable: String
    /// Whether `xdp-lb start` takes `--pin-root` (then this lab's pins are its own).
    let takesPinRoot: Bool

    init(lab: LBLab) throws {
        self.lab = lab
        executable = try BuiltProduct.path("xdp-lb", environment: "XDP_LB")
        let help = try LBLabProcess.run([executable, "start", "--help-hidden"])
        guard help.succeeded else { throw LBLabError.missing("xdp-lb start: \(help.stderr)") }
        takesPinRoot = help.stdout.contains("--pin-root")
        if takesPinRoot { try FileManager.default.createDirectory(atPath: lab.pinRoot, withIntermediateDirectories: true) }
    }

    /// Runs `xdp-lb arguments…` in the LB namespace, throwing unless it succeeds.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        var arguments = arguments
        if takesPinRoot { arguments += ["--pin-root", lab.pinRoot] }
        return try lab.runChecked(on: .lb, [executable] + arguments).stdout
    }

    /// `xdp-lb start --dev eth0 --vip VIP:80 --backend … --mode M`.
    @discardableResult
    func start(backends: [String], mode: LBLab.Mode) throws -> String {
        try run(["start", "--dev", "eth0", "--vip", LBLab.vip + ":80"] + backends.flatMap { ["--backend", $0] }
            + ["--mode", mode.rawValue])
    }

    /// `xdp-lb backend add|remove ADDR:PORT --dev eth0`.
    @discardableResult
    func backend(_ verb: String, _ endpoint: String) throws -> String {
        try run(["backend", verb, endpoint, "--dev", "eth0"])
    }

    /// `xdp-lb status --dev eth0 [--json]`.
    func status(json: Bool = false) throws -> String {
        try run(["status", "--dev", "eth0"] + (json ? ["--json"] : []))
    }

    /// `xdp-lb stop --dev eth0`, ignoring failure (teardown).
    func stop() {
        _ = try? run(["stop", "--dev", "eth0"])
    }
}
