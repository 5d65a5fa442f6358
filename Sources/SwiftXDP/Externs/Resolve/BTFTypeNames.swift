/// Short C-like names of BTF types for messages (`int`, `const char[8]`, `struct foo *`).
enum BTFTypeNames {
    static func describe(_ btf: BTF, _ id: BTFTypeID, depth: Int = 0) -> String {
        guard depth < 8 else { return "…" }
        switch btf.type(id) {
        case .void?, nil: return id == 0 ? "void" : "type #\(id)"
        case let .int(int)?: return int.name
        case let .pointer(target)?: return describe(btf, target, depth: depth + 1) + " *"
        case let .array(array)?: return describe(btf, array.elementType, depth: depth + 1) + "[\(array.count)]"
        case let .structure(composite)?: return "struct " + (composite.name.isEmpty ? "(anon)" : composite.name)
        case let .union(composite)?: return "union " + (composite.name.isEmpty ? "(anon)" : composite.name)
        case let .enumeration(value)?, let .enum64(value)?: return "enum " + (value.name.isEmpty ? "(anon)" : value.name)
        case let .forward(name, isUnion)?: return (isUnion ? "union " : "struct ") + name
        case let .typedef(name, _)?: return name
        case let .volatile(next)?: return "volatile " + describe(btf, next, depth: depth + 1)
        case let .const(next)?: return "const " + describe(btf, next, depth: depth + 1)
        case let .restrict(next)?: return describe(btf, next, depth: depth + 1) + " restrict"
        case let .typeTag(_, next)?: return describe(btf, next, depth: depth + 1)
        case let .function(function)?: return "func " + function.name
        case .functionProto?: return "func_proto #\(id)"
        case let .variable(variable)?: return "var " + variable.name
        case let .dataSection(section)?: return "datasec " + section.name
        case let .float(name, _)?: return name
        case let .declTag(tag)?: return "decl_tag " + tag.name
        }
    }
}
