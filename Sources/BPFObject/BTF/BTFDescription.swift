/// C-like spellings of BTF types, as a C programmer would write them: `struct iphdr`, `__u32`,
/// `unsigned int`, `const char *`, `int (*)[2]`, `int (*)(int, char)`.
///
/// Used by the CLI to show map key and value types. TYPE_TAG and DECL_TAG are looked through
/// (their attributes are not printed); anonymous structs, unions and enums print as
/// `struct {...}`, `union {...}`, `enum {...}`; a DATASEC prints as `SEC("name")`.
extension BTF {
    /// The C spelling of type `id` as an abstract declarator (no name), e.g. `int (*)[2]`.
    public func typeDescription(_ id: BTFTypeID) -> String {
        declaration(of: id, name: "")
    }

    /// The C declaration of `name` with type `id`, e.g. `__u32 key` or `int (*max_entries)[16]`.
    /// For a FUNC the function's own name is used when `name` is empty; likewise for a VAR.
    public func declaration(of id: BTFTypeID, name: String) -> String {
        var name = name
        if name.isEmpty, kind(of: id) == .function || kind(of: id) == .variable {
            name = rawName(of: id)
        }
        var budget = Self.descriptionBudget
        return declare(id, name, depth: 0, budget: &budget)
    }

    /// How many types one description may visit: a guard against self-referencing prototypes
    /// (a parameter that points back to its own FUNC_PROTO), whose spelling would never end.
    static let descriptionBudget = 4096

    /// Builds the declaration of type `id` around the already-built inner declarator.
    private func declare(_ id: BTFTypeID, _ inner: String, depth: Int, budget: inout Int) -> String {
        budget -= 1
        guard depth < 64, budget > 0, contains(id) else { return Self.join("?", inner) }
        let next = depth + 1
        switch kind(of: id) {
        case .unknown:
            return Self.join("void", inner)
        case .int, .float, .typedef:
            return Self.join(rawName(of: id), inner)
        case .structure:
            return Self.join("struct " + tag(id), inner)
        case .union:
            return Self.join("union " + tag(id), inner)
        case .enumeration, .enum64:
            return Self.join("enum " + tag(id), inner)
        case .forward:
            return Self.join((kindFlag(of: id) ? "union " : "struct ") + rawName(of: id), inner)
        case .pointer:
            return declare(sizeOrType(of: id), "*" + inner, depth: next, budget: &budget)
        case .const, .volatile, .restrict:
            let qualifier = kind(of: id) == .const ? "const" : kind(of: id) == .volatile ? "volatile" : "restrict"
            let target = sizeOrType(of: id)
            if kind(of: target) == .pointer {
                // A qualified pointer: the qualifier binds to the `*` on its left (`int *const p`).
                return declare(target, inner.isEmpty ? qualifier : qualifier + " " + inner, depth: next, budget: &budget)
            }
            return qualifier + " " + declare(target, inner, depth: next, budget: &budget)
        case .array:
            let count = trailingWord(of: id, 2)
            return declare(trailingWord(of: id, 0), Self.parenthesized(inner) + "[\(count)]", depth: next, budget: &budget)
        case .functionProto:
            let list = parameters(of: id)
            let spelled: [String] = list.enumerated().map { index, parameter in
                if index == list.count - 1, parameter.type == 0, parameter.name.isEmpty { return "..." }
                return declare(parameter.type, parameter.name, depth: next, budget: &budget)
            }
            let arguments = spelled.isEmpty ? "void" : spelled.joined(separator: ", ")
            return declare(sizeOrType(of: id), Self.parenthesized(inner) + "(" + arguments + ")", depth: next, budget: &budget)
        case .function, .variable, .declTag, .typeTag:
            return declare(sizeOrType(of: id), inner, depth: next, budget: &budget)
        case .dataSection:
            return Self.join("SEC(\"\(rawName(of: id))\")", inner)
        }
    }

    /// The tag of a struct/union/enum, `{...}` when anonymous.
    private func tag(_ id: BTFTypeID) -> String {
        nameOffset(of: id) == 0 ? "{...}" : rawName(of: id)
    }

    /// `base inner`, without a space before an array suffix (`char[16]`) or when `inner` is empty.
    private static func join(_ base: String, _ inner: String) -> String {
        if inner.isEmpty { return base }
        if inner.hasPrefix("[") { return base + inner }
        return base + " " + inner
    }

    /// Wraps a pointer declarator in parentheses before an array or function suffix binds to it.
    private static func parenthesized(_ inner: String) -> String {
        inner.hasPrefix("*") ? "(" + inner + ")" : inner
    }
}
