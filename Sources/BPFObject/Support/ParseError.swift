/// A malformed or unsupported input found by one of the object-layer readers.
///
/// Every parse error says *where*: which structure was being read (`context`, e.g.
/// `"section header 7"` or `".BTF type #12"`) and the byte offset of the problem inside the
/// whole input file (or inside the named section when `context` says so).
public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong, as a closed set of kinds so callers and tests can match on it.
    public enum Kind: Equatable, Sendable {
        /// The input ends before a structure does: `needed` bytes at `offset`, only `available`.
        case truncated(needed: Int, available: Int)
        /// A magic number or identifier does not match the format.
        case badMagic
        /// A well-formed input that uses something this reader does not support.
        case unsupported(String)
        /// A value that is out of range or inconsistent with the rest of the input.
        case invalid(String)
    }

    /// The structure being read, e.g. `"ELF header"`, `"section header 3"`, `".BTF type #17"`.
    public var context: String
    /// Byte offset of the problem (in the file for ELF structures; in the section for BTF and
    /// instructions, which `context` then names).
    public var offset: Int
    /// The kind of problem.
    public var kind: Kind

    /// Creates a parse error.
    public init(_ kind: Kind, context: String, offset: Int) {
        self.kind = kind
        self.context = context
        self.offset = offset
    }

    public var description: String {
        let what: String
        switch kind {
        case let .truncated(needed, available):
            what = "truncated: needs \(needed) bytes, \(max(available, 0)) available"
        case .badMagic:
            what = "bad magic number"
        case let .unsupported(message):
            what = "unsupported: \(message)"
        case let .invalid(message):
            what = message
        }
        return "\(context) at offset \(offset) (0x\(String(offset, radix: 16))): \(what)"
    }
}
