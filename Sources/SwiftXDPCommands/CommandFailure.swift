import ArgumentParser

/// An error the CLI reports as one clear line (`error: …`) plus optional detail lines, with a
/// non-zero exit status.
public struct CommandFailure: Error, CustomStringConvertible {
    /// The one-line summary.
    public var message: String
    /// Further lines: the verifier log, the kernel's message, a hint.
    public var detail: String?

    /// Creates a failure.
    public init(_ message: String, detail: String? = nil) {
        self.message = message
        self.detail = detail
    }

    public var description: String {
        detail.map { "\(message)\n\($0)" } ?? message
    }

    /// Runs `body`, turning its typed error into a ``CommandFailure`` with the error's text.
    static func wrap<T, E: Error>(_ body: () throws(E) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}
