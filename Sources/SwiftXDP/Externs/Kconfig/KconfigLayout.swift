/// Where each `__kconfig` extern lives in the value of the internal `.kconfig` map, laid out
/// exactly as libbpf does (`bpf_object__collect_externs`): externs sorted by alignment
/// (largest first), then size (smallest first), then name (byte order); each placed at the
/// next offset aligned to its alignment. The map's value size is the end of the last one.
///
/// For `externs.bpf.o`: `CONFIG_HZ` (int) at 0, `LINUX_KERNEL_VERSION` (u32) at 4,
/// `CONFIG_BPF_SYSCALL` (bool) at 8, `CONFIG_SWIFT_XDP_NO_SUCH_OPTION` (bool) at 9: 10 bytes.
public struct KconfigLayout: Sendable, Equatable {
    /// One extern's place in the map value.
    public struct Slot: Sendable, Equatable {
        /// The extern's name (`CONFIG_HZ`).
        public var name: String
        /// The BTF `VAR` id of the extern in the object's BTF.
        public var variableID: BTFTypeID
        /// How its value is stored.
        public var type: KconfigType
        /// Byte offset in the map value.
        public var offset: Int
        /// Size in bytes (`btf__resolve_size` of the variable's type).
        public var size: Int
        /// Alignment in bytes (`btf__align_of`).
        public var alignment: Int
        /// True for `__weak` externs (0 when the kernel does not provide them).
        public var isWeak: Bool
    }

    /// The slots in layout (offset) order.
    public var slots: [Slot]
    /// The map value size: the end of the last slot (0 without kconfig externs).
    public var size: Int
    /// The id of the `.kconfig` DATASEC in the object's BTF, if present.
    public var dataSectionID: BTFTypeID?

    /// The slot of extern `name`, if it is a kconfig extern.
    public func slot(named name: String) -> Slot? { slots.first { $0.name == name } }

    /// Lays out the kconfig externs of `object` (pure: reads only the object's BTF).
    public init(object: BPFObjectFile) throws(ExternError) {
        try self.init(btf: object.btf, externs: object.externs)
    }

    /// Lays out the ``ExternSpec/Kind/kconfig`` externs among `externs`, whose VARs `btf`
    /// describes.
    public init(btf: BTF?, externs allExterns: [ExternSpec]) throws(ExternError) {
        let externs = allExterns.filter { $0.kind == .kconfig }
        dataSectionID = btf?.dataSection(named: ".kconfig")?.id
        guard !externs.isEmpty else {
            slots = []
            size = 0
            return
        }
        guard let btf else {
            throw ExternError(name: externs[0].name, kind: .kconfig, reason: .notDescribed("the object has no BTF"))
        }
        var unplaced: [Slot] = []
        for extern in externs {
            func fail(_ reason: ExternError.Reason) -> ExternError { ExternError(name: extern.name, kind: .kconfig, reason: reason) }
            guard let variable = btf.variable(extern.btfTypeID) else {
                throw fail(.notDescribed("BTF type \(extern.btfTypeID) is not a VAR"))
            }
            guard let type = KconfigType(btf: btf, typeID: variable.type) else {
                throw fail(.unsupportedType(BTFTypeNames.describe(btf, variable.type)))
            }
            guard let size = btf.size(of: variable.type), size > 0,
                  let alignment = KconfigType.alignment(btf: btf, typeID: variable.type), alignment > 0 else {
                throw fail(.notDescribed("cannot size \(BTFTypeNames.describe(btf, variable.type))"))
            }
            unplaced.append(Slot(name: extern.name, variableID: extern.btfTypeID, type: type, offset: 0,
                                 size: size, alignment: alignment, isWeak: extern.isWeak))
        }
        unplaced.sort { a, b in
            if a.alignment != b.alignment { return a.alignment > b.alignment }
            if a.size != b.size { return a.size < b.size }
            return Array(a.name.utf8).lexicographicallyPrecedes(Array(b.name.utf8))
        }
        var end = 0
        slots = unplaced.map { slot in
            var placed = slot
            placed.offset = (end + slot.alignment - 1) / slot.alignment * slot.alignment
            end = placed.offset + slot.size
            return placed
        }
        size = end
    }
}
