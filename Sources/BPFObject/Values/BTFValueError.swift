/// Why a map key or value could not be decoded from bytes or parsed from text.
///
/// Types are named the way C spells them (``BTF/typeDescription(_:)``: `__u32`,
/// `struct flow_key`, `char[16]`), and `path` says which part of the value was at fault
/// (`"dport"`, `"pad[2]"`, `"bpf_prog.fd"`), so the CLI can print
/// `dport: 70000 does not fit in __u16 (0 to 65535)`.
public struct BTFValueError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// Type id 0 (`void`) or no BTF: the value has no type to follow (use the raw codec).
        case noType
        /// A type id the BTF does not hold, or a typedef chain that loops.
        case noSuchType(BTFTypeID)
        /// A type that has no value form: void, FWD, FUNC, FUNC_PROTO, DECL_TAG, …
        case unsupportedType(type: String, reason: String)
        /// The bytes are not the size of the type.
        case sizeMismatch(type: String, expected: Int, actual: Int)
        /// A member or element lies outside the bytes (BTF that disagrees with itself).
        case outOfBounds(type: String, offset: Int, size: Int, available: Int)
        /// Text of the wrong shape: `what` is what the type needs ("an integer", "a JSON object").
        case expected(what: String, type: String, got: String)
        /// A number outside the range of the type (`range` spells it, e.g. `0 to 255`).
        case outOfRange(text: String, type: String, range: String)
        /// A struct/union member name the type does not have.
        case unknownMember(name: String, type: String)
        /// The same member given twice in one object.
        case duplicateMember(name: String, type: String)
        /// A name that is not one of the enum's enumerators (`known` lists a few that are).
        case unknownEnumerator(name: String, type: String, known: [String])
        /// More array elements than the array holds.
        case tooManyElements(count: Int, type: String, capacity: Int)
        /// A string too long for a `char[N]` (at most N − 1 bytes, then NUL).
        case stringTooLong(length: Int, type: String, capacity: Int)
        /// Malformed JSON-like text, at a byte offset (from 0) of the UTF-8 input.
        case syntax(message: String, offset: Int)
        /// Text that is not hex bytes (`c6 12 00 02` or `c6120002`).
        case badHex(text: String)
        /// A raw integer asked for a size other than 1, 2, 4 or 8 bytes.
        case unsupportedSize(Int)
        /// The value is nested deeper than ``BTFValue/maxDepth``, has more parts than
        /// ``BTFValue/maxValueCount`` or is larger than ``BTFValue/maxEncodedSize``.
        case tooComplex(String)
        /// A per-CPU buffer whose size is not a whole number of per-CPU slots.
        case perCPUSize(bufferSize: Int, stride: Int, cpuCount: Int?)
    }

    /// What went wrong.
    public var kind: Kind
    /// Where inside the value (`""` for the value itself, else e.g. `saddr`, `pad[2]`, `a.b`).
    public var path: String

    /// Creates an error at `path`.
    public init(_ kind: Kind, path: String = "") {
        self.kind = kind
        self.path = path
    }

    /// The message, after the path when there is one: `dport: 70000 does not fit in __u16 (0 to 65535)`.
    public var description: String {
        path.isEmpty ? message : "\(path): \(message)"
    }

    /// The message without the path.
    public var message: String {
        switch kind {
        case .noType:
            "no BTF type for this value (give it as an integer or hex bytes)"
        case let .noSuchType(id):
            "BTF type \(id) does not exist or its typedefs loop"
        case let .unsupportedType(type, reason):
            "\(type): \(reason)"
        case let .sizeMismatch(type, expected, actual):
            "\(type) is \(expected) bytes, got \(actual)"
        case let .outOfBounds(type, offset, size, available):
            "\(type) at byte \(offset) (\(size) bytes) lies outside the \(available) bytes of the value"
        case let .expected(what, type, got):
            "expected \(what) for \(type), got '\(got)'"
        case let .outOfRange(text, type, range):
            "\(text) does not fit in \(type) (\(range))"
        case let .unknownMember(name, type):
            "\(type) has no member '\(name)'"
        case let .duplicateMember(name, type):
            "member '\(name)' of \(type) is given twice"
        case let .unknownEnumerator(name, type, known):
            "'\(name)' is not an enumerator of \(type)"
                + (known.isEmpty ? "" : " (known: \(known.joined(separator: ", ")))")
        case let .tooManyElements(count, type, capacity):
            "\(count) elements do not fit in \(type) (at most \(capacity))"
        case let .stringTooLong(length, type, capacity):
            "a string of \(length) bytes does not fit in \(type) (at most \(capacity) bytes and a NUL)"
        case let .syntax(message, offset):
            "\(message) at offset \(offset) of the text"
        case let .badHex(text):
            "'\(text)' is not hex bytes (e.g. 'c6 12 00 02' or 'c6120002')"
        case let .unsupportedSize(size):
            "a plain integer must be 1, 2, 4 or 8 bytes, the value is \(size) bytes (give hex bytes)"
        case let .tooComplex(what):
            what
        case let .perCPUSize(bufferSize, stride, cpuCount):
            if let cpuCount {
                "a per-CPU buffer of \(bufferSize) bytes is not \(cpuCount) slots of \(stride) bytes"
            } else {
                "a per-CPU buffer of \(bufferSize) bytes is not a whole number of \(stride)-byte slots"
            }
        }
    }
}

/// The place inside a value being decoded or encoded, kept as a stack and spelled only when an
/// error needs it (`flows.key.pad[2]`).
struct ValuePath {
    private enum Component { case member(String), index(Int) }
    private var components: [Component] = []

    mutating func push(member name: String) { components.append(.member(name)) }
    mutating func push(index: Int) { components.append(.index(index)) }
    mutating func pop() { components.removeLast() }

    /// `a.b[2].c`; anonymous members add nothing.
    var text: String {
        var result = ""
        for component in components {
            switch component {
            case let .member(name) where name.isEmpty: continue
            case let .member(name): result += result.isEmpty ? name : "." + name
            case let .index(index): result += "[\(index)]"
            }
        }
        return result
    }

    /// An error of `kind` at this place.
    func error(_ kind: BTFValueError.Kind) -> BTFValueError {
        BTFValueError(kind, path: text)
    }
}
