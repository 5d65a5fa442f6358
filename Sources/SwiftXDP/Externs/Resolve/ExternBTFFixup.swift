/// Rewrites the extern parts of an object's BTF into a shape `BPF_BTF_LOAD` accepts, as
/// libbpf does in `bpf_object__collect_externs` (the kernel refuses `extern` linkage for
/// VARs and FUNCs, FUNC entries in a DATASEC, unnamed parameters of a FUNC's prototype, and
/// DATASEC entries that are not in offset order):
///
/// - `.kconfig`: each VAR becomes `BTF_VAR_GLOBAL_ALLOCATED`, each entry gets its offset from
///   the ``KconfigLayout``, entries are sorted by offset, the DATASEC size is the layout size
///   (so the `.kconfig` map can use the DATASEC as its value type).
/// - `.ksyms`: each VAR becomes `BTF_VAR_GLOBAL_ALLOCATED` of a 32-bit int type; each FUNC
///   entry is replaced by a VAR `dummy_ksym` (int, appended once); entry `i` gets offset
///   `4 * i` and size 4; the DATASEC size is `4 * count`.
/// - every `extern` FUNC (kfuncs) gets `BTF_FUNC_GLOBAL` linkage, and its prototype's unnamed
///   parameters the name `dummy_ksym`.
///
/// Run it on the result of ``KernelBTF/prepare(_:)`` (which fixes the global-data DATASECs
/// and leaves `.kconfig` and `.ksyms` to this function), before `BPF_BTF_LOAD`. With both,
/// the BTF of `externs.bpf.o` is the one libbpf loads, type for type (`bpftool btf dump`).
public enum ExternBTFFixup {
    /// The name of the placeholder VAR that stands for kfuncs in `.ksyms` (libbpf's name).
    public static let placeholderName = "dummy_ksym"

    /// Applies the rewrite described above to `btf`.
    public static func apply(to btf: inout BTF, layout: KconfigLayout) throws(BTFEditError) {
        try fixExternFunctions(&btf)
        if let (id, section) = btf.dataSection(named: ".ksyms") {
            try fixKsyms(&btf, id: id, entries: section.variables)
        }
        if let (id, section) = btf.dataSection(named: ".kconfig") {
            try fixKconfig(&btf, id: id, entries: section.variables, layout: layout)
        }
    }

    // MARK: - Steps

    private static func fixExternFunctions(_ btf: inout BTF) throws(BTFEditError) {
        var placeholderName: UInt32?
        for id in btf.typeIDs where btf.kind(of: id) == .function && btf.vlen(of: id) == Int(BTFFunctionLinkage.external.rawValue) {
            guard var function = btf.rawType(id) else { throw .noSuchType(id) }
            function.info = BTFRawType.info(kind: .function, kindFlag: function.kindFlag,
                                            vlen: Int(BTFFunctionLinkage.global.rawValue))
            try btf.replace(id, with: function)
            let protoID = function.sizeOrType
            guard btf.kind(of: protoID) == .functionProto, var proto = btf.rawType(protoID) else { continue }
            var changed = false
            for index in 0..<proto.vlen where proto.trailing[2 * index] == 0 && proto.trailing[2 * index + 1] != 0 {
                if placeholderName == nil { placeholderName = btf.addString(Self.placeholderName) }
                proto.trailing[2 * index] = placeholderName!
                changed = true
            }
            if changed { try btf.replace(protoID, with: proto) }
        }
    }

    private static func fixKsyms(_ btf: inout BTF, id: BTFTypeID, entries: [BTFRawVarSecInfo]) throws(BTFEditError) {
        let intID = try int32TypeID(&btf)
        var placeholderID: BTFTypeID?
        var rewritten: [BTFRawVarSecInfo] = []
        for (index, entry) in entries.enumerated() {
            var type = entry.type
            switch btf.kind(of: entry.type) {
            case .function:
                if placeholderID == nil {
                    let name = btf.addString(Self.placeholderName)
                    placeholderID = try btf.append(BTFRawType(kind: .variable, nameOffset: name, sizeOrType: intID,
                                                              trailing: [BTFVariableLinkage.global.rawValue]))
                }
                type = placeholderID!
            case .variable:
                try setVariable(&btf, entry.type, type: intID)
            default:
                break
            }
            rewritten.append(BTFRawVarSecInfo(type: type, offset: UInt32(4 * index), size: 4))
        }
        try replaceDataSection(&btf, id, size: UInt32(4 * entries.count), entries: rewritten)
    }

    private static func fixKconfig(_ btf: inout BTF, id: BTFTypeID, entries: [BTFRawVarSecInfo],
                                   layout: KconfigLayout) throws(BTFEditError) {
        var rewritten: [BTFRawVarSecInfo] = []
        for entry in entries {
            var placed = entry
            if btf.kind(of: entry.type) == .variable {
                try setVariable(&btf, entry.type, type: nil)
                if let slot = layout.slots.first(where: { $0.variableID == entry.type }) {
                    placed.offset = UInt32(slot.offset)
                    placed.size = UInt32(slot.size)
                }
            }
            rewritten.append(placed)
        }
        rewritten.sort { $0.offset < $1.offset }
        try replaceDataSection(&btf, id, size: UInt32(layout.size), entries: rewritten)
    }

    // MARK: - Helpers

    /// Makes VAR `id` `BTF_VAR_GLOBAL_ALLOCATED`, and of type `type` when given.
    private static func setVariable(_ btf: inout BTF, _ id: BTFTypeID, type: BTFTypeID?) throws(BTFEditError) {
        guard var variable = btf.rawType(id), variable.trailing.count == 1 else { throw .noSuchType(id) }
        variable.trailing[0] = BTFVariableLinkage.global.rawValue
        if let type { variable.sizeOrType = type }
        try btf.replace(id, with: variable)
    }

    private static func replaceDataSection(_ btf: inout BTF, _ id: BTFTypeID, size: UInt32,
                                           entries: [BTFRawVarSecInfo]) throws(BTFEditError) {
        guard let section = btf.rawType(id) else { throw .noSuchType(id) }
        try btf.replace(id, with: BTFRawType(nameOffset: section.nameOffset, info: section.info, sizeOrType: size,
                                             trailing: entries.flatMap { [$0.type, $0.offset, $0.size] }))
    }

    /// The first 32-bit INT (libbpf's `find_int_btf_id`), appending `int` if there is none.
    private static func int32TypeID(_ btf: inout BTF) throws(BTFEditError) -> BTFTypeID {
        for id in btf.typeIDs where btf.kind(of: id) == .int && btf.trailingWord(of: id, 0) & 0xff == 32 {
            return id
        }
        let signed = UInt32(BTFIntEncoding.signed.rawValue) << 24
        let name = btf.addString("int")
        return try btf.append(BTFRawType(kind: .int, nameOffset: name, sizeOrType: 4, trailing: [signed | 32]))
    }
}
