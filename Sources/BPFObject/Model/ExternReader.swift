/// Lists the undefined symbols of an object as ``ExternSpec``s, classified through BTF: a
/// `VAR` in the `.kconfig` data section is a kconfig value, one in `.ksyms` a kernel
/// variable, an extern `FUNC` a kfunc.
enum ExternReader {
    static func read(_ elf: ELFFile, btf: BTF?, functions: [FunctionSpec]) -> [ExternSpec] {
        let undefined = elf.symbolTable.indices(inSection: Int(ELF.sectionUndefined), where: \.hasName)
            .filter { $0 != 0 }
            .map { elf.symbol(at: $0) }
            .filter { !$0.name.isEmpty }
        guard !undefined.isEmpty else { return [] }
        var used = Set<String>()
        for function in functions {
            for relocation in function.relocations {
                switch relocation.kind {
                case let .externVariable(name), let .externCall(name): used.insert(name)
                default: break
                }
            }
        }
        let described = btf.map(describedExterns) ?? [:]
        return undefined.map { symbol in
            let (kind, typeID) = described[symbol.name] ?? (.unknown, 0)
            return ExternSpec(name: symbol.name, kind: kind, isWeak: symbol.binding == .weak,
                              isUsed: used.contains(symbol.name), btfTypeID: typeID)
        }
    }

    /// Externs described by BTF: variables of the `.kconfig`/`.ksyms` sections, extern functions.
    private static func describedExterns(_ btf: BTF) -> [String: (ExternSpec.Kind, UInt32)] {
        var result: [String: (ExternSpec.Kind, UInt32)] = [:]
        for id in btf.typeIDs {
            // Only DATASECs and FUNCs can describe externs: skip the rest without decoding them.
            let kind = btf.kind(of: id)
            guard kind == .dataSection || kind == .function else { continue }
            switch btf.type(id) {
            case let .dataSection(section) where section.name == ".kconfig" || section.name == ".ksyms":
                for variable in section.variables {
                    switch btf.type(variable.type) {
                    case let .variable(v):
                        result[v.name] = (section.name == ".kconfig" ? .kconfig : .ksym, variable.type)
                    case let .function(f):
                        result[f.name] = (.kfunc, variable.type)
                    default:
                        break
                    }
                }
            case let .function(function) where function.linkage == .external:
                if result[function.name] == nil { result[function.name] = (.kfunc, id) }
            default:
                break
            }
        }
        return result
    }
}
