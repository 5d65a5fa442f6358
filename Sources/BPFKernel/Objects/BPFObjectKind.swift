import CBPF

/// The four kinds of kernel BPF objects that have system-wide ids: each kind's
/// `BPF_*_GET_NEXT_ID` walks the ids, and `BPF_*_GET_FD_BY_ID` opens one.
///
/// ```swift
/// let before = try BPFObjectKind.map.ids().count   // leak tests compare counts
/// let fd = try BPFObjectKind.program.open(id: 42)
/// ```
public enum BPFObjectKind: String, Sendable, CaseIterable {
    /// Programs: `BPF_PROG_GET_NEXT_ID`, `BPF_PROG_GET_FD_BY_ID`.
    case program
    /// Maps: `BPF_MAP_GET_NEXT_ID`, `BPF_MAP_GET_FD_BY_ID`.
    case map
    /// Links: `BPF_LINK_GET_NEXT_ID`, `BPF_LINK_GET_FD_BY_ID`.
    case link
    /// BTF objects: `BPF_BTF_GET_NEXT_ID`, `BPF_BTF_GET_FD_BY_ID`.
    case btf

    /// The command that walks ids.
    public var nextIDCommand: BPFCommand {
        switch self {
        case .program: .progGetNextID
        case .map: .mapGetNextID
        case .link: .linkGetNextID
        case .btf: .btfGetNextID
        }
    }

    /// The command that opens an id.
    public var openCommand: BPFCommand {
        switch self {
        case .program: .progGetFDByID
        case .map: .mapGetFDByID
        case .link: .linkGetFDByID
        case .btf: .btfGetFDByID
        }
    }

    /// The id after `id` (0: the first), or nil when there are no more.
    public func nextID(after id: UInt32) throws(BPFError) -> UInt32? {
        var attr = cbpf_obj_id_attr()
        attr.id = id
        switch BPFSyscall.perform(nextIDCommand, &attr, fields: { attr in [.init("start_id", "\(attr.id)")] },
                                  outcome: { attr, _ in "next_id=\(attr.next_id)" }) {
        case .success: return attr.next_id
        case .failure(.ENOENT): return nil
        case .failure(let errno): throw BPFError(command: nextIDCommand, errno: errno)
        }
    }

    /// Every id of this kind that exists right now, in increasing order.
    public func ids() throws(BPFError) -> [UInt32] {
        var ids: [UInt32] = []
        var current: UInt32 = 0
        while let next = try nextID(after: current) {
            ids.append(next)
            current = next
        }
        return ids
    }

    /// Opens the object with this id (`ENOENT` once it is freed). `openFlags` is
    /// `open_flags` (`BPF_F_RDONLY` = 8 or `BPF_F_WRONLY` = 16 for maps).
    public func open(id: UInt32, openFlags: UInt32 = 0) throws(BPFError) -> FileDescriptor {
        var attr = cbpf_obj_id_attr()
        attr.id = id
        attr.open_flags = openFlags
        return try BPFSyscall.callReturningFD(openCommand, &attr, object: "\(rawValue) id \(id)", fields: { attr in
            [.init("id", "\(attr.id)"), .init("open_flags", "\(attr.open_flags)")]
        })
    }
}
