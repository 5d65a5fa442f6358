import SwiftXDP

/// `--explain`: prints each loading step and each bpf()/netlink call as it happens, with the
/// decoded attributes sent and the result.
enum ExplainPrinter {
    /// An observer that prints events to standard output.
    static let observer: LoadObserver = { event in print(line(for: event)) }

    static func line(for event: LoadEvent) -> String {
        switch event {
        case let .step(step, detail):
            return "== \(step): \(detail)"
        case let .kernelCall(call):
            return "   " + line(for: call)
        case let .note(text):
            return "   note: \(text)"
        }
    }

    static func line(for call: KernelCall) -> String {
        let fields = call.fields.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
        let name = call.interface == "bpf" ? "bpf(\(call.command))" : "netlink \(call.command)"
        return "\(name) \(fields) → \(call.result)"
    }

    /// Runs `body` with every kernel call printed (for steps outside the loader: attach, detach).
    static func tracing<T>(_ enabled: Bool, _ body: () throws -> T) rethrows -> T {
        guard enabled else { return try body() }
        return try KernelTrace.withObserver({ call in print("   " + line(for: call)) }, body)
    }
}
